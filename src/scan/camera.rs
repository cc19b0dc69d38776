//! Webcams: choosing one, and a source that reconnects by itself when the
//! camera is unplugged and plugged back. The hardware sits behind
//! [`CameraBackend`] (nokhwa in the kiosk, a fake in tests), so the
//! reconnection logic is tested without a camera.

use std::sync::Arc;
use std::time::{Duration, Instant};

use image::RgbaImage;

use super::frame::Frame;
use super::source::{Clock, FrameSource, SourceError, SystemClock};

/// A camera as the system lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraInfo {
    /// The system's index (e.g. /dev/videoN).
    pub index: u32,
    pub name: String,
    pub description: String,
}

/// Which camera to use, as written in the configuration or on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CameraChoice {
    /// The first one listed.
    #[default]
    First,
    /// By position in the list or system index.
    Index(u32),
    /// The first whose name contains this text (any case).
    Name(String),
}

impl CameraChoice {
    /// "" → first, digits → index, anything else → part of a name.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if text.is_empty() {
            CameraChoice::First
        } else if let Ok(i) = text.parse::<u32>() {
            CameraChoice::Index(i)
        } else {
            CameraChoice::Name(text.to_owned())
        }
    }

    /// The camera this choice designates in `list`.
    pub fn pick<'a>(&self, list: &'a [CameraInfo]) -> Option<&'a CameraInfo> {
        match self {
            CameraChoice::First => list.first(),
            CameraChoice::Index(i) => list
                .iter()
                .find(|c| c.index == *i)
                .or_else(|| list.get(*i as usize)),
            CameraChoice::Name(part) => {
                let part = part.to_lowercase();
                list.iter().find(|c| c.name.to_lowercase().contains(&part))
            }
        }
    }

    fn label(&self) -> String {
        match self {
            CameraChoice::First => String::new(),
            CameraChoice::Index(i) => i.to_string(),
            CameraChoice::Name(n) => n.clone(),
        }
    }
}

/// The capture format asked for; the camera gives the closest it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureRequest {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

/// The hardware edge: listing and opening cameras.
pub trait CameraBackend {
    type Stream: CameraStream;
    fn list(&self) -> Result<Vec<CameraInfo>, SourceError>;
    fn open(
        &self,
        camera: &CameraInfo,
        request: CaptureRequest,
    ) -> Result<Self::Stream, SourceError>;
}

/// An open camera.
pub trait CameraStream {
    /// Blocks until the next frame; an error means the camera is gone.
    fn read(&mut self) -> Result<RgbaImage, SourceError>;
}

/// How long to wait between reconnection attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_millis(500),
            max: Duration::from_secs(5),
        }
    }
}

/// A camera that reopens itself: after a read error it reports the loss
/// once, then tries again at growing intervals, preferring the camera it had
/// (by name, since a replugged camera may get another index).
pub struct ReconnectingCamera<B: CameraBackend> {
    backend: B,
    choice: CameraChoice,
    request: CaptureRequest,
    backoff: Backoff,
    clock: Arc<dyn Clock>,
    stream: Option<B::Stream>,
    current: Option<CameraInfo>,
    next_attempt: Option<Instant>,
    wait: Duration,
    seq: u64,
}

impl<B: CameraBackend> std::fmt::Debug for ReconnectingCamera<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectingCamera")
            .field("choice", &self.choice)
            .field("current", &self.current)
            .field("connected", &self.stream.is_some())
            .finish()
    }
}

impl<B: CameraBackend> ReconnectingCamera<B> {
    /// A camera source; nothing is opened before the first frame is asked.
    pub fn new(backend: B, choice: CameraChoice, request: CaptureRequest) -> Self {
        Self::with_clock(
            backend,
            choice,
            request,
            Backoff::default(),
            Arc::new(SystemClock),
        )
    }

    /// The same with a given backoff and clock (tests).
    pub fn with_clock(
        backend: B,
        choice: CameraChoice,
        request: CaptureRequest,
        backoff: Backoff,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            backend,
            choice,
            request,
            backoff,
            clock,
            stream: None,
            current: None,
            next_attempt: None,
            wait: backoff.first,
            seq: 0,
        }
    }

    /// Whether a camera is open now.
    pub fn is_connected(&self) -> bool {
        self.stream.is_some()
    }

    fn connect(&mut self) -> Result<(), SourceError> {
        let list = self.backend.list()?;
        // The camera we had, by name, wins over the configured choice.
        let remembered = self
            .current
            .as_ref()
            .and_then(|had| list.iter().find(|c| c.name == had.name));
        let camera = match remembered.or_else(|| self.choice.pick(&list)) {
            Some(c) => c.clone(),
            None if list.is_empty() => return Err(SourceError::NoCamera),
            None => return Err(SourceError::CameraNotFound(self.choice.label())),
        };
        let stream = self.backend.open(&camera, self.request)?;
        tracing::info!(camera = %camera.name, index = camera.index, "camera open");
        self.stream = Some(stream);
        self.current = Some(camera);
        Ok(())
    }
}

impl<B: CameraBackend> FrameSource for ReconnectingCamera<B> {
    fn next_frame(&mut self) -> Result<Frame, SourceError> {
        if self.stream.is_none() {
            if let Some(at) = self.next_attempt {
                let now = self.clock.now();
                if at > now {
                    self.clock.sleep(at - now);
                }
            }
            if let Err(err) = self.connect() {
                self.next_attempt = Some(self.clock.now() + self.wait);
                self.wait = (self.wait * 2).min(self.backoff.max);
                return Err(err);
            }
            self.wait = self.backoff.first;
            self.next_attempt = None;
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(SourceError::NoCamera);
        };
        match stream.read() {
            Ok(rgba) => {
                let frame = Frame::from_rgba(rgba, self.seq);
                self.seq += 1;
                Ok(frame)
            }
            Err(err) => {
                self.stream = None;
                self.next_attempt = Some(self.clock.now() + self.wait);
                let name = self
                    .current
                    .as_ref()
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                tracing::warn!(camera = %name, %err, "camera lost; will reconnect");
                Err(SourceError::CameraLost {
                    name,
                    reason: err.to_string(),
                })
            }
        }
    }

    fn describe(&self) -> String {
        match &self.current {
            Some(c) => format!("{} ({})", c.name, c.index),
            None => format!("camera {:?}", self.choice),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::Rc;

    use super::*;
    use crate::scan::source::ManualClock;

    /// The fake hardware: a list of plugged cameras the test edits, and a
    /// script of what each open stream's reads return.
    #[derive(Default)]
    struct Bench {
        plugged: Vec<CameraInfo>,
        reads: VecDeque<Result<(), ()>>,
        opens: Vec<String>,
        refuse_open: bool,
    }

    #[derive(Clone, Default)]
    struct FakeBackend(Rc<RefCell<Bench>>);
    struct FakeStream(Rc<RefCell<Bench>>);

    impl CameraBackend for FakeBackend {
        type Stream = FakeStream;
        fn list(&self) -> Result<Vec<CameraInfo>, SourceError> {
            Ok(self.0.borrow().plugged.clone())
        }
        fn open(&self, camera: &CameraInfo, _: CaptureRequest) -> Result<FakeStream, SourceError> {
            let mut bench = self.0.borrow_mut();
            if bench.refuse_open {
                return Err(SourceError::OpenFailed {
                    name: camera.name.clone(),
                    reason: "busy".into(),
                });
            }
            bench.opens.push(camera.name.clone());
            Ok(FakeStream(self.0.clone()))
        }
    }

    impl CameraStream for FakeStream {
        fn read(&mut self) -> Result<RgbaImage, SourceError> {
            match self.0.borrow_mut().reads.pop_front() {
                Some(Ok(())) | None => Ok(RgbaImage::new(4, 3)),
                Some(Err(())) => Err(SourceError::OpenFailed {
                    name: "x".into(),
                    reason: "ENODEV".into(),
                }),
            }
        }
    }

    fn cam(index: u32, name: &str) -> CameraInfo {
        CameraInfo {
            index,
            name: name.into(),
            description: String::new(),
        }
    }

    const REQ: CaptureRequest = CaptureRequest {
        width: 1280,
        height: 720,
        fps: 30,
    };

    fn source(
        backend: &FakeBackend,
        choice: CameraChoice,
        clock: Arc<ManualClock>,
    ) -> ReconnectingCamera<FakeBackend> {
        let backoff = Backoff {
            first: Duration::from_millis(100),
            max: Duration::from_millis(400),
        };
        ReconnectingCamera::with_clock(backend.clone(), choice, REQ, backoff, clock)
    }

    #[test]
    fn choice_parses_and_picks() {
        let list = [cam(0, "Integrated Webcam"), cam(2, "Logitech C920")];
        assert_eq!(CameraChoice::parse(""), CameraChoice::First);
        assert_eq!(CameraChoice::parse(" 2 "), CameraChoice::Index(2));
        assert_eq!(
            CameraChoice::parse("c920"),
            CameraChoice::Name("c920".into())
        );
        assert_eq!(CameraChoice::First.pick(&list).map(|c| c.index), Some(0));
        assert_eq!(CameraChoice::Index(2).pick(&list).map(|c| c.index), Some(2));
        // Position 1 when no camera has system index 1.
        assert_eq!(CameraChoice::Index(1).pick(&list).map(|c| c.index), Some(2));
        assert_eq!(
            CameraChoice::parse("LOGI").pick(&list).map(|c| c.index),
            Some(2)
        );
        assert_eq!(CameraChoice::parse("nikon").pick(&list), None);
        assert_eq!(CameraChoice::First.pick(&[]), None);
    }

    #[test]
    fn no_camera_is_a_clean_error_retried_with_growing_waits() {
        let backend = FakeBackend::default();
        let clock = ManualClock::shared();
        let mut src = source(&backend, CameraChoice::First, clock.clone());
        for _ in 0..4 {
            assert_eq!(src.next_frame().err(), Some(SourceError::NoCamera));
        }
        let ms: Vec<u128> = clock.sleeps().iter().map(Duration::as_millis).collect();
        assert_eq!(ms, vec![100, 200, 400]);
    }

    #[test]
    fn unplug_and_replug_reconnects_to_the_same_camera() {
        let backend = FakeBackend::default();
        backend.0.borrow_mut().plugged = vec![cam(0, "Integrated"), cam(1, "USB Cam")];
        let clock = ManualClock::shared();
        let mut src = source(&backend, CameraChoice::Name("usb".into()), clock.clone());
        assert_eq!(src.next_frame().map(|f| f.seq).ok(), Some(0));
        assert_eq!(src.next_frame().map(|f| f.seq).ok(), Some(1));

        // Unplugged: the read fails, the camera disappears from the list.
        backend.0.borrow_mut().reads.push_back(Err(()));
        assert!(
            matches!(src.next_frame(), Err(SourceError::CameraLost { ref name, .. }) if name == "USB Cam")
        );
        assert!(!src.is_connected());
        backend.0.borrow_mut().plugged = vec![cam(0, "Integrated")];
        assert_eq!(
            src.next_frame().err(),
            Some(SourceError::CameraNotFound("usb".into()))
        );

        // Plugged back under another index: found again by name.
        backend.0.borrow_mut().plugged = vec![cam(0, "Integrated"), cam(3, "USB Cam")];
        assert_eq!(src.next_frame().map(|f| f.seq).ok(), Some(2));
        assert!(src.is_connected());
        assert_eq!(backend.0.borrow().opens, vec!["USB Cam", "USB Cam"]);
        assert!(src.describe().contains("(3)"));
        // Waited before each attempt, never spun.
        assert_eq!(clock.sleeps().len(), 2);
    }

    #[test]
    fn an_open_failure_is_reported_and_retried() {
        let backend = FakeBackend::default();
        backend.0.borrow_mut().plugged = vec![cam(0, "Cam")];
        backend.0.borrow_mut().refuse_open = true;
        let clock = ManualClock::shared();
        let mut src = source(&backend, CameraChoice::First, clock);
        assert!(matches!(
            src.next_frame(),
            Err(SourceError::OpenFailed { .. })
        ));
        backend.0.borrow_mut().refuse_open = false;
        assert!(src.next_frame().is_ok());
    }
}
