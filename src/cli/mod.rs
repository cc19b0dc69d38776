//! The command line. No subcommand opens the kiosk window; each area of the
//! kiosk owns the file that defines and runs its subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};
use crate::paths::DataDir;
use checkpoint_i18n::Lang;

pub mod ble;
pub mod declare;
pub mod enrol;
pub mod out;
pub mod parse;
pub mod scan;
pub mod sync;
pub mod trust;

/// checkpoint-kiosk: health-declaration kiosk for epidemic checkpoints.
#[derive(Debug, Parser)]
#[command(name = "checkpoint-kiosk", version, about)]
pub struct Cli {
    /// Folder for the database, its key, logs and configuration (a portable kiosk).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Language of messages: vi or en (default: the configured one).
    #[arg(long, global = true, value_name = "vi|en")]
    pub lang: Option<Lang>,
    /// Options of the kiosk window (used when no subcommand is given).
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How the window starts.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WindowArgs {
    /// Fullscreen, no decorations, closing only through the staff PIN.
    #[arg(long)]
    pub kiosk: bool,
    /// Camera by index or name.
    #[arg(long, value_name = "N")]
    pub camera: Option<String>,
    /// Replay images from a folder (or one image) instead of a camera.
    #[arg(long, value_name = "DIR")]
    pub replay: Option<PathBuf>,
    /// No camera and no demo frames: handheld scanners and typing only.
    #[arg(long, conflicts_with_all = ["camera", "replay"])]
    pub no_camera: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and store a declaration given as JSON.
    Declare(declare::DeclareArgs),
    /// Inspect the local queue.
    #[command(subcommand)]
    Queue(declare::QueueCommand),
    /// Export stored declarations.
    Export(declare::ExportArgs),
    /// Delete records older than the retention period.
    Purge(declare::PurgeArgs),
    /// Show the configuration in use.
    #[command(subcommand)]
    Config(declare::ConfigCommand),
    /// Decode QR codes in image files.
    ScanImage(scan::ScanImageArgs),
    /// List the cameras.
    Cameras,
    /// Explain what a scanned code contains.
    Parse(parse::ParseArgs),
    /// Saved-declaration QR codes.
    #[command(subcommand)]
    Ckd(parse::CkdCommand),
    /// Send the queue to the configured hub.
    Sync(sync::SyncArgs),
    /// Join a hub with an enrolment code (its id, token and certificate pin).
    Enrol(enrol::EnrolArgs),
    /// The hub is its own program now: `checkpoint-hub`.
    #[command(hide = true)]
    Hub {
        /// Whatever followed (ignored).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        rest: Vec<String>,
    },
    /// Bluetooth LE scanning and counts.
    #[command(subcommand)]
    Ble(ble::BleCommand),
    /// The vaccination-certificate trust list.
    #[command(subcommand)]
    Trust(trust::TrustCommand),
}

/// What every command needs: language, data folder, configuration.
#[derive(Debug, Clone)]
pub struct Context {
    pub lang: Lang,
    pub data: DataDir,
    /// The configuration in force: the kiosk's own with the hub's settings over it.
    pub config: Config,
    /// The kiosk's own, as its file says.
    pub own: Config,
    /// The hub's configuration in use, verified (see crate::fleet).
    pub fleet: Option<checkpoint_domain::fleet::FleetDocument>,
    /// Set when the configuration file was unusable and defaults are in use.
    pub config_error: Option<ConfigError>,
    /// Set when the hub's configuration was refused (see crate::fleet).
    pub fleet_error: Option<checkpoint_i18n::Message>,
}

impl Context {
    /// Resolves the data folder and loads the configuration.
    pub fn from_cli(cli: &Cli) -> Self {
        let data = cli
            .data_dir
            .clone()
            .map_or_else(DataDir::platform, DataDir::portable);
        let (own, config_error) = Config::load(&data.config_file());
        // As the window resolves it (see crate::kiosk).
        let crate::kiosk::InForce {
            config,
            fleet,
            refused: fleet_error,
        } = crate::kiosk::InForce::resolve(&data, &own);
        let lang = cli.lang.unwrap_or(config.kiosk.lang);
        Self {
            lang,
            data,
            config,
            own,
            fleet,
            config_error,
            fleet_error,
        }
    }

    /// Prints the configuration problem, if any, in the chosen language.
    pub fn warn_config(&self) {
        if let Some(err) = &self.config_error {
            eprintln!("{}", err.message().render(self.lang));
        }
        if let Some(refused) = &self.fleet_error {
            eprintln!("{}", refused.render(self.lang));
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let ctx = Context::from_cli(&cli);
    crate::logging::init(
        &ctx.data,
        log_file(cli.command.as_ref()),
        &ctx.config.logging,
    );
    ctx.warn_config();
    let result = match cli.command {
        None => window(&ctx, &cli.window),
        Some(Command::Declare(args)) => declare::declare(&ctx, &args),
        Some(Command::Queue(cmd)) => declare::queue(&ctx, &cmd),
        Some(Command::Export(args)) => declare::export(&ctx, &args),
        Some(Command::Purge(args)) => declare::purge(&ctx, &args),
        Some(Command::Config(cmd)) => declare::config(&ctx, &cmd),
        Some(Command::ScanImage(args)) => scan::scan_image(&ctx, &args),
        Some(Command::Cameras) => scan::cameras(&ctx),
        Some(Command::Parse(args)) => parse::parse(&ctx, &args),
        Some(Command::Ckd(cmd)) => parse::ckd(&ctx, &cmd),
        Some(Command::Sync(args)) => sync::sync(&ctx, &args),
        Some(Command::Enrol(args)) => enrol::enrol(&ctx, &args),
        Some(Command::Hub { .. }) => sync::hub_moved(&ctx),
        Some(Command::Ble(cmd)) => ble::ble(&ctx, &cmd),
        Some(Command::Trust(cmd)) => trust::trust(&ctx, &cmd),
    };
    match result {
        Ok(code) => code,
        // `… | head`: the reader has what it wanted; nothing went wrong.
        Err(err) if out::is_closed_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The log file of a command: the window and what works on the store write
/// one under the data folder; commands that only read files or codes do
/// not create a data folder just to log.
fn log_file(command: Option<&Command>) -> Option<&'static str> {
    match command {
        None => Some("window.log"),
        Some(
            Command::Declare(_)
            | Command::Queue(_)
            | Command::Export(_)
            | Command::Purge(_)
            | Command::Sync(_)
            | Command::Enrol(_)
            | Command::Ble(_)
            | Command::Trust(_),
        ) => Some("cli.log"),
        Some(_) => None,
    }
}

/// Opens the kiosk window (no subcommand).
fn window(ctx: &Context, args: &WindowArgs) -> CmdResult {
    // May start the process again with ICED_BACKEND set (see renderer.rs).
    crate::renderer::choose(ctx.config.kiosk.renderer);
    // The window lays the hub's settings over the kiosk's own itself (and
    // again when the hub sends newer ones).
    let mut own = ctx.own.clone();
    own.kiosk.lang = ctx.lang;
    crate::ui::run(crate::ui::Launch {
        data: ctx.data.clone(),
        config: own,
        options: crate::ui::services::StartOptions {
            replay: args.replay.clone(),
            camera: args.camera.clone(),
            no_camera: args.no_camera,
            offline: false,
        },
        kiosk: args.kiosk,
        config_problem: ctx.config_error.as_ref().map(ConfigError::message),
    })
    .map_err(|e| anyhow::anyhow!("the window could not start: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The result of a command: an exit code, or an error printed at the edge.
pub type CmdResult = anyhow::Result<ExitCode>;
