// The system allocator on purpose: mimalloc was measured at 2-3x the RSS for the same
// throughput (BENCHMARKS.md).
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
