//! What every frame source shares: the trait, its errors, and a clock that
//! tests can replace.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

use super::frame::Frame;

/// Something that delivers frames: a webcam, a replayed folder.
pub trait FrameSource {
    /// Blocks until the next frame. Errors are transient unless
    /// [`SourceError::is_fatal`]: call again to go on (a camera reconnects).
    fn next_frame(&mut self) -> Result<Frame, SourceError>;

    /// A short description for status lines and logs.
    fn describe(&self) -> String;
}

/// Why a source gave no frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("no camera found")]
    NoCamera,
    #[error("no camera matches {0:?}")]
    CameraNotFound(String),
    #[error("cannot open camera {name}: {reason}")]
    OpenFailed { name: String, reason: String },
    #[error("camera {name} stopped delivering frames: {reason}")]
    CameraLost { name: String, reason: String },
    #[error("no image to replay in {0}")]
    ReplayEmpty(PathBuf),
    #[error("cannot read {path}: {reason}")]
    ReplayUnreadable { path: PathBuf, reason: String },
    #[error("the source was stopped")]
    Stopped,
}

impl SourceError {
    /// A fatal error ends the source; the others pass (e.g. by reconnecting).
    pub fn is_fatal(&self) -> bool {
        matches!(self, SourceError::ReplayEmpty(_) | SourceError::Stopped)
    }

    /// The localised explanation for staff.
    pub fn message(&self) -> Message {
        match self {
            SourceError::NoCamera => Message::new(fl!("scan-error-no-camera")),
            SourceError::CameraNotFound(choice) => {
                Message::new(fl!("scan-error-camera-not-found")).arg("choice", choice)
            }
            SourceError::OpenFailed { name, reason } => Message::new(fl!("scan-error-camera-open"))
                .arg("name", name)
                .arg("reason", reason),
            SourceError::CameraLost { name, .. } => {
                Message::new(fl!("scan-error-camera-lost")).arg("name", name)
            }
            SourceError::ReplayEmpty(path) => {
                Message::new(fl!("scan-error-replay-empty")).arg("path", path.display())
            }
            SourceError::ReplayUnreadable { path, reason } => Message::new(fl!("error-file-read"))
                .arg("path", path.display())
                .arg("reason", reason),
            SourceError::Stopped => Message::new(fl!("scan-source-stopped")),
        }
    }
}

/// Time as the sources see it, so tests can run reconnection and pacing
/// without waiting.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration);
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// A clock that only moves when slept on: for tests of pacing and backoff.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Instant>,
    slept: Mutex<Vec<Duration>>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self {
            now: Mutex::new(Instant::now()),
            slept: Mutex::new(Vec::new()),
        }
    }
}

impl ManualClock {
    /// A new clock, shared.
    pub fn shared() -> Arc<ManualClock> {
        Arc::new(ManualClock::default())
    }

    /// Every sleep asked so far.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Moves time forward without a sleep.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut now) = self.now.lock() {
            *now += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.now
            .lock()
            .map(|n| *n)
            .unwrap_or_else(|_| Instant::now())
    }
    fn sleep(&self, duration: Duration) {
        if let Ok(mut s) = self.slept.lock() {
            s.push(duration);
        }
        self.advance(duration);
    }
}
