//! The QR engine: a cascade of decoders and image preparations that stops at
//! the first success. Frames without a code stay cheap: the expensive passes
//! only run when the first pass saw evidence of a code (a symbol it located
//! but could not read) or when the caller asks for a thorough look (still
//! images), and every pass runs under a time budget.

mod cascade;
mod finder;
mod guard;
pub mod prepare;
mod rqrr_pass;
mod zxing_pass;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use image::GrayImage;
use serde::{Deserialize, Serialize};

pub use cascade::{DEFAULT_PLAN, Pass};
pub use guard::{DecoderCounters, PanicCounts};

/// A point of a code's outline, in pixels of the frame that was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// The decoder library that read a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecoderName {
    /// zxing-cpp, through its official crate.
    ZxingCpp,
    /// rqrr, pure Rust.
    Rqrr,
    /// A handheld scanner that types like a keyboard (no image decoded here).
    HandheldScanner,
}

impl DecoderName {
    /// The name shown in the CLI and the logs.
    pub fn as_str(self) -> &'static str {
        match self {
            DecoderName::ZxingCpp => "zxing-cpp",
            DecoderName::Rqrr => "rqrr",
            DecoderName::HandheldScanner => "handheld-scanner",
        }
    }
}

/// One QR code read from a frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Code {
    /// The payload as stored in the symbol.
    pub bytes: Vec<u8>,
    /// The payload as text: the bytes themselves when they are valid UTF-8;
    /// otherwise the decoder's reading under the symbol's declared or guessed
    /// character set (zxing-cpp), or `None` when no decoder offered one.
    pub text: Option<String>,
    /// Whether `bytes` are valid UTF-8 (false: `text` is an interpretation).
    pub utf8: bool,
    /// Which decoder read it.
    pub decoder: DecoderName,
    /// Which pass of the cascade read it (e.g. `direct`, `scaled-0.5`).
    pub pass: &'static str,
    /// Outline: top-left, top-right, bottom-right, bottom-left of the symbol.
    pub corners: [Point; 4],
}

impl Code {
    /// Builds a code from its bytes, keeping the strict UTF-8 reading when it
    /// exists and the decoder's own reading (`fallback`) otherwise.
    pub(crate) fn from_bytes(
        bytes: Vec<u8>,
        fallback: Option<String>,
        decoder: DecoderName,
        pass: &'static str,
        corners: [Point; 4],
    ) -> Self {
        let (text, utf8) = match std::str::from_utf8(&bytes) {
            Ok(s) => (Some(s.to_owned()), true),
            Err(_) => (fallback.filter(|t| !t.is_empty()), false),
        };
        Self {
            bytes,
            text,
            utf8,
            decoder,
            pass,
            corners,
        }
    }
}

/// How hard to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Effort {
    /// Camera frames: the expensive passes only run on evidence of a code.
    #[default]
    Live,
    /// Still images (files, imports): every pass runs until one reads or the
    /// budget ends.
    Still,
}

/// Limits that keep every frame bounded in time.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// Larger frames are downscaled to this many pixels before any decoder
    /// sees them (zxing-cpp's time grows with the area).
    pub max_pixels: u32,
    /// rqrr only sees images up to this side (its grouping step grows with
    /// the square of the finder-like patterns it meets).
    pub rqrr_max_side: u32,
    /// rqrr is skipped when the image holds more finder-like patterns than
    /// this (moiré, many codes): it once ran 112 s on such a frame.
    pub rqrr_max_finders: usize,
    /// No new pass starts after this much time on one frame.
    pub budget: Duration,
    /// The passes, in order; the first one always runs.
    pub plan: Vec<Pass>,
    /// zxing-cpp's local-average threshold and image pyramid computed by
    /// the engine (`checkpoint_qr_threshold`: the same bits, faster than the
    /// C++ as built here); `false`: inside zxing-cpp, as before (benchmarks).
    pub own_threshold: bool,
    /// Camera frames (`Effort::Live`): the first pass also looks for
    /// light-on-dark codes on one frame in this many (1: every frame). A
    /// code held up stays for many frames, so it is found at most a frame
    /// later; an empty frame costs a fifth less. Still images: always.
    pub invert_every: u32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            max_pixels: 3840 * 2160,
            rqrr_max_side: 1024,
            rqrr_max_finders: 12,
            budget: Duration::from_millis(100),
            plan: DEFAULT_PLAN.to_vec(),
            own_threshold: true,
            invert_every: 2,
        }
    }
}

/// What one decode did, for logs and benchmarks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecodeStats {
    /// Passes run, in order.
    pub passes: Vec<&'static str>,
    /// The first pass located a symbol it could not read.
    pub evidence: bool,
    /// Decoder panics caught during this decode.
    pub panics: u32,
    /// The budget ended before every planned pass ran.
    pub budget_exhausted: bool,
    /// Wall time of the whole decode.
    pub elapsed: Duration,
    /// The first pass also looked for light-on-dark codes.
    pub inverted_too: bool,
}

/// The codes found in one frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    pub codes: Vec<Code>,
    pub stats: DecodeStats,
}

/// The decoding engine. Cheap to clone; the panic counters and the count
/// of camera frames are shared.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: EngineConfig,
    counters: Arc<DecoderCounters>,
    live_frames: Arc<AtomicU64>,
}

impl Engine {
    /// An engine with the given limits.
    pub fn new(config: EngineConfig) -> Self {
        Self {
            config,
            counters: Arc::default(),
            live_frames: Arc::default(),
        }
    }

    /// The limits in use.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Panics caught so far, per decoder.
    pub fn panics(&self) -> PanicCounts {
        self.counters.snapshot()
    }

    /// Reads every QR code it can find in `image` (8-bit grey).
    pub fn decode(&self, image: &GrayImage, effort: Effort) -> Decoded {
        let every = u64::from(self.config.invert_every.max(1));
        let inverted_too = effort == Effort::Still
            || self
                .live_frames
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(every);
        cascade::run(image, effort, inverted_too, &self.config, &self.counters)
    }
}
