//! From a decoded chip-ID-card code to the pre-filled form on screen: the
//! app's `update` (parse, map the address, pre-fill, switch screen) and the
//! `view` with its layout (the widget tree built and laid out by iced at the
//! window's size), each time from a fresh welcome screen. The budget is one
//! frame at 60 Hz: 16 ms.
//!
//! Run: `cargo bench --bench ui_prefill` (`-- --bench` is what `cargo bench`
//! passes; without it, as in `cargo test --all-targets`, a short smoke run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/ui_support/mod.rs"]
mod ui_support;

use std::time::{Duration, Instant};

use checkpoint_kiosk::ui::app::Screen;
use ui_support::{CCCD, Kiosk};

#[path = "support/thread_cpu.rs"]
mod thread_cpu;

/// CPU time of this thread, to set apart time spent waiting for a core.
fn on_cpu_ns() -> u64 {
    u64::try_from(thread_cpu::thread_cpu().as_nanos()).unwrap_or(u64::MAX)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 300 } else { 5 };
    for size in [(1280.0, 800.0), (1920.0, 1080.0)] {
        let (mut update, mut view, mut total, mut cpu) = (vec![], vec![], vec![], vec![]);
        for _ in 0..rounds {
            let mut k = Kiosk::new();
            // Warm the welcome screen as the running window has it.
            drop(Kiosk::simulator_sized(&k.app, size));
            let cpu0 = on_cpu_ns();
            let t0 = Instant::now();
            k.scan(CCCD);
            let t1 = Instant::now();
            let ui = Kiosk::simulator_sized(&k.app, size);
            let t2 = Instant::now();
            let cpu1 = on_cpu_ns();
            drop(ui);
            assert!(matches!(k.app.screen(), Screen::Declaration(_)));
            update.push(t1 - t0);
            view.push(t2 - t1);
            total.push(t2 - t0);
            cpu.push(Duration::from_nanos(cpu1.saturating_sub(cpu0)));
        }
        for v in [&mut update, &mut view, &mut total, &mut cpu] {
            v.sort();
        }
        println!(
            "CCCD scan -> pre-filled form at {}x{} ({rounds} runs): update median {:.2} ms; \
             view+layout median {:.2} ms; total median {:.2} ms, p95 {:.2} ms, max {:.2} ms \
             (the first run of the process includes loading the fonts); on-CPU median {:.2} ms \
             (budget 16 ms)",
            size.0,
            size.1,
            ms(percentile(&update, 0.5)),
            ms(percentile(&view, 0.5)),
            ms(percentile(&total, 0.5)),
            ms(percentile(&total, 0.95)),
            ms(*total.last().unwrap()),
            ms(percentile(&cpu, 0.5)),
        );
    }
}
