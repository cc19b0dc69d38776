//! 2D scanners in serial mode (USB CDC-ACM: `/dev/ttyACM*`, on Windows a
//! `COM` port): they send the
//! code's bytes as they are, so a CCCD's Vietnamese name arrives whole, where
//! the keyboard mode loses the letters the host's layout lacks. Configured
//! device paths or globs are polled, so a scanner plugged in later (or
//! unplugged and plugged back) is picked up; each device is read in raw mode
//! and its bytes framed into codes by a line end or a pause. Codes go to the
//! window as the camera's do ([`ScanEvent::Read`], origin [`ScanOrigin::Serial`]).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use super::engine::{Code, DecoderName, Point};
use super::worker::{ScanEvent, ScanOrigin, ScanRead};

// How devices are found and read: the platform's edge.
#[cfg(unix)]
#[path = "serial/unix.rs"]
mod device;
#[cfg(windows)]
#[path = "serial/windows.rs"]
mod device;

/// The `[serial]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SerialConfig {
    /// Device paths or globs to read; empty: no serial scanner. On Windows,
    /// port names (`COM3`) or globs (`COM*`), a glob matching only USB ports.
    pub devices: Vec<String>,
    /// How often the devices are looked for, in milliseconds.
    pub poll_ms: u64,
    /// A pause this long (milliseconds) ends a code that has no line end.
    pub gap_ms: u64,
}

impl Default for SerialConfig {
    fn default() -> Self {
        Self {
            devices: vec![device::DEFAULT_PATTERN.to_owned()],
            poll_ms: 1000,
            gap_ms: 80,
        }
    }
}

/// The longest code kept (a version 40 QR holds 7,089 bytes at most).
const MAX_CODE_BYTES: usize = 8 * 1024;

/// The running reader: codes, and the devices open now (for the status bar).
#[derive(Debug)]
pub struct SerialScanners {
    pub events: mpsc::UnboundedReceiver<ScanEvent>,
    pub connected: watch::Receiver<Vec<PathBuf>>,
    running: Running,
}

/// Stops the readers when dropped.
#[derive(Debug)]
pub struct Running(Arc<AtomicBool>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl SerialScanners {
    /// Starts looking for the configured devices; `None` when none is configured.
    pub fn start(config: &SerialConfig) -> Option<Self> {
        if config.devices.is_empty() {
            return None;
        }
        let (tx, events) = mpsc::unbounded_channel();
        let (connected_tx, connected) = watch::channel(Vec::new());
        let stop = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<HashSet<PathBuf>>> = Arc::default();
        let poll = Duration::from_millis(config.poll_ms.max(50));
        let gap = Duration::from_millis(config.gap_ms.max(10));
        let patterns = config.devices.clone();
        let stop_watch = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("serial-scanners".into())
            .spawn(move || {
                while !stop_watch.load(Ordering::Relaxed) {
                    for path in matching(&patterns) {
                        let fresh = open
                            .lock()
                            .map(|mut s| s.insert(path.clone()))
                            .unwrap_or(false);
                        if fresh {
                            spawn_reader(
                                path,
                                gap,
                                tx.clone(),
                                open.clone(),
                                connected_tx.clone(),
                                stop_watch.clone(),
                            );
                        }
                    }
                    publish(&open, &connected_tx);
                    if tx.is_closed() {
                        return;
                    }
                    std::thread::sleep(poll);
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "serial scanners not started");
            return None;
        }
        Some(Self {
            events,
            connected,
            running: Running(stop),
        })
    }

    /// The codes, the devices, and what keeps the readers running.
    pub fn into_parts(
        self,
    ) -> (
        mpsc::UnboundedReceiver<ScanEvent>,
        watch::Receiver<Vec<PathBuf>>,
        Running,
    ) {
        (self.events, self.connected, self.running)
    }
}

/// The paths the patterns name now (globs expanded, sorted).
fn matching(patterns: &[String]) -> Vec<PathBuf> {
    let mut out = device::matching(patterns);
    out.sort();
    out.dedup();
    out
}

fn publish(open: &Mutex<HashSet<PathBuf>>, connected: &watch::Sender<Vec<PathBuf>>) {
    let mut now: Vec<PathBuf> = open
        .lock()
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default();
    now.sort();
    connected.send_if_modified(|shown| {
        let changed = *shown != now;
        *shown = now.clone();
        changed
    });
}

fn spawn_reader(
    path: PathBuf,
    gap: Duration,
    tx: mpsc::UnboundedSender<ScanEvent>,
    open: Arc<Mutex<HashSet<PathBuf>>>,
    connected: watch::Sender<Vec<PathBuf>>,
    stop: Arc<AtomicBool>,
) {
    let name = format!("serial {}", path.display());
    let spawned = std::thread::Builder::new().name(name).spawn(move || {
        match read_device(&path, gap, &tx, &stop) {
            Ok(()) => tracing::info!(device = %path.display(), "serial scanner closed"),
            Err(e) => tracing::info!(device = %path.display(), error = %e, "serial scanner gone"),
        }
        if let Ok(mut s) = open.lock() {
            s.remove(&path);
        }
        publish(&open, &connected);
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "serial reader not started");
    }
}

/// Reads one device until it goes away: codes framed by a line end or a
/// pause of `gap`.
fn read_device(
    path: &std::path::Path,
    gap: Duration,
    tx: &mpsc::UnboundedSender<ScanEvent>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut port = device::Port::open(path, gap)?;
    tracing::info!(device = %path.display(), "serial scanner open");
    let mut framer = Framer::default();
    let mut buf = [0u8; 1024];
    while !stop.load(Ordering::Relaxed) {
        match port.read(&mut buf)? {
            device::Read::Pause => {
                // A pause: whatever came is one code.
                if let Some(code) = framer.pause() {
                    send(tx, path, code)?;
                }
            }
            device::Read::Closed => return Ok(()),
            device::Read::Bytes(n) => {
                for code in framer.push(&buf[..n]) {
                    send(tx, path, code)?;
                }
            }
        }
    }
    Ok(())
}

fn send(
    tx: &mpsc::UnboundedSender<ScanEvent>,
    path: &std::path::Path,
    bytes: Vec<u8>,
) -> std::io::Result<()> {
    let started = Instant::now();
    let code = Code::from_bytes(
        bytes,
        None,
        DecoderName::HandheldScanner,
        "serial",
        [Point::default(); 4],
    );
    tx.send(ScanEvent::Read(ScanRead {
        code,
        origin: ScanOrigin::Serial(path.to_owned()),
        frame_seq: None,
        latency: started.elapsed(),
    }))
    .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "window gone"))
}

/// Cuts a byte stream into codes: at CR or LF, or at a pause. Empty codes
/// (a CR LF pair) are dropped; an overlong one is dropped whole.
#[derive(Debug, Default)]
pub struct Framer {
    pending: Vec<u8>,
    overlong: bool,
}

impl Framer {
    /// Bytes as they arrived; the codes they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                out.extend(self.take());
            } else if self.pending.len() < MAX_CODE_BYTES {
                self.pending.push(b);
            } else {
                self.overlong = true;
            }
        }
        out
    }

    /// The line went quiet: what came is one code.
    pub fn pause(&mut self) -> Option<Vec<u8>> {
        self.take()
    }

    fn take(&mut self) -> Option<Vec<u8>> {
        let code = std::mem::take(&mut self.pending);
        if std::mem::take(&mut self.overlong) {
            tracing::warn!(bytes = code.len(), "serial code too long: dropped");
            return None;
        }
        (!code.is_empty()).then_some(code)
    }
}

#[cfg(test)]
mod tests {
    use super::Framer;
    use proptest::prelude::*;

    #[test]
    fn codes_end_at_a_line_end_or_a_pause_whatever_the_reads() {
        let mut f = Framer::default();
        assert!(f.push("0010980123|NGUYỄN".as_bytes()).is_empty());
        let done = f.push(" THỊ ÁNH|x\r\nsecond".as_bytes());
        assert_eq!(
            done,
            vec!["0010980123|NGUYỄN THỊ ÁNH|x".as_bytes().to_vec()]
        );
        assert_eq!(f.pause(), Some(b"second".to_vec()));
        assert_eq!(f.pause(), None);
    }

    proptest! {
        #[test]
        fn any_split_of_a_burst_gives_the_same_code(text in "[^\r\n]{1,300}", cuts in proptest::collection::vec(0usize..400, 0..6)) {
            let bytes = format!("{text}\r\n").into_bytes();
            let mut points: Vec<usize> = cuts.into_iter().map(|c| c % bytes.len()).collect();
            points.sort();
            let mut f = Framer::default();
            let mut got = Vec::new();
            let mut last = 0;
            for p in points.into_iter().chain([bytes.len()]) {
                got.extend(f.push(&bytes[last..p]));
                last = p;
            }
            prop_assert_eq!(got, vec![text.into_bytes()]);
        }
    }
}
