//! Stream benchmark of the QR engine (a plain harness:
//! `cargo bench --bench scan_streams`): replayed 30 fps sequences
//! (`scan::streams`: a code entering the view, held steady, tilted, in
//! glare, on a phone's screen, inverted, damaged, a photo from the corpus),
//! each kind with six seeds, decoded frame by frame as the kiosk's worker
//! does (the newest frame when the decoder is free; older ones dropped) by
//!
//! - the engine (`after`),
//! - the engine with zxing-cpp doing its own threshold (`before`; the same
//!   build, so without the C++ build type change: see docs/scan.md),
//! - zxing-cpp alone (the bundled library called directly, its defaults
//!   restricted to QR codes) on every frame.
//!
//! Per kind and decoder: sequences read, time from the code's first
//! appearance to the decoded event (median and worst, ms, wall clock of this
//! machine), and CPU per decoded frame over the sequences (median, ms).
//! Without `--bench` (as `cargo test --all-targets` runs it) it is a smoke
//! run: 640x360, one seed, two kinds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::Path;
use std::time::Instant;

use checkpoint_kiosk::scan::engine::{Effort, Engine, EngineConfig};
use checkpoint_kiosk::scan::streams::{FPS, Kind, Photo, Sequence, sequence};
use image::GrayImage;
use zxingcpp::{BarcodeFormat, BarcodeReader, ImageFormat, ImageView, TextMode};

#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use thread_cpu::thread_cpu;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A decoder under test: a frame in, the payloads it read out.
type Decoder<'a> = Box<dyn FnMut(&GrayImage) -> Vec<Vec<u8>> + 'a>;

/// What one decoder made of one sequence.
struct Run {
    /// Seconds from the code's appearance to the decoded event.
    latency: Option<f64>,
    cpu_ms: Vec<f64>,
}

/// The worker's schedule on a virtual clock: frames arrive every 1/FPS s;
/// when the decoder is free it takes the newest frame that arrived (waiting
/// for the next one if it has seen it), and is busy for the decode's wall
/// time. The event is when the first decode that reads the payload ends;
/// decoding goes on to the end of the sequence, as the worker's does.
fn replay(seq: &Sequence, mut decode: impl FnMut(&GrayImage) -> Vec<Vec<u8>>) -> Run {
    let period = 1.0 / f64::from(FPS);
    let (mut now, mut last): (f64, Option<usize>) = (0.0, None);
    let mut run = Run {
        latency: None,
        cpu_ms: Vec::new(),
    };
    loop {
        let newest = (now / period).floor() as usize;
        let next = match last {
            Some(l) if newest <= l => {
                now = (l + 1) as f64 * period;
                l + 1
            }
            _ => newest,
        };
        let Some(frame) = seq.frames.get(next) else {
            break;
        };
        let (c0, w0) = (thread_cpu(), Instant::now());
        let read = decode(frame);
        let wall = w0.elapsed().as_secs_f64();
        run.cpu_ms.push((thread_cpu() - c0).as_secs_f64() * 1000.0);
        now += wall;
        last = Some(next);
        if run.latency.is_none() && next >= seq.appears && read.contains(&seq.payload) {
            run.latency = Some(now - seq.appears as f64 * period);
        }
    }
    run
}

fn photo() -> Option<Photo> {
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/qr/zxing/qrcode-2/1.png");
    let grey = image::open(&png).ok()?.to_luma8();
    let payload = std::fs::read(png.with_extension("txt")).ok()?;
    let text = String::from_utf8_lossy(&payload);
    let payload = text.strip_suffix('\n').unwrap_or(&text).as_bytes().to_vec();
    Some(Photo { grey, payload })
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (w, h, seeds) = if full { (1280, 720, 6) } else { (640, 360, 1) };
    let photo = photo();
    let after = Engine::new(EngineConfig::default());
    let before = Engine::new(EngineConfig {
        own_threshold: false,
        ..EngineConfig::default()
    });
    let zxing = BarcodeReader::new()
        .formats([BarcodeFormat::QRCode])
        .text_mode(TextMode::Plain);
    let engine = |e: &Engine| {
        let e = e.clone();
        move |f: &GrayImage| {
            e.decode(f, Effort::Live)
                .codes
                .into_iter()
                .map(|c| c.bytes)
                .collect()
        }
    };
    let alone = |f: &GrayImage| -> Vec<Vec<u8>> {
        let view =
            ImageView::from_slice(f.as_raw(), f.width(), f.height(), ImageFormat::Lum).unwrap();
        zxing
            .from(view)
            .map(|codes| codes.iter().map(|c| c.bytes()).collect())
            .unwrap_or_default()
    };
    println!(
        "streams {w}x{h} at {FPS} fps, {seeds} seed(s) per kind; latency = code in view -> decoded event"
    );
    println!(
        "{:<13} {:<7} {:>5} {:>16} {:>14} {:>13}",
        "kind", "decoder", "read", "latency median", "latency worst", "CPU/frame"
    );
    let kinds = if full {
        &Kind::ALL[..]
    } else {
        &[Kind::Steady, Kind::Photo][..]
    };
    for &kind in kinds {
        let sequences: Vec<Sequence> = (0..seeds)
            .map(|s| sequence(kind, w, h, 1000 + s, photo.as_ref()))
            .collect();
        let mut decoders: Vec<(&str, Decoder)> = vec![
            ("after", Box::new(engine(&after))),
            ("before", Box::new(engine(&before))),
            ("zxing", Box::new(alone)),
        ];
        for (name, decode) in &mut decoders {
            let runs: Vec<Run> = sequences.iter().map(|s| replay(s, &mut *decode)).collect();
            let mut latencies: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.latency.map(|l| l * 1000.0))
                .collect();
            let read = latencies.len();
            let worst = latencies.iter().copied().fold(f64::NAN, f64::max);
            let cpu: Vec<f64> = runs.iter().flat_map(|r| r.cpu_ms.clone()).collect();
            let mean_cpu = cpu.iter().sum::<f64>() / cpu.len().max(1) as f64;
            println!(
                "{:<13} {:<7} {:>2}/{:<2} {:>13.0} ms {:>11.0} ms {:>10.2} ms",
                kind.name(),
                name,
                read,
                seeds,
                median(&mut latencies),
                worst,
                mean_cpu
            );
        }
    }
}
