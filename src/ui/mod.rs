//! The kiosk window (iced). Screens, widgets and theme only; no domain logic.

use crate::cli::{CmdResult, Context, WindowArgs};

/// Opens the kiosk window.
pub fn run(_ctx: &Context, _args: &WindowArgs) -> CmdResult {
    crate::cli::not_yet("the kiosk window")
}
