// mimalloc: fewer cycles per allocation than glibc's malloc under many threads, and
// no per-thread arenas holding on to memory (measured in BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() {
    if let Err(e) = roadshow::cli::run().await {
        match e.cause() {
            Some(cause) => eprintln!("roadshow: {}: {cause:#}", e.message),
            None => eprintln!("roadshow: {}", e.message),
        }
        std::process::exit(1);
    }
}
