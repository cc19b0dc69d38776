//! Serial devices on Unix: ttys found by glob, read in raw mode with `poll`.

use std::io::Read as _;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// USB CDC-ACM devices, as 2D scanners in serial mode appear.
pub const DEFAULT_PATTERN: &str = "/dev/ttyACM*";

/// The paths the globs name now.
pub fn matching(patterns: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in patterns {
        match glob::glob(p) {
            Ok(paths) => out.extend(paths.filter_map(Result::ok)),
            Err(e) => tracing::warn!(pattern = %p, error = %e, "bad serial device pattern"),
        }
    }
    out
}

/// What one wait on the device gave.
pub enum Read {
    Bytes(usize),
    /// Nothing came for the pause's length.
    Pause,
    /// The device reached its end.
    Closed,
}

/// An open tty (or, in a test, a FIFO).
pub struct Port {
    file: std::fs::File,
    gap: Duration,
}

impl Port {
    /// Opens the device in raw mode, never as the controlling terminal.
    pub fn open(path: &Path, gap: Duration) -> std::io::Result<Port> {
        use std::os::unix::fs::OpenOptionsExt as _;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NOCTTY.bits() as i32)
            .open(path)?;
        raw_mode(&file);
        Ok(Port { file, gap })
    }

    /// Waits up to the pause's length for bytes.
    pub fn read(&mut self, buf: &mut [u8]) -> std::io::Result<Read> {
        let mut fds = [rustix::event::PollFd::new(
            &self.file,
            rustix::event::PollFlags::IN,
        )];
        let timeout = poll_timeout(self.gap);
        let ready = rustix::event::poll(&mut fds, Some(&timeout)).map_err(std::io::Error::from)?;
        let revents = fds[0].revents();
        if ready == 0 {
            return Ok(Read::Pause);
        }
        if revents.intersects(rustix::event::PollFlags::HUP | rustix::event::PollFlags::ERR)
            && !revents.contains(rustix::event::PollFlags::IN)
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "device hung up",
            ));
        }
        match self.file.read(buf)? {
            0 => Ok(Read::Closed),
            n => Ok(Read::Bytes(n)),
        }
    }
}

/// The pause as poll's timeout (whole seconds apart: a nanosecond field
/// of a second or more is refused by the kernel).
fn poll_timeout(gap: Duration) -> rustix::event::Timespec {
    rustix::event::Timespec {
        tv_sec: i64::try_from(gap.as_secs()).unwrap_or(1),
        tv_nsec: i64::from(gap.subsec_nanos()),
    }
}

/// Raw mode: bytes as they come, no echo, no line editing. A device that
/// is not a terminal (a FIFO in a test) is read as it is.
fn raw_mode(file: &impl AsFd) {
    match rustix::termios::tcgetattr(file) {
        Ok(mut t) => {
            t.make_raw();
            if let Err(e) =
                rustix::termios::tcsetattr(file, rustix::termios::OptionalActions::Now, &t)
            {
                tracing::warn!(error = %e, "serial scanner: raw mode not set");
            }
        }
        Err(e) => tracing::debug!(error = %e, "serial device is not a terminal"),
    }
}

#[cfg(test)]
mod tests {
    use super::poll_timeout;
    use std::time::Duration;

    #[test]
    fn a_pause_of_a_second_or_more_is_a_valid_timeout() {
        let t = poll_timeout(Duration::from_millis(1500));
        assert_eq!((t.tv_sec, t.tv_nsec), (1, 500_000_000));
        let t = poll_timeout(Duration::from_millis(80));
        assert_eq!((t.tv_sec, t.tv_nsec), (0, 80_000_000));
    }
}
