//! checkpoint-kiosk: an offline-first, bilingual health-declaration kiosk.
//!
//! Data flows one way: sources at the edge (`scan`, `ble`), the domain
//! (`checkpoint-domain`), durable state (`checkpoint-store`), the network
//! (`sync`, speaking `checkpoint-wire`), and the GUI (`ui`) and the command
//! line (`cli`) as thin shells. See docs/architecture.md.

pub mod ble;
pub mod cli;
pub mod config;
pub mod enrolment;
pub mod exports;
pub mod fleet;
pub mod kiosk;
pub mod logging;
pub mod paths;
pub mod poster;
pub mod renderer;
pub mod scan;
pub mod storage;
pub mod sync;
pub mod sync_summary;
pub mod trust;
pub mod ui;
