//! Worker latency (a plain harness: `cargo bench --bench scan_worker`).
//!
//! Replays 1280×720 frames at 30 fps through the real path (replay source →
//! source thread → latest-frame slot → decoding thread → event channel) and
//! reports the time from a frame's arrival to its decoded event, and how
//! many frames were decoded or dropped (never queued).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use checkpoint_kiosk::scan::engine::{Engine, EngineConfig};
use checkpoint_kiosk::scan::synthetic::{CodePlacement, scene, with_code};
use checkpoint_kiosk::scan::{FrameSource, ReplaySource, ScanEvent, ScanWorker, WorkerConfig};

fn main() {
    // Without `--bench` (as `cargo test --all-targets` runs it): one second.
    let full = std::env::args().any(|a| a == "--bench");
    let seconds: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(if full { 10 } else { 1 });
    let dir = tempfile::tempdir().unwrap();
    // Ten frames with a code (each a different payload), five without.
    for i in 0..15u64 {
        let mut img = scene(1280, 720, i);
        if i < 10 {
            let placement = CodePlacement {
                centre: (500.0 + 20.0 * i as f32, 360.0),
                module_px: 5.0,
                angle_deg: i as f32 * 3.0 - 12.0,
            };
            let payload = format!("0010980{i:05}||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021");
            img = with_code(img, payload.as_bytes(), &placement, i);
        }
        img.save(dir.path().join(format!("{i:02}.png"))).unwrap();
    }
    // Every read is reported, so each decoded code frame gives one event.
    let config = WorkerConfig {
        repeat_interval: Duration::ZERO,
        ..WorkerConfig::default()
    };
    let (mut worker, mut channels) =
        ScanWorker::spawn(Engine::new(EngineConfig::default()), config);
    let path = dir.path().to_owned();
    worker.attach_source(move || {
        Ok(Box::new(ReplaySource::open(&path, 30)?) as Box<dyn FrameSource>)
    });

    let start = Instant::now();
    let mut latencies = Vec::new();
    let mut max_waiting = 0;
    while start.elapsed() < Duration::from_secs(seconds) {
        max_waiting = max_waiting.max(worker.waiting());
        match channels.events.try_recv() {
            Ok(ScanEvent::Read(read)) => latencies.push(read.latency.as_secs_f64() * 1000.0),
            Ok(_) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    worker.stop();
    let stats = worker.stats();
    latencies.sort_by(f64::total_cmp);
    let pick = |p: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * p) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    println!(
        "worker, 1280x720 replay at 30 fps for {seconds} s: frames received {}, decoded {}, dropped {}, max waiting {max_waiting}",
        stats.received, stats.decoded, stats.dropped
    );
    println!(
        "arrival -> read event: {} reads, median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        latencies.len(),
        pick(0.5),
        pick(0.95),
        pick(1.0)
    );
}
