//! The kiosk's integration tests, one binary (one link instead of one per
//! file): each module is one area, named as the files were before
//! (`cargo test --test it store_queue::` runs one area).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fake_bluez;
mod store_support;
mod support;
mod ui_support;

mod ble_fake_bluez;
mod cli_declare;
mod cli_export;
mod cli_queue;
mod e2e_cli;
mod enrolment;
mod fleet;
mod locales;
mod logs;
mod payload_prefill;
mod phone_page;
mod scan_cli;
mod scan_corpus;
mod scan_demo_frames;
mod scan_engine_props;
mod scan_serial;
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
mod sync_faults;
mod sync_limits;
mod sync_postgres;
mod sync_protocol;
mod trust_list;
mod ui_enrol;
mod ui_flagged;
mod ui_fleet;
mod ui_flow;
mod ui_keyboard;
mod ui_screenshots;
mod ui_staff;
mod ui_tap_points;
mod ui_visitor_code;
