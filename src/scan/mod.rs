//! From frames to QR bytes: frame sources (camera, replay), the decoding
//! engine, and the worker thread that runs it off the GUI thread.

pub mod camera;
pub mod dedupe;
pub mod engine;
pub mod files;
pub mod frame;
mod nokhwa_backend;
pub mod replay;
pub mod serial;
pub mod source;
pub mod streams;
pub mod synthetic;
pub mod wedge;
pub mod worker;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use camera::{CameraChoice, CameraInfo, CaptureRequest, ReconnectingCamera};
pub use engine::{Code, DecoderName, Effort, Engine, EngineConfig, Point};
pub use frame::Frame;
pub use nokhwa_backend::list_cameras;
pub use replay::ReplaySource;
pub use source::{FrameSource, SourceError};
pub use worker::{ScanChannels, ScanEvent, ScanOrigin, ScanRead, ScanWorker, WorkerConfig};

/// Scanning settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanConfig {
    /// Camera by index ("0") or by part of its name; empty: the first one.
    pub camera: String,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// The same code is reported once per this many milliseconds.
    pub repeat_interval_ms: u64,
    /// Folder (or image) replayed instead of a camera; empty: the camera, or
    /// the shipped demo frames when there is none.
    pub replay: String,
    /// No new decoding pass starts after this many milliseconds on a frame.
    pub decode_budget_ms: u64,
    /// A decode running longer than this is reported as a stall.
    pub stall_after_ms: u64,
    /// Keyboard-wedge scanners: keys of a burst come at most this far apart.
    pub wedge_max_gap_ms: u64,
    /// Keyboard-wedge scanners: a burst has at least this many characters.
    pub wedge_min_len: usize,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            camera: String::new(),
            width: 1280,
            height: 720,
            fps: 30,
            repeat_interval_ms: 3000,
            replay: String::new(),
            decode_budget_ms: 100,
            stall_after_ms: 2000,
            wedge_max_gap_ms: 30,
            wedge_min_len: 6,
        }
    }
}

impl ScanConfig {
    /// The engine limits these settings ask for.
    pub fn engine(&self) -> EngineConfig {
        EngineConfig {
            budget: Duration::from_millis(self.decode_budget_ms),
            ..EngineConfig::default()
        }
    }

    /// The worker settings.
    pub fn worker(&self) -> WorkerConfig {
        WorkerConfig {
            repeat_interval: Duration::from_millis(self.repeat_interval_ms),
            stall_after: Duration::from_millis(self.stall_after_ms),
        }
    }

    /// The camera choice and capture request.
    pub fn camera_request(&self) -> (CameraChoice, CaptureRequest) {
        (
            CameraChoice::parse(&self.camera),
            CaptureRequest {
                width: self.width,
                height: self.height,
                fps: self.fps,
            },
        )
    }

    /// The keyboard-wedge thresholds.
    pub fn wedge(&self) -> wedge::WedgeConfig {
        wedge::WedgeConfig {
            max_gap: Duration::from_millis(self.wedge_max_gap_ms),
            min_len: self.wedge_min_len,
        }
    }
}

/// Opens the source the settings ask for: the replay folder when one is
/// given, else the camera, else (no camera on this machine) the shipped demo
/// frames. Call it on the thread that will read the frames (see
/// [`ScanWorker::attach_source`]).
pub fn open_source(
    config: &ScanConfig,
    replay: Option<&std::path::Path>,
) -> Result<Box<dyn FrameSource>, SourceError> {
    let replay = replay
        .map(std::path::Path::to_path_buf)
        .or_else(|| (!config.replay.is_empty()).then(|| config.replay.clone().into()));
    if let Some(path) = replay {
        return Ok(Box::new(ReplaySource::open(&path, config.fps)?));
    }
    let (choice, request) = config.camera_request();
    if list_cameras().is_empty()
        && let Some(demo) = replay::demo_dir()
    {
        tracing::info!(path = %demo.display(), "no camera: replaying the demo frames");
        return Ok(Box::new(
            ReplaySource::open(&demo, config.fps.min(10))?.with_cache_budget(0),
        ));
    }
    Ok(Box::new(ReconnectingCamera::new(
        nokhwa_backend::NokhwaBackend,
        choice,
        request,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_camera_the_demo_frames_play() {
        // These machines have no camera; a kiosk with one gets the camera.
        if !list_cameras().is_empty() {
            return;
        }
        let mut source = open_source(&ScanConfig::default(), None).unwrap();
        assert!(source.describe().contains("demo"), "{}", source.describe());
        let frame = source.next_frame().unwrap();
        assert_eq!((frame.width(), frame.height()), (1280, 720));
    }

    #[test]
    fn a_replay_folder_wins() {
        let dir = tempfile::tempdir().unwrap();
        image::RgbaImage::new(4, 4)
            .save(dir.path().join("a.png"))
            .unwrap();
        let source = open_source(&ScanConfig::default(), Some(dir.path())).unwrap();
        assert!(source.describe().contains("1 images"));
        let config = ScanConfig {
            replay: dir.path().display().to_string(),
            ..ScanConfig::default()
        };
        assert!(open_source(&config, None).is_ok());
    }
}
