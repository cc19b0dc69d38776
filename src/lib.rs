//! checkpoint-kiosk: an offline-first, bilingual health-declaration kiosk.
//!
//! Data flows one way: sources at the edge (`scan`, `ble`), pure domain logic
//! in the middle (`payload`, `declaration`), durable state (`store`), the
//! network (`sync`), and the GUI (`ui`) as a thin shell. Nothing in the domain
//! imports the GUI.

pub mod address;
pub mod ble;
pub mod cli;
pub mod config;
pub mod declaration;
pub mod i18n;
pub mod mask;
pub mod paths;
pub mod payload;
pub mod scan;
pub mod store;
pub mod sync;
pub mod ui;
