//! `scan-image`, `cameras`.

use std::path::PathBuf;

use super::{CmdResult, Context, not_yet};

#[derive(Debug, clap::Args)]
pub struct ScanImageArgs {
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Also explain what each code contains.
    #[arg(long)]
    pub parse: bool,
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn scan_image(_ctx: &Context, _args: &ScanImageArgs) -> CmdResult {
    not_yet("scan-image")
}

pub fn cameras(_ctx: &Context) -> CmdResult {
    not_yet("cameras")
}
