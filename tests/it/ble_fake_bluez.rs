//! The scanner against a fake BlueZ on a private D-Bus system bus: real
//! btleplug, real D-Bus, real scanner thread; only the radio is replaced.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::fake_bluez;

use std::sync::Arc;

use checkpoint_kiosk::ble::{
    BleConfig, BleHandle, BleStatus, DeviceClass, Proximity, ShiftedClock,
};
use chrono::{DateTime, Utc};
use fake_bluez::{FakeBluez, FakeBus, dbus_daemon, in_child, run_child, skip_loudly, wait_until};
use serde_json::json;

const ANDROID_UUID: &str = "00004e56-0000-1000-8000-00805f9b34fb";
const IOS_UUID: &str = "00004e56-73f5-4bc4-a12f-17d1ad07a667";
const ID_CHAR: &str = "00004e56-73f5-4bc4-a12f-17d1ad07a689";
const GAEN_UUID: &str = "0000fd6f-0000-1000-8000-00805f9b34fb";
const BLUEZONE_COMPANY: &str = "8885";
const APPLE: &str = "76";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn bzid(n: u8) -> String {
    format!("{n:02X}").repeat(12)
}

fn android(addr: &str, id: u8, rssi: i16) -> serde_json::Value {
    json!({"op": "device_add", "addr": addr, "rssi": rssi, "uuids": [ANDROID_UUID],
           "mfr": {BLUEZONE_COMPANY: bzid(id)}})
}

fn overflow_area() -> String {
    format!("0108{}", "00".repeat(15))
}

fn test_config() -> BleConfig {
    BleConfig {
        retry_ms: 200,
        health_check_ms: 200,
        confirm_ios_by_gatt: true,
        ..BleConfig::default()
    }
}

fn show(h: &BleHandle) -> String {
    format!(
        "status {:?}, sessions {}, counts {:?}, devices {:#?}",
        h.status(),
        h.sessions(),
        h.window_counts(),
        h.devices()
    )
}

/// A child test's full name, as the test harness knows it (`module::name`).
fn here(child: &str) -> String {
    let module = module_path!()
        .split_once("::")
        .map_or(module_path!(), |(_, m)| m);
    format!("{module}::{child}")
}

fn run_scenario(child: &str) {
    let Some(daemon) = dbus_daemon() else {
        skip_loudly(child);
        return;
    };
    let bus = FakeBus::start(&daemon, false);
    let status = run_child(&here(child), &bus, &[]);
    assert!(
        status.success(),
        "the scenario failed in its child process: {status}"
    );
}

/// Linux default: updates read from BlueZ's signals directly.
#[test]
fn scanner_against_fake_bluez() {
    run_scenario("scenario_child_direct");
}

/// btleplug's portable event stream (what Windows and macOS use).
#[test]
fn scanner_against_fake_bluez_btleplug_events() {
    run_scenario("scenario_child_btleplug");
}

#[test]
fn permission_denied_is_reported() {
    let Some(daemon) = dbus_daemon() else {
        skip_loudly("permission_denied_is_reported");
        return;
    };
    let bus = FakeBus::start(&daemon, true);
    let status = run_child(&here("permission_child"), &bus, &[]);
    assert!(
        status.success(),
        "the scenario failed in its child process: {status}"
    );
}

#[test]
#[ignore = "runs inside permission_denied_is_reported, with the private bus"]
fn permission_child() {
    assert!(in_child(), "run through permission_denied_is_reported");
    let _fake = FakeBluez::start();
    let h = BleHandle::start(&test_config());
    wait_until(
        20,
        "permission denied",
        || h.status() == BleStatus::PermissionDenied,
        || show(&h),
    );
    assert!(
        h.checkin_note().is_none(),
        "no observation while Bluetooth is unusable"
    );
    h.stop();
}

#[test]
#[ignore = "runs inside scanner_against_fake_bluez, with the private bus"]
fn scenario_child_direct() {
    scenario(&test_config());
}

#[test]
#[ignore = "runs inside scanner_against_fake_bluez_btleplug_events, with the private bus"]
fn scenario_child_btleplug() {
    scenario(&BleConfig {
        direct_bluez_events: false,
        ..test_config()
    });
}

fn scenario(cfg: &BleConfig) {
    assert!(in_child(), "run through scanner_against_fake_bluez*");
    let clock = Arc::new(ShiftedClock::starting_at(at("2021-05-01T10:13:30Z")));
    let h = BleHandle::start_with_clock(cfg, clock.clone());

    // Nothing owns org.bluez yet: BlueZ is "not running". The kiosk keeps going.
    wait_until(
        20,
        "no BlueZ",
        || h.status() == BleStatus::NoBluez,
        || show(&h),
    );
    assert_eq!(h.checkin_note(), None);

    // BlueZ starts without an adapter.
    let mut fake = FakeBluez::start();
    wait_until(
        20,
        "no adapter",
        || h.status() == BleStatus::NoAdapter,
        || show(&h),
    );

    // The queue: phones already advertising when the adapter is plugged in.
    fake.send(android("A0:00:00:00:00:01", 0x11, -95));
    fake.send(android("A0:00:00:00:00:02", 0x22, -80));
    fake.send(
        json!({"op": "device_add", "addr": "A0:00:00:00:00:03", "rssi": -85,
                     "name": "Bluezone", "uuids": [IOS_UUID]}),
    );
    fake.send(
        json!({"op": "device_add", "addr": "A0:00:00:00:00:04", "rssi": -75,
                     "mfr": {APPLE: overflow_area()}, "gatt": {ID_CHAR: bzid(0x44)}}),
    );
    fake.send(
        json!({"op": "device_add", "addr": "A0:00:00:00:00:05", "rssi": -90,
                     "mfr": {APPLE: overflow_area()}}),
    );
    fake.send(
        json!({"op": "device_add", "addr": "A0:00:00:00:00:06", "rssi": -72,
                     "uuids": [GAEN_UUID], "svc": {GAEN_UUID: "AB".repeat(20)}}),
    );
    fake.send(
        json!({"op": "device_add", "addr": "A0:00:00:00:00:07", "rssi": -50,
                     "name": "WH-1000XM4", "uuids": ["0000110b-0000-1000-8000-00805f9b34fb"],
                     "mfr": {"301": "0102"}}),
    );
    fake.send(json!({"op": "adapter_add", "powered": true}));
    wait_until(20, "scanning", || h.status().is_scanning(), || show(&h));
    assert_eq!(h.sessions(), 1);

    // Classes and counts. The background iPhone with a readable ID is
    // confirmed over GATT; the one without stays unconfirmed.
    wait_until(
        20,
        "every class counted",
        || {
            let c = h.window_counts();
            (
                c.bluezone_android,
                c.bluezone_ios,
                c.bluezone_ios_unconfirmed,
                c.exposure_notification,
                c.other,
            ) == (2, 2, 1, 1, 1)
        },
        || show(&h),
    );
    assert!(fake.connects() >= 1, "the GATT read went through the fake");
    let devices = h.devices();
    let headphones = devices.iter().find(|d| d.rssi == Some(-50)).unwrap();
    assert_eq!(headphones.class, DeviceClass::Other);
    assert!(
        devices
            .iter()
            .any(|d| d.class == DeviceClass::BluezoneIos && d.bzid.as_deref() == Some("4444…"))
    );
    assert_eq!(h.window_counts().phones(), 6);
    // Nobody with Bluezone stands at the kiosk yet (a near headset doesn't count).
    assert!(!h.bluezone_nearby(h.now()));
    assert_eq!(h.checkin_note(), Some(false));

    // RSSI changes: the first Android phone walks up to the kiosk.
    fake.send(json!({"op": "device_set", "addr": "A0:00:00:00:00:01", "rssi": -78}));
    fake.send(json!({"op": "device_set", "addr": "A0:00:00:00:00:01", "rssi": -55}));
    wait_until(
        20,
        "Bluezone phone at the kiosk",
        || h.bluezone_nearby(h.now()),
        || show(&h),
    );
    assert_eq!(h.checkin_note(), Some(true));
    let near = h
        .devices()
        .into_iter()
        .find(|d| d.bzid.as_deref() == Some("1111…"))
        .unwrap();
    assert_eq!((near.rssi, near.proximity), (Some(-55), Proximity::Near));

    // A phone changes its address within the slot, keeping its ID: still one phone.
    fake.send(android("A0:00:00:00:00:08", 0x88, -82));
    wait_until(
        20,
        "third Android",
        || h.window_counts().bluezone_android == 3,
        || show(&h),
    );
    fake.send(json!({"op": "device_remove", "addr": "A0:00:00:00:00:08"}));
    fake.send(android("A0:00:00:00:00:09", 0x88, -81));
    wait_until(
        20,
        "new address seen",
        || h.devices().iter().any(|d| d.address.ends_with(":00:00:09")),
        || show(&h),
    );
    assert_eq!(h.window_counts().bluezone_android, 3);

    // The slot ends (the clock jumps instead of waiting 15 minutes) and the
    // second phone's ID rotates: counted once.
    clock.set(at("2021-05-01T10:15:01Z"));
    fake.send(json!({"op": "device_set", "addr": "A0:00:00:00:00:02", "mfr": {BLUEZONE_COMPANY: bzid(0x2F)}}));
    wait_until(
        20,
        "rotated ID seen",
        || {
            h.devices()
                .iter()
                .any(|d| d.bzid.as_deref() == Some("2F2F…"))
        },
        || show(&h),
    );
    assert_eq!(h.window_counts().bluezone_android, 3, "{}", show(&h));
    assert!(
        !h.devices()
            .iter()
            .any(|d| d.bzid.as_deref() == Some("2222…"))
    );

    // The adapter vanishes (USB dongle pulled): a clear status, counts kept.
    fake.send(json!({"op": "adapter_remove"}));
    wait_until(
        20,
        "adapter gone",
        || h.status() == BleStatus::NoAdapter,
        || show(&h),
    );
    assert_eq!(h.window_counts().bluezone_android, 3);
    assert_eq!(h.checkin_note(), None);

    // It comes back with a newcomer in the queue: picked up without a restart.
    fake.send(
        json!({"op": "device_add", "addr": "A0:00:00:00:00:0A", "rssi": -70,
                     "uuids": [GAEN_UUID], "svc": {GAEN_UUID: "CD".repeat(20)}}),
    );
    fake.send(json!({"op": "adapter_add", "powered": true}));
    wait_until(
        20,
        "scanning again",
        || h.status().is_scanning(),
        || show(&h),
    );
    assert_eq!(h.sessions(), 2);
    wait_until(
        20,
        "newcomer counted",
        || h.window_counts().exposure_notification == 2,
        || show(&h),
    );
    assert_eq!(h.window_counts().bluezone_android, 3, "{}", show(&h));

    // Switched off by staff: reported, not forced back on; on again: scanning.
    fake.send(json!({"op": "powered", "value": false}));
    wait_until(
        20,
        "adapter off",
        || h.status() == BleStatus::AdapterOff,
        || show(&h),
    );
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(
        h.status(),
        BleStatus::AdapterOff,
        "the kiosk must not power the adapter on itself"
    );
    fake.send(json!({"op": "powered", "value": true}));
    wait_until(
        20,
        "scanning after power on",
        || h.status().is_scanning(),
        || show(&h),
    );
    assert_eq!(h.sessions(), 3);

    assert!(h.events() > 10);
    h.stop();
}
