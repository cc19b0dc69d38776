//! CPU of the scanner with a crowd of advertising devices in the fake BlueZ:
//! the scanner thread, btleplug and D-Bus decoding all run in this process;
//! the fake runs in its own. CPU is read from /proc/self/stat (utime + stime)
//! before and after a measured period of steady scanning.
//!
//! `cargo bench --bench ble_scan_cpu` measures 200 devices at 1 and 5 RSSI
//! updates per device per second, 30 s each. Under `cargo test` it runs a
//! short smoke pass. Skips loudly without dbus-daemon.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/it/fake_bluez/mod.rs"]
mod fake_bluez;

use std::time::{Duration, Instant};

use checkpoint_kiosk::ble::{BleConfig, BleHandle};
use fake_bluez::{FakeBluez, FakeBus, dbus_daemon, in_child, skip_loudly, wait_until};
use serde_json::json;

/// Linux reports CPU time in clock ticks of 1/100 s (USER_HZ).
const TICKS_PER_SEC: f64 = 100.0;
const DEVICES: u32 = 200;

fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name in parentheses; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields[11].parse().unwrap();
    let stime: f64 = fields[12].parse().unwrap();
    (utime + stime) / TICKS_PER_SEC
}

fn measure(hz: f64, secs: u64, direct: bool) -> (f64, f64) {
    let mut fake = FakeBluez::start();
    fake.send(json!({"op": "adapter_add", "powered": true}));
    fake.send(json!({"op": "crowd", "count": DEVICES, "hz": hz}));
    let h = BleHandle::start(&BleConfig {
        direct_bluez_events: direct,
        ..BleConfig::default()
    });
    let state = || format!("{:?} {:?}", h.status(), h.window_counts());
    wait_until(
        60,
        "the whole crowd heard",
        || {
            let c = h.window_counts();
            c.phones() + c.other >= DEVICES
        },
        state,
    );
    // Let discovery settle, then measure steady scanning.
    std::thread::sleep(Duration::from_secs(2));
    let (cpu0, ev0, t0) = (cpu_seconds(), h.events(), Instant::now());
    std::thread::sleep(Duration::from_secs(secs));
    let (cpu1, ev1, wall) = (cpu_seconds(), h.events(), t0.elapsed().as_secs_f64());
    let c = h.window_counts();
    assert_eq!(c.phones() + c.other, DEVICES, "{c:?}");
    h.stop();
    drop(fake);
    let share = (cpu1 - cpu0) / wall * 100.0;
    let rate = (ev1 - ev0) as f64 / wall;
    (share, rate)
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    if in_child() {
        // (updates per device per second, seconds, direct BlueZ signals or btleplug's stream)
        let runs: &[(f64, u64, bool)] = if bench {
            &[
                (1.0, 30, true),
                (5.0, 30, true),
                (1.0, 30, false),
                (5.0, 30, false),
            ]
        } else {
            &[(1.0, 3, true)]
        };
        let mut worst = 0.0f64;
        for &(hz, secs, direct) in runs {
            let (share, rate) = measure(hz, secs, direct);
            let path = if direct {
                "direct BlueZ signals (default)"
            } else {
                "btleplug event stream"
            };
            println!(
                "ble_scan_cpu: {DEVICES} devices, {hz} RSSI updates/device/s, {path}: {share:.2}% of one core over {secs} s ({rate:.0} BlueZ events/s handled)"
            );
            if direct {
                worst = worst.max(share);
            }
        }
        if bench && worst >= 5.0 {
            eprintln!("ble_scan_cpu: over the 5% budget");
            std::process::exit(1);
        }
        return;
    }
    let Some(daemon) = dbus_daemon() else {
        skip_loudly("ble_scan_cpu");
        return;
    };
    let bus = FakeBus::start(&daemon, false);
    let exe = std::env::current_exe().unwrap();
    let status = std::process::Command::new(exe)
        .args(std::env::args().skip(1))
        .env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address)
        .env(fake_bluez::CHILD_MARK, "1")
        .status()
        .unwrap();
    assert!(status.success(), "ble_scan_cpu failed: {status}");
}
