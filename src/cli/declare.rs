//! `declare`, `queue`, `export`, `purge`, `config`.

use std::path::PathBuf;

use super::{CmdResult, Context, not_yet};

#[derive(Debug, clap::Args)]
pub struct DeclareArgs {
    /// Print a complete example declaration in the accepted JSON.
    #[arg(long, conflicts_with = "json")]
    pub template: bool,
    /// The declaration as JSON: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum QueueCommand {
    /// Every record, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One record.
    Show { id: String },
    /// Counts by sync state, last sync.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(long, default_value = "csv")]
    pub format: String,
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PurgeArgs {
    /// Also delete records the sync server has not acknowledged.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Print the configuration in use, as TOML.
    Show,
}

pub fn declare(_ctx: &Context, _args: &DeclareArgs) -> CmdResult {
    not_yet("declare")
}

pub fn queue(_ctx: &Context, _cmd: &QueueCommand) -> CmdResult {
    not_yet("queue")
}

pub fn export(_ctx: &Context, _args: &ExportArgs) -> CmdResult {
    not_yet("export")
}

pub fn purge(_ctx: &Context, _args: &PurgeArgs) -> CmdResult {
    not_yet("purge")
}

pub fn config(ctx: &Context, cmd: &ConfigCommand) -> CmdResult {
    match cmd {
        ConfigCommand::Show => {
            println!("# {}", ctx.data.config_file().display());
            print!("{}", ctx.config.to_toml());
            Ok(std::process::ExitCode::SUCCESS)
        }
    }
}
