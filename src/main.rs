// The system allocator on purpose: mimalloc was measured at 2-3x the RSS for the same
// throughput (BENCHMARKS.md).
fn main() {
    limit_malloc_arenas();
    actix_web::rt::System::new().block_on(run())
}

/// glibc gives threads that allocate at the same time arenas of their own (up to eight per
/// core), and memory freed in one arena is not reused by another: two arenas are enough for
/// a server whose work is done by two worker threads and a few database threads.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

async fn run() {
    if let Err(e) = roadshow::cli::run().await {
        eprintln!("roadshow: {e}");
        std::process::exit(1);
    }
}
