//! Where the kiosk's log goes: standard error, and a file under the data
//! folder's `logs/` (the window's `window.log`, the commands' `cli.log`),
//! rotated at `logging.max_file_bytes` with `logging.keep_files` old files,
//! so a kiosk left for weeks never fills its disk with logs.
//!
//! Logs carry record ids, never a visitor's data; as a safety net, the file
//! writer also masks any long run of digits (a phone or ID number) that
//! reaches it by mistake.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;

use crate::paths::DataDir;

/// The `[logging]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoggingConfig {
    /// The level for the kiosk's own messages (`CK_LOG` overrides it).
    pub level: String,
    /// A log file is rotated once it passes this size.
    pub max_file_bytes: u64,
    /// Rotated files kept beside the current one.
    pub keep_files: usize,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        Self {
            level: "info".to_owned(),
            max_file_bytes: 5 * 1024 * 1024,
            keep_files: 4,
        }
    }
}

/// The smallest cap accepted: a line or two must fit.
const MIN_FILE_BYTES: u64 = 1024;

/// Starts logging to standard error (warnings, or `CK_LOG`) and, with
/// `file`, to `logs/<file>` in the data folder (made owner-only first). A
/// log folder that cannot be made leaves standard error only, said there.
pub fn init(data: &DataDir, file: Option<&str>, config: &LoggingConfig) {
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_filter(EnvFilter::try_from_env("CK_LOG").unwrap_or_else(|_| EnvFilter::new("warn")));
    let file_filter = || {
        EnvFilter::try_from_env("CK_LOG")
            .unwrap_or_else(|_| EnvFilter::new(format!("warn,checkpoint={}", config.level)))
    };
    let logs = data.logs();
    let file_layer = match file.map(|f| {
        (
            f,
            data.ensure().and_then(|()| std::fs::create_dir_all(&logs)),
        )
    }) {
        None => None,
        Some((file, Ok(()))) => Some(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(Mutex::new(Masking(rotating(&logs.join(file), config))))
                .with_filter(file_filter()),
        ),
        Some((_, Err(e))) => {
            eprintln!("logs: {}: {e}", logs.display());
            None
        }
    };
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .try_init();
}

use tracing_subscriber::Layer as _;

fn rotating(path: &Path, config: &LoggingConfig) -> FileRotate<AppendCount> {
    let cap = config.max_file_bytes.max(MIN_FILE_BYTES);
    FileRotate::new(
        path,
        AppendCount::new(config.keep_files.max(1)),
        ContentLimit::BytesSurpassed(usize::try_from(cap).unwrap_or(usize::MAX)),
        Compression::None,
        None,
    )
}

/// A writer that masks long digit runs before they reach the file.
struct Masking<W>(W);

impl<W: Write> Write for Masking<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_all(&mask_digit_runs(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Runs of 9 to 15 digits standing alone (a phone, an ID or passport
/// number) keep their first two and last two digits. Runs inside a UUID or
/// a hex string, and times, are left alone.
pub fn mask_digit_runs(buf: &[u8]) -> Vec<u8> {
    let mut out = buf.to_vec();
    let glued = |b: u8| b.is_ascii_hexdigit() || b == b'-' || b == b'_';
    let mut i = 0;
    while i < buf.len() {
        if !buf[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < buf.len() && buf[i].is_ascii_digit() {
            i += 1;
        }
        let len = i - start;
        let alone = (start == 0 || !glued(buf[start - 1])) && (i == buf.len() || !glued(buf[i]));
        if (9..=15).contains(&len) && alone {
            for b in &mut out[start + 2..i - 2] {
                *b = b'*';
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask_digit_runs;

    #[test]
    fn phone_and_id_numbers_are_masked_but_ids_and_times_are_not() {
        let line = b"phone 0912345678 id=001098012345 rec 0190a5a0-0000-7000-8000-000000000001 at 2026-12-04T22:02:10.123456Z n=42";
        let masked = String::from_utf8(mask_digit_runs(line)).unwrap();
        assert_eq!(
            masked,
            "phone 09******78 id=00********45 rec 0190a5a0-0000-7000-8000-000000000001 at 2026-12-04T22:02:10.123456Z n=42"
        );
    }
}
