//! Serial devices on Windows: COM ports, through the serialport crate
//! (Win32 communications API): a read returns at the first bytes, or after
//! the pause's length with none (the driver's timeouts).

use std::path::{Path, PathBuf};
use std::time::Duration;

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
}

impl Port {
    /// Opens the port, 8N1 without flow control (a CDC-ACM scanner ignores
    /// the speed), reads returning after the pause's length.
    pub fn open(path: &Path, gap: Duration) -> std::io::Result<Port> {
        let name = path.to_string_lossy();
        let port = serialport::new(name.as_ref(), 115_200)
            .timeout(gap)
            .open()
            .map_err(std::io::Error::from)?;
        Ok(Port { port })
    }

    /// Waits up to the pause's length for bytes. A port that is gone (the
    /// scanner unplugged) fails the read: an error, and the reader ends.
    pub fn read(&mut self, buf: &mut [u8]) -> std::io::Result<Read> {
        match self.port.read(buf) {
            Ok(0) => Ok(Read::Pause),
            Ok(n) => Ok(Read::Bytes(n)),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Ok(Read::Pause),
            Err(e) => Err(e),
        }
    }
}
