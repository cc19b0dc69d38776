// On Windows the kiosk's window starts with no console window behind it;
// the same commands in a terminal are `checkpoint-kiosk-cli.exe`
// (src/main_cli.rs). Elsewhere the attribute does nothing.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Logging starts in `cli::run`, once the data folder and its
    // configuration (where the log files go, how big) are known.
    checkpoint_kiosk::cli::run(checkpoint_kiosk::cli::Cli::parse())
}
