use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Logging starts in `cli::run`, once the data folder and its
    // configuration (where the log files go, how big) are known.
    checkpoint_kiosk::cli::run(checkpoint_kiosk::cli::Cli::parse())
}
