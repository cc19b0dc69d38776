//! `ble scan`, `ble stats`.

use super::{CmdResult, Context, not_yet};

#[derive(Debug, clap::Subcommand)]
pub enum BleCommand {
    /// List nearby devices with class, RSSI and proximity.
    Scan {
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// Adoption: check-ins with a Bluezone phone nearby, per hour and day.
    Stats,
}

pub fn ble(_ctx: &Context, _cmd: &BleCommand) -> CmdResult {
    not_yet("ble")
}
