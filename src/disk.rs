//! Whether the data folder's disk takes writes: a full disk makes the instance not ready
//! (`/readyz`) and e-mails written as files wait, instead of half-writing.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::config::Settings;

const MIB: u64 = 1024 * 1024;

/// Whether the data folder's disk takes writes.
pub struct DiskWatch {
    dir: PathBuf,
    min_free_bytes: u64,
    /// When a write last failed for lack of space (Unix seconds; 0: never).
    last_full: AtomicI64,
}

/// After a write failed for lack of space, not ready for this long (unless it happens again).
const FULL_REMEMBERED_SECS: i64 = 60;

impl DiskWatch {
    pub fn new(settings: &Settings) -> Arc<DiskWatch> {
        Arc::new(DiskWatch {
            dir: settings.data_dir.clone(),
            min_free_bytes: settings.storage.min_free_disk_bytes,
            last_full: AtomicI64::new(0),
        })
    }

    pub fn record_full(&self) {
        self.last_full
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }

    /// Ok, or why not ready.
    pub fn check(&self) -> Result<(), String> {
        let last = self.last_full.load(Ordering::Relaxed);
        if last > 0 && chrono::Utc::now().timestamp() - last < FULL_REMEMBERED_SECS {
            return Err("a write just failed: the disk is full".into());
        }
        match free_bytes(&self.dir) {
            Some(free) if free < self.min_free_bytes => Err(format!(
                "low disk space: {} MiB free in the data folder",
                free / MIB
            )),
            _ => Ok(()),
        }
    }
}

/// Bytes an unprivileged process may still write on the disk holding `dir`.
pub fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        // SAFETY: statvfs only writes the struct passed; the path is NUL-terminated.
        let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
            return None;
        }
        Some(stat.f_bavail.saturating_mul(stat.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}
