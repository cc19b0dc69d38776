//! `sync`, `hub`.

use std::path::PathBuf;

use super::{CmdResult, Context, not_yet};

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Send what is pending once and exit.
    #[arg(long)]
    pub once: bool,
}

#[derive(Debug, clap::Args)]
pub struct HubArgs {
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: String,
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
}

pub fn sync(_ctx: &Context, _args: &SyncArgs) -> CmdResult {
    not_yet("sync")
}

pub fn hub(_ctx: &Context, _args: &HubArgs) -> CmdResult {
    not_yet("hub")
}
