//! Serial devices on Windows: COM ports, through the serialport crate
//! (Win32 communications API). A port is read by asking how many bytes wait
//! (`ClearCommError`) every few milliseconds and reading exactly those, not
//! by a blocking read with driver timeouts: the "return at the first byte"
//! timeouts are a special case drivers implement unevenly (Wine's never
//! returns early), while the count is plain.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a quiet port is asked for bytes: well under a scanner's
/// pause between codes, a negligible cost.
const POLL: Duration = Duration::from_millis(10);

/// Any USB serial port (a glob matches only USB ports: a motherboard's COM1
/// or a modem is never opened unless named).
pub const DEFAULT_PATTERN: &str = "COM*";

/// The ports the patterns name now: a name without glob characters as it
/// is (opened when present), a glob against the USB ports Windows lists.
pub fn matching(patterns: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut listed: Option<Vec<String>> = None;
    for p in patterns {
        if !p.contains(['*', '?', '[']) {
            out.push(PathBuf::from(p));
            continue;
        }
        let pattern = match glob::Pattern::new(&p.to_ascii_uppercase()) {
            Ok(pattern) => pattern,
            Err(e) => {
                tracing::warn!(pattern = %p, error = %e, "bad serial device pattern");
                continue;
            }
        };
        let usb = listed.get_or_insert_with(usb_ports);
        out.extend(
            usb.iter()
                .filter(|name| pattern.matches(&name.to_ascii_uppercase()))
                .map(PathBuf::from),
        );
    }
    out
}

fn usb_ports() -> Vec<String> {
    match serialport::available_ports() {
        Ok(ports) => ports
            .into_iter()
            .filter(|p| matches!(p.port_type, serialport::SerialPortType::UsbPort(_)))
            .map(|p| p.port_name)
            .collect(),
        Err(e) => {
            tracing::debug!(error = %e, "serial ports not listed");
            Vec::new()
        }
    }
}

/// What one wait on the device gave.
pub enum Read {
    Bytes(usize),
    /// Nothing came for the pause's length.
    Pause,
    /// The device reached its end (never on a COM port: it errors when gone).
    #[allow(dead_code)]
    Closed,
}

/// An open COM port.
pub struct Port {
    port: Box<dyn serialport::SerialPort>,
    gap: Duration,
}

impl Port {
    /// Opens the port, 8N1 without flow control (a CDC-ACM scanner ignores
    /// the speed).
    pub fn open(path: &Path, gap: Duration) -> std::io::Result<Port> {
        let name = path.to_string_lossy();
        let port = serialport::new(name.as_ref(), 115_200)
            .timeout(gap)
            .open()
            .map_err(std::io::Error::from)?;
        Ok(Port { port, gap })
    }

    /// Waits up to the pause's length for bytes. A port that is gone (the
    /// scanner unplugged) fails the count: an error, and the reader ends.
    pub fn read(&mut self, buf: &mut [u8]) -> std::io::Result<Read> {
        let deadline = Instant::now() + self.gap;
        loop {
            let waiting = self.port.bytes_to_read().map_err(std::io::Error::from)?;
            let n = usize::try_from(waiting)
                .unwrap_or(usize::MAX)
                .min(buf.len());
            if n > 0 {
                return match self.port.read(&mut buf[..n]) {
                    Ok(0) => Ok(Read::Pause),
                    Ok(n) => Ok(Read::Bytes(n)),
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Ok(Read::Pause),
                    Err(e) => Err(e),
                };
            }
            if Instant::now() >= deadline {
                return Ok(Read::Pause);
            }
            std::thread::sleep(POLL);
        }
    }
}
