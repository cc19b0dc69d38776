//! `checkpoint-kiosk-cli`: the kiosk's commands in a terminal on Windows,
//! where `checkpoint-kiosk.exe` is a windowed program with no console
//! (src/main.rs). The same code; only the subsystem differs.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    checkpoint_kiosk::cli::run(checkpoint_kiosk::cli::Cli::parse())
}
