//! Replayed frames: a folder of images (or one image) looped at a frame rate.
//! The demo source on machines without a camera, and the tests' source.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::frame::Frame;
use super::source::{Clock, FrameSource, SourceError, SystemClock};

/// Image files the replay source reads.
const EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "bmp", "gif"];

/// Decoded frames are kept in memory up to this many bytes; past it they are
/// read from disk again on each loop.
const CACHE_BYTES: usize = 512 << 20;

/// Loops over images at a fixed rate.
pub struct ReplaySource {
    root: PathBuf,
    files: Vec<PathBuf>,
    cache: Vec<Option<Frame>>,
    cached_bytes: usize,
    cache_budget: usize,
    pos: usize,
    interval: Duration,
    next_due: Option<Instant>,
    clock: Arc<dyn Clock>,
    seq: u64,
}

impl std::fmt::Debug for ReplaySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplaySource")
            .field("root", &self.root)
            .field("files", &self.files.len())
            .field("interval", &self.interval)
            .finish()
    }
}

impl ReplaySource {
    /// Replays `path` (a folder, sorted by name, or one image) at `fps`.
    pub fn open(path: &Path, fps: u32) -> Result<Self, SourceError> {
        Self::with_clock(path, fps, Arc::new(SystemClock))
    }

    /// The same with a given clock (tests).
    pub fn with_clock(path: &Path, fps: u32, clock: Arc<dyn Clock>) -> Result<Self, SourceError> {
        let files = image_files(path)?;
        if files.is_empty() {
            return Err(SourceError::ReplayEmpty(path.to_owned()));
        }
        Ok(Self {
            root: path.to_owned(),
            cache: vec![None; files.len()],
            files,
            cached_bytes: 0,
            cache_budget: CACHE_BYTES,
            pos: 0,
            interval: Duration::from_secs(1) / fps.max(1),
            next_due: None,
            clock,
            seq: 0,
        })
    }

    /// Keeps at most `bytes` of decoded frames in memory (0: decode every
    /// frame from its file). The demo source of a camera-less kiosk runs all
    /// day: it trades a little CPU for memory.
    #[must_use]
    pub fn with_cache_budget(mut self, bytes: usize) -> Self {
        self.cache_budget = bytes;
        self
    }

    /// How many images one loop holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Never true: an empty folder is refused by [`ReplaySource::open`].
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn load(&mut self, i: usize) -> Result<Frame, SourceError> {
        if let Some(Some(frame)) = self.cache.get(i) {
            return Ok(frame.clone());
        }
        let path = &self.files[i];
        let img = image::open(path).map_err(|e| SourceError::ReplayUnreadable {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let frame = Frame::from_image(&img, 0);
        let bytes = frame.rgba.as_raw().len() + frame.grey.as_raw().len();
        if self.cached_bytes + bytes <= self.cache_budget {
            self.cached_bytes += bytes;
            self.cache[i] = Some(frame.clone());
        }
        Ok(frame)
    }
}

impl FrameSource for ReplaySource {
    fn next_frame(&mut self) -> Result<Frame, SourceError> {
        let now = self.clock.now();
        let due = self.next_due.unwrap_or(now);
        if due > now {
            self.clock.sleep(due - now);
        }
        // After a stall, start again from now rather than bursting to catch up.
        let after = self.clock.now();
        self.next_due = Some(
            if after > due + self.interval {
                after
            } else {
                due
            } + self.interval,
        );
        let i = self.pos;
        self.pos = (self.pos + 1) % self.files.len();
        let mut frame = self.load(i)?;
        frame.seq = self.seq;
        frame.arrived = Instant::now();
        self.seq += 1;
        Ok(frame)
    }

    fn describe(&self) -> String {
        format!(
            "replay {} ({} images)",
            self.root.display(),
            self.files.len()
        )
    }
}

/// The images of a folder (sorted by name), or the file itself.
pub fn image_files(path: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let unreadable = |e: std::io::Error| SourceError::ReplayUnreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The demo frames shipped with the kiosk (`assets/demo`), looked for beside
/// the working folder, beside the executable, then in the source tree.
pub fn demo_dir() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("assets/demo")];
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        candidates.push(dir.join("assets/demo"));
        candidates.push(dir.join("../share/checkpoint-kiosk/assets/demo"));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"));
    candidates.into_iter().find(|p| p.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::source::ManualClock;

    fn folder_with(n: u32) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..n {
            let img = image::RgbaImage::from_pixel(8, 6, image::Rgba([i as u8 * 40, 0, 0, 255]));
            img.save(dir.path().join(format!("{i:02}.png"))).unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "not an image").unwrap();
        dir
    }

    #[test]
    fn loops_in_name_order_at_the_frame_rate() {
        let dir = folder_with(3);
        let clock = ManualClock::shared();
        let mut src = ReplaySource::with_clock(dir.path(), 20, clock.clone()).unwrap();
        assert_eq!(src.len(), 3);
        let reds: Vec<u8> = (0..5)
            .map(|_| src.next_frame().unwrap().rgba.get_pixel(0, 0)[0])
            .collect();
        assert_eq!(reds, vec![0, 40, 80, 0, 40]);
        // First frame at once, then one every 50 ms.
        assert_eq!(clock.sleeps(), vec![Duration::from_millis(50); 4]);
    }

    #[test]
    fn a_stall_does_not_cause_a_burst() {
        let dir = folder_with(1);
        let clock = ManualClock::shared();
        let mut src = ReplaySource::with_clock(dir.path(), 10, clock.clone()).unwrap();
        src.next_frame().unwrap();
        clock.advance(Duration::from_secs(1));
        src.next_frame().unwrap();
        src.next_frame().unwrap();
        assert_eq!(clock.sleeps(), vec![Duration::from_millis(100)]);
    }

    #[test]
    fn one_image_and_empty_folders() {
        let dir = folder_with(2);
        let one = dir.path().join("01.png");
        let mut src = ReplaySource::open(&one, 1000).unwrap();
        assert_eq!(src.next_frame().unwrap().seq, 0);
        assert_eq!(src.next_frame().unwrap().seq, 1);
        let empty = tempfile::tempdir().unwrap();
        let err = ReplaySource::open(empty.path(), 30).unwrap_err();
        assert!(err.is_fatal());
        assert!(ReplaySource::open(&empty.path().join("missing"), 30).is_err());
    }

    #[test]
    fn an_unreadable_image_is_a_passing_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.png"), b"\x89PNG broken").unwrap();
        let mut src = ReplaySource::open(dir.path(), 1000).unwrap();
        let err = src.next_frame().unwrap_err();
        assert!(matches!(err, SourceError::ReplayUnreadable { .. }));
        assert!(!err.is_fatal());
    }
}
