//! The kiosk's integration tests, one binary (one link instead of one per
//! file): each module is one area, named as the files were before
//! (`cargo test --test it store_queue::` runs one area).
//!
//! Under Windows (Wine in CI) the same binary runs without the modules marked
//! Linux-only: those start the hub in-process (a Linux server), play BlueZ on
//! a private D-Bus, a scanner on a Unix pseudo-terminal or drive chromium.
//! Their Windows counterparts are `sync_remote` (a hub started apart) and
//! `scan_serial_com` (a COM port). docs/windows.md lists them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_os = "linux")]
mod fake_bluez;
mod serial_support;
mod store_support;
mod support;
mod ui_support;

#[cfg(target_os = "linux")]
mod ble_fake_bluez;
mod cli_declare;
mod cli_export;
mod cli_queue;
#[cfg(target_os = "linux")]
mod e2e_cli;
#[cfg(target_os = "linux")]
mod enrolment;
#[cfg(target_os = "linux")]
mod fleet;
mod locales;
mod logs;
mod payload_prefill;
#[cfg(target_os = "linux")]
mod phone_page;
mod scan_cli;
mod scan_corpus;
mod scan_demo_frames;
mod scan_engine_props;
#[cfg(target_os = "linux")]
mod scan_serial;
#[cfg(windows)]
mod scan_serial_com;
mod scan_streams;
mod scan_threshold;
mod scan_worker;
mod store_at_rest;
mod store_audit;
mod store_checkin;
mod store_crash;
mod store_follow_up;
mod store_key;
mod store_migrations;
mod store_queue;
mod store_retention;
mod store_sync_queue;
#[cfg(target_os = "linux")]
mod sync_faults;
#[cfg(target_os = "linux")]
mod sync_limits;
#[cfg(target_os = "linux")]
mod sync_postgres;
#[cfg(target_os = "linux")]
mod sync_protocol;
#[cfg(windows)]
mod sync_remote;
mod trust_list;
#[cfg(target_os = "linux")]
mod ui_enrol;
mod ui_flagged;
mod ui_fleet;
mod ui_flow;
mod ui_keyboard;
mod ui_screenshots;
mod ui_staff;
mod ui_tap_points;
mod ui_visitor_code;
