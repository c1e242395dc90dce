//! The app's clock: UTC now, at the precision both backends keep. A test can run it ahead
//! (`test_clock_file`, ROADSHOW_TEST_CLOCK_FILE): the file holds how many seconds the clock
//! is ahead of the real one, and is read again every 20 ms, so a test drives a stop's whole
//! life (reminders, "still coming?", the day itself, material chasing) in seconds against the
//! real binary. Unset, as in production, nothing reads it and the offset stays 0.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{NaiveDateTime, SubsecRound, Utc};

static OFFSET_MICROS: AtomicI64 = AtomicI64::new(0);

/// Now, in UTC, at microseconds, so what is written reads back equal and compares correctly
/// as text on SQLite.
pub fn now() -> NaiveDateTime {
    let offset = OFFSET_MICROS.load(Ordering::Relaxed);
    (Utc::now() + chrono::Duration::microseconds(offset))
        .naive_utc()
        .trunc_subsecs(6)
}

/// Follows the offset written in `path` (seconds, may be fractional) until the process ends.
pub fn follow_file(path: std::path::PathBuf) {
    let read = move || {
        let seconds: f64 = std::fs::read_to_string(&path)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0.0);
        OFFSET_MICROS.store((seconds * 1e6) as i64, Ordering::Relaxed);
    };
    read();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(20));
            read();
        }
    });
}
