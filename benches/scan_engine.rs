//! Benchmark of the QR engine (a plain harness: `cargo bench --bench scan_engine -- [CORPUS]`).
//!
//! - The corpus (default `tests/data/qr/zxing`): every image upright and
//!   rotated by 90, 180 and 270 degrees; decode rate, wrong texts, median and
//!   p95 CPU milliseconds per image, slowest wall time.
//! - Synthetic 640×480, 1280×720 and 1920×1080 frames with and without a code.
//! - The peers (PyPI `zxing-cpp`) on the same images in the same run, when
//!   `python3` can import `zxingcpp`: `benches/qr_peers.py`.
//!
//! Options: `--passes` also weighs each pass alone on the corpus;
//! `--no-peers` skips the Python peers; `--live` reports the live effort too;
//! `--invert-every-frame` looks for light-on-dark codes on every camera
//! frame (the engine's default is every other one). "Before" is the engine
//! with zxing-cpp thresholding inside the C++ and inverting every frame (the
//! C++ build type, the other half of the change, cannot differ in one run).
//! Without `--bench` (as `cargo test --all-targets` runs it) it is a smoke
//! run: eight corpus images, two frames of each kind, no peers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use checkpoint_kiosk::scan::engine::{Effort, Engine, EngineConfig, Pass};
use checkpoint_kiosk::scan::frame::grey_of_rgba;
use checkpoint_kiosk::scan::synthetic::{CodePlacement, Rng, scene, with_code};
use image::GrayImage;

#[path = "support/thread_cpu.rs"]
mod thread_cpu;
use thread_cpu::thread_cpu;

struct Sample {
    cpu_ms: f64,
    wall_ms: f64,
}

fn measure<T>(f: impl FnOnce() -> T) -> (T, Sample) {
    let (c0, w0) = (thread_cpu(), Instant::now());
    let out = f();
    let sample = Sample {
        cpu_ms: (thread_cpu() - c0).as_secs_f64() * 1000.0,
        wall_ms: w0.elapsed().as_secs_f64() * 1000.0,
    };
    (out, sample)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let idx = ((values.len() - 1) as f64 * p).round() as usize;
    values[idx]
}

struct CorpusImage {
    name: String,
    grey: GrayImage,
    expected: String,
}

fn load_corpus(dir: &Path) -> Vec<CorpusImage> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "png" || x == "jpg") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let expected = std::fs::read(p.with_extension("txt")).ok()?;
            let grey = image::open(&p).ok()?.to_luma8();
            Some(CorpusImage {
                name: p.strip_prefix(dir).unwrap_or(&p).display().to_string(),
                grey,
                expected: String::from_utf8_lossy(&expected).into_owned(),
            })
        })
        .collect()
}

fn rotate(img: &GrayImage, deg: u32) -> GrayImage {
    match deg {
        90 => image::imageops::rotate90(img),
        180 => image::imageops::rotate180(img),
        270 => image::imageops::rotate270(img),
        _ => img.clone(),
    }
}

/// The corpus compares after stripping one trailing newline of the file.
fn matches(text: &str, expected: &str) -> bool {
    text == expected || expected.strip_suffix('\n') == Some(text)
}

/// Where the corpus's expected text disagrees with the symbol itself (see
/// tests/it/scan_corpus.rs): reads of these are counted apart, not as right.
const ERRATA: &[(&str, &str)] = &[(
    "qrcode-2/13.png",
    "The 2005 USGS aerial photography of the Washington Monument is censored.",
)];

#[derive(Default)]
struct Tally {
    erratum_reads: usize,
    ok: usize,
    wrong: usize,
    total: usize,
    cpu: Vec<f64>,
    max_wall: f64,
    max_wall_name: String,
    failures: Vec<String>,
    by_pass: std::collections::BTreeMap<String, usize>,
}

fn run_corpus(engine: &Engine, corpus: &[CorpusImage], effort: Effort, verbose: bool) -> Tally {
    let mut t = Tally::default();
    for img in corpus {
        for deg in [0, 90, 180, 270] {
            let grey = rotate(&img.grey, deg);
            let (decoded, s) = measure(|| engine.decode(&grey, effort));
            t.total += 1;
            t.cpu.push(s.cpu_ms);
            if s.wall_ms > t.max_wall {
                t.max_wall = s.wall_ms;
                t.max_wall_name = format!("{}@{deg}", img.name);
            }
            let texts: Vec<&str> = decoded
                .codes
                .iter()
                .filter_map(|c| c.text.as_deref())
                .collect();
            let erratum = ERRATA.iter().find(|(n, _)| img.name == *n).map(|(_, t)| *t);
            if erratum.is_some_and(|actual| texts.contains(&actual)) {
                t.erratum_reads += 1;
                t.failures.push(format!("{}@{deg} (erratum)", img.name));
            } else if texts.iter().any(|t| matches(t, &img.expected)) {
                t.ok += 1;
                let pass = decoded
                    .codes
                    .first()
                    .map(|c| format!("{}/{}", c.decoder.as_str(), c.pass));
                *t.by_pass.entry(pass.unwrap_or_default()).or_default() += 1;
            } else if !texts.is_empty() {
                t.wrong += 1;
                if verbose {
                    println!(
                        "  WRONG {}@{deg}: {:?}",
                        img.name,
                        texts[0].chars().take(60).collect::<String>()
                    );
                }
                t.failures.push(format!("{}@{deg} (wrong)", img.name));
            } else {
                t.failures.push(format!("{}@{deg}", img.name));
            }
        }
    }
    t
}

fn synthetic_frames(w: u32, h: u32, code: bool, count: u64) -> Vec<GrayImage> {
    (0..count)
        .map(|seed| {
            let mut img = scene(w, h, seed + u64::from(w));
            if code {
                let mut rng = Rng::new(seed);
                let module = rng.range(3.0, 6.0) * w as f32 / 1280.0 + 1.5;
                let placement = CodePlacement {
                    centre: (
                        rng.range(0.35, 0.65) * w as f32,
                        rng.range(0.35, 0.65) * h as f32,
                    ),
                    module_px: module,
                    angle_deg: rng.range(-25.0, 25.0),
                };
                let payload = format!(
                    "0010980{:05}||NGUYỄN VĂN A|15081998|Nam|Thôn 2, Xã Hòa Phú, Hà Nội|25052021",
                    seed
                );
                img = with_code(img, payload.as_bytes(), &placement, seed);
            }
            grey_of_rgba(&img)
        })
        .collect()
}

/// A frame whose code the first pass locates but cannot read (a thumb over
/// it): the worst case, where every fallback pass runs until the budget ends.
fn damaged_frames(w: u32, h: u32, count: u64) -> Vec<GrayImage> {
    synthetic_frames(w, h, true, count)
        .into_iter()
        .map(|mut g| {
            let (cx, cy) = (w / 2, h / 2);
            for y in cy.saturating_sub(h / 9)..cy + h / 9 {
                for x in cx.saturating_sub(w / 14)..cx + w / 14 {
                    if x < w && y < h {
                        g.put_pixel(x, y, image::Luma([90]));
                    }
                }
            }
            g
        })
        .collect()
}

struct FrameRow {
    label: String,
    median_cpu: f64,
    p95_cpu: f64,
    max_wall: f64,
    read_rate: f64,
}

fn run_frames(engine: &Engine, label: &str, frames: &[GrayImage], repeats: usize) -> FrameRow {
    let mut cpu = Vec::new();
    let mut max_wall: f64 = 0.0;
    let mut read = 0;
    for _ in 0..repeats {
        for f in frames {
            let (d, s) = measure(|| engine.decode(f, Effort::Live));
            cpu.push(s.cpu_ms);
            max_wall = max_wall.max(s.wall_ms);
            read += usize::from(!d.codes.is_empty());
        }
    }
    let n = cpu.len();
    FrameRow {
        label: label.to_owned(),
        median_cpu: percentile(&mut cpu, 0.5),
        p95_cpu: percentile(&mut cpu, 0.95),
        max_wall,
        read_rate: read as f64 / n as f64,
    }
}

fn peers(corpus_dir: &Path, frames_dir: &Path) -> Option<serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/qr_peers.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(corpus_dir)
        .arg(frames_dir)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "peers skipped: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let flag = |f: &str| args.iter().any(|a| a == f) || (f == "--no-peers" && !full);
    let corpus_dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or_else(|| PathBuf::from("tests/data/qr/zxing"), PathBuf::from);
    // `--invert-every-frame`: light-on-dark codes looked for on every
    // camera frame, as before (the default is every other frame).
    let engine = Engine::new(EngineConfig {
        invert_every: if flag("--invert-every-frame") { 1 } else { 2 },
        ..EngineConfig::default()
    });
    // The engine as it was: zxing-cpp thresholding inside the C++ (same
    // build otherwise).
    let before = Engine::new(EngineConfig {
        own_threshold: false,
        invert_every: 1,
        ..EngineConfig::default()
    });

    let mut corpus = load_corpus(&corpus_dir);
    if !full {
        corpus = corpus.into_iter().step_by(23).collect();
    }
    println!(
        "corpus {}: {} images x 4 rotations",
        corpus_dir.display(),
        corpus.len()
    );
    let mut efforts = vec![("still", Effort::Still)];
    if flag("--live") {
        efforts.push(("live", Effort::Live));
    }
    let mut ours_corpus = None;
    for (label, effort) in efforts {
        let mut t = run_corpus(&engine, &corpus, effort, true);
        let rate = t.ok as f64 / t.total.max(1) as f64;
        println!(
            "engine ({label}): decoded {}/{} = {:.1}%, wrong {} (+{} reads of the corpus erratum, not counted as decoded), CPU ms median {:.2} p95 {:.2}, slowest wall {:.1} ms ({})",
            t.ok,
            t.total,
            rate * 100.0,
            t.wrong,
            t.erratum_reads,
            percentile(&mut t.cpu, 0.5),
            percentile(&mut t.cpu, 0.95),
            t.max_wall,
            t.max_wall_name
        );
        println!("  read by: {:?}", t.by_pass);
        println!("  not read: {}", t.failures.join(", "));
        if ours_corpus.is_none() {
            ours_corpus = Some((rate, t.wrong, percentile(&mut t.cpu, 0.5)));
        }
    }
    if flag("--passes") {
        println!("each pass alone (still effort):");
        for pass in Pass::ALL {
            let single = Engine::new(EngineConfig {
                plan: vec![pass],
                ..EngineConfig::default()
            });
            let mut t = run_corpus(&single, &corpus, Effort::Still, false);
            println!(
                "  {:<18} {:>3}/{} wrong {} erratum {} median CPU {:.2} ms",
                pass.name(),
                t.ok,
                t.total,
                t.wrong,
                t.erratum_reads,
                percentile(&mut t.cpu, 0.5)
            );
        }
    }

    // Synthetic frames, saved for the peers too.
    let frames_dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    let mut before_rows = Vec::new();
    for (w, h) in [(640, 480), (1280, 720), (1920, 1080)] {
        for code in [false, true] {
            let frames = synthetic_frames(w, h, code, if full { 12 } else { 2 });
            let label = format!("{w}x{h} {}", if code { "one code" } else { "no code" });
            for (i, f) in frames.iter().enumerate() {
                let name = format!("{w}x{h}-{}-{i:02}.png", if code { "code" } else { "none" });
                f.save(frames_dir.path().join(name)).unwrap();
            }
            rows.push(run_frames(
                &engine,
                &label,
                &frames,
                if full { 5 } else { 1 },
            ));
            before_rows.push(run_frames(
                &before,
                &label,
                &frames,
                if full { 5 } else { 1 },
            ));
        }
        let damaged = damaged_frames(w, h, if full { 6 } else { 1 });
        rows.push(run_frames(
            &engine,
            &format!("{w}x{h} damaged code"),
            &damaged,
            2,
        ));
    }
    println!("synthetic frames (live effort, 12 frames x 5 runs):");
    for r in &rows {
        println!(
            "  {:<20} median CPU {:.2} ms  p95 {:.2} ms  max wall {:.1} ms  read {:.0}%",
            r.label,
            r.median_cpu,
            r.p95_cpu,
            r.max_wall,
            r.read_rate * 100.0
        );
    }
    println!("the same frames, zxing-cpp thresholding inside the C++ (before):");
    for r in &before_rows {
        println!(
            "  {:<20} median CPU {:.2} ms  p95 {:.2} ms  read {:.0}%",
            r.label,
            r.median_cpu,
            r.p95_cpu,
            r.read_rate * 100.0
        );
    }

    if flag("--no-peers") {
        return;
    }
    let Some(peer) = peers(&corpus_dir, frames_dir.path()) else {
        return;
    };
    println!("peers on this machine, same images, same run: {peer}");
    if let (Some((rate, wrong, median)), Some(p)) = (ours_corpus, peer.get("corpus")) {
        let prate = p["rate"].as_f64().unwrap_or(f64::NAN);
        let pmed = p["median_cpu_ms"].as_f64().unwrap_or(f64::NAN);
        println!(
            "corpus: ours {:.1}% (wrong {wrong}) vs zxing-cpp (Python) {:.1}% (wrong {}); CPU median ratio ours/peer {:.2}",
            rate * 100.0,
            prate * 100.0,
            p["wrong"],
            median / pmed
        );
    }
    if let Some(frames) = peer.get("frames").and_then(|f| f.as_object()) {
        for r in &rows {
            let Some(b) = before_rows.iter().find(|b| b.label == r.label) else {
                continue;
            };
            let key = r.label.replace(' ', "_");
            if let Some(pm) = frames.get(&key).and_then(|v| v["median_cpu_ms"].as_f64()) {
                println!(
                    "  {:<20} ours {:.2} ms (before {:.2}), peer {:.2} ms, ratio {:.2} (before {:.2})",
                    r.label,
                    r.median_cpu,
                    b.median_cpu,
                    pm,
                    r.median_cpu / pm,
                    b.median_cpu / pm
                );
            }
        }
    }
}
