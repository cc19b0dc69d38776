//! `parse`, `ckd`.

use std::path::PathBuf;

use super::{CmdResult, Context, not_yet};

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    #[arg(long)]
    pub json: bool,
    /// Trust list of vaccination-certificate signers.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
    /// The clock for expiry checks (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Read the payload from a file.
    #[arg(long, value_name = "F", conflicts_with_all = ["hex", "text"])]
    pub file: Option<PathBuf>,
    /// The payload as hexadecimal bytes.
    #[arg(long, value_name = "H", conflicts_with = "text")]
    pub hex: Option<String>,
    /// The payload as text.
    pub text: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum CkdCommand {
    /// Encode a declaration (JSON) as a saved-declaration QR code.
    Encode {
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        #[arg(long, value_name = "OUT", conflicts_with = "svg")]
        png: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        svg: Option<PathBuf>,
    },
}

pub fn parse(_ctx: &Context, _args: &ParseArgs) -> CmdResult {
    not_yet("parse")
}

pub fn ckd(_ctx: &Context, _cmd: &CkdCommand) -> CmdResult {
    not_yet("ckd")
}
