//! The command line of `checkpoint-hub`: serve, `token add|list|revoke`,
//! `user add|list|disable|reset-password`, `export`.

mod checkpoints;
pub mod config_file;
mod enrol;
mod fleet;
mod maintenance;
mod users;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use checkpoint_i18n::{Lang, Message, fl, t, t_args};
use chrono::{DateTime, NaiveDate, Utc};

use crate::db::RetentionRule;
use crate::{
    DbTarget, ExportFilter, HubDb, HubOptions, Limits, RevokeSelector, RunningHub, TlsFiles, auth,
};

/// checkpoint-hub: receives the records of many checkpoint kiosks.
#[derive(Debug, clap::Parser)]
#[command(name = "checkpoint-hub", version, about, args_override_self = true)]
pub struct Cli {
    /// A configuration file (TOML; the packaged one is /etc/checkpoint-hub/hub.toml):
    /// its keys are these options, and an option given here wins over it.
    #[arg(long, global = true, value_name = "FILE", env = config_file::CONFIG_ENV)]
    pub config: Option<PathBuf>,
    /// Folder for the default SQLite database and its key.
    #[arg(long, global = true, value_name = "DIR", env = "CK_HUB_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Language of messages: vi or en.
    #[arg(
        long,
        global = true,
        value_name = "vi|en",
        default_value = "vi",
        env = "CK_HUB_LANG"
    )]
    pub lang: Lang,
    #[command(flatten)]
    pub hub: HubArgs,
}

/// What every command needs: the language and the data folder.
#[derive(Debug, Clone)]
struct Context {
    lang: Lang,
    data_dir: PathBuf,
}

impl Context {
    fn from_cli(cli: &Cli) -> Self {
        let data_dir = cli.data_dir.clone().unwrap_or_else(|| {
            directories::ProjectDirs::from("", "", "checkpoint-hub")
                .map_or_else(|| PathBuf::from("."), |d| d.data_dir().to_owned())
        });
        Self {
            lang: cli.lang,
            data_dir,
        }
    }
}

/// Reads the configuration file, if one is named, then the command line over it.
pub fn run_from_args(args: Vec<std::ffi::OsString>) -> ExitCode {
    use clap::Parser as _;
    let args = match config_file::requested(&args) {
        None => args,
        Some(path) => match config_file::ConfigFile::load(&path) {
            Ok(file) => config_file::merged(args, &file),
            Err(message) => {
                eprintln!("{}", message.render(early_lang(&args)));
                return ExitCode::FAILURE;
            }
        },
    };
    run(Cli::parse_from(args))
}

/// The language asked for before the command line could be read.
fn early_lang(args: &[std::ffi::OsString]) -> Lang {
    let named = args
        .windows(2)
        .find(|w| w[0] == "--lang")
        .and_then(|w| w[1].to_str().map(str::to_owned))
        .or_else(|| std::env::var("CK_HUB_LANG").ok());
    match named.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let ctx = Context::from_cli(&cli);
    match hub(&ctx, &cli.hub) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err:#}");
            ExitCode::FAILURE
        }
    }
}

type CmdResult = anyhow::Result<ExitCode>;

#[derive(Debug, clap::Args)]
pub struct HubArgs {
    #[command(subcommand)]
    pub command: Option<HubCommand>,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// The hub's certificate chain (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The hub's private key (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP (only behind a TLS-terminating proxy on the same host).
    #[arg(long, conflicts_with = "tls_cert")]
    pub plain_http: bool,
    /// Add `Server-Timing` to every answer (for benchmarks and developer tools).
    #[arg(long)]
    pub server_timing: bool,
    /// The proxy in front of the hub (its address): only its
    /// X-Forwarded-For names the client; with it, --plain-http may listen
    /// off loopback (the proxy's own network).
    #[arg(long, value_name = "IP")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Most records accepted in one batch.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_records)]
    pub max_records: usize,
    #[command(flatten)]
    pub store: HubStoreArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
    /// Minutes between retention runs while serving.
    #[arg(long, value_name = "MINUTES", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub purge_every_minutes: u64,
    /// Minutes without a heartbeat or batch after which a kiosk shows as silent.
    #[arg(long, value_name = "MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(i64).range(1..=10080))]
    pub silent_after_minutes: i64,
    /// Hours after which a flagged visitor nobody attended to is counted on the overview.
    #[arg(long, value_name = "HOURS", default_value_t = 4,
          value_parser = clap::value_parser!(i64).range(1..=720))]
    pub waiting_alert_hours: i64,
    /// The address phones reach the phone page at (its proxy, docs/phone.md), e.g.
    /// https://khaibao.example.vn: kiosks show it for their checkpoint.
    #[arg(long, value_name = "URL", value_parser = phone_url)]
    pub phone_url: Option<String>,
}

/// An http(s) address without a path: where `/declare/` is found.
fn phone_url(text: &str) -> Result<String, String> {
    let t = text.trim().trim_end_matches('/');
    let host = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or("");
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b);
    if host.is_empty() || !host.bytes().all(plain) {
        return Err("an address such as https://khaibao.example.vn".to_owned());
    }
    Ok(t.to_owned())
}

/// How long records are kept on the hub.
#[derive(Debug, Clone, clap::Args)]
pub struct RetentionArgs {
    /// Days a record is kept after it was taken.
    #[arg(long, value_name = "DAYS", default_value_t = RetentionRule::default().days,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub retention_days: u32,
    /// Days a flagged declaration whose follow-up is not cleared is kept at most.
    #[arg(long, value_name = "DAYS", default_value_t = RetentionRule::default().follow_up_max_days,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub follow_up_max_days: u32,
    /// Days an audit entry is kept (30 at least).
    #[arg(long, value_name = "DAYS", default_value_t = RetentionRule::default().audit_days,
          value_parser = clap::value_parser!(u32).range(i64::from(crate::rows::AUDIT_MIN_DAYS)..=3650))]
    pub audit_retention_days: u32,
}

impl RetentionArgs {
    pub fn rule(&self) -> RetentionRule {
        RetentionRule {
            days: self.retention_days,
            follow_up_max_days: self.follow_up_max_days.max(self.retention_days),
            audit_days: self.audit_retention_days,
        }
    }
}

/// Where the hub keeps its data (also for `hub token` and `hub export`).
#[derive(Debug, Clone, clap::Args)]
pub struct HubStoreArgs {
    /// SQLite file (default: hub.db in the data folder).
    #[arg(long, value_name = "FILE", global = true)]
    pub db: Option<PathBuf>,
    /// Key of the SQLite file (default: the file's name + .key; created on first run).
    #[arg(long, value_name = "FILE", global = true)]
    pub key_file: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite (several hubs may share it).
    #[arg(
        long,
        value_name = "URL",
        env = "CK_HUB_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum HubCommand {
    /// Manage kiosk tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage the accounts of the console.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Manage checkpoints and assign kiosks to them.
    #[command(subcommand)]
    Checkpoint(checkpoints::CheckpointCommand),
    /// Copy the SQLite store, online, into a new file.
    Backup(maintenance::BackupArgs),
    /// Delete the records past their retention time now.
    Purge(RetentionArgs),
    /// Export received records as CSV (UTF-8 with BOM).
    Export(ExportArgs),
    /// Print the SHA-256 of the hub's certificate, which kiosks pin (and
    /// renew the hub's own certificate without enrolling kiosks again).
    Certificate {
        #[command(subcommand)]
        action: Option<CertificateAction>,
    },
    /// Codes that enrol a new kiosk at a checkpoint.
    #[command(subcommand)]
    Enrol(enrol::EnrolCommand),
    /// What every kiosk takes from this hub: settings, the trust list.
    #[command(subcommand)]
    Fleet(fleet::FleetCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum CertificateAction {
    /// Make the next certificate; kiosks learn it from the fleet's signed
    /// configuration at their next sync.
    Renew,
    /// Put the next certificate in place (once kiosks have synced); restart the hub after.
    Rotate,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token for a kiosk and print it (once).
    Add {
        #[arg(long, value_name = "KIOSK_ID")]
        kiosk: String,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List tokens (by id, never the token itself).
    List,
    /// Revoke tokens, by id (from `list`) or every token of a kiosk.
    Revoke {
        #[arg(long, value_name = "KIOSK_ID")]
        kiosk: Option<String>,
        #[arg(long, value_name = "ID")]
        id: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Only this kiosk.
    #[arg(long, value_name = "KIOSK_ID")]
    pub kiosk: Option<String>,
    /// Created on or after (YYYY-MM-DD local, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Created on or before (YYYY-MM-DD local, inclusive; or RFC 3339, exclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Output file (default: standard output; xlsx needs a file).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// csv: one sheet, a column per field; xlsx: a workbook with every
    /// sheet; raw: one line per record with its JSON body (for archives).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// The sheet a CSV export holds.
    #[arg(long, value_enum, default_value = "declarations")]
    pub sheet: ExportSheet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportSheet {
    Declarations,
    Reports,
    FollowUps,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("tokio runtime")
}

fn localized(ctx: &Context, message: &Message) -> anyhow::Error {
    anyhow::anyhow!(message.render(ctx.lang))
}

fn db_target(ctx: &Context, store: &HubStoreArgs) -> DbTarget {
    if let Some(url) = &store.database_url {
        return DbTarget::Postgres(url.clone());
    }
    let path = store
        .db
        .clone()
        .unwrap_or_else(|| ctx.data_dir.join("hub.db"));
    let key_file = store.key_file.clone().unwrap_or_else(|| {
        let mut name = path.clone().into_os_string();
        name.push(".key");
        PathBuf::from(name)
    });
    DbTarget::Sqlite { path, key_file }
}

fn describe(target: &DbTarget) -> String {
    match target {
        DbTarget::Sqlite { path, .. } => format!("SQLite {}", path.display()),
        // Never print the URL: it may hold a password.
        DbTarget::Postgres(_) => "PostgreSQL".to_owned(),
    }
}

fn hub(ctx: &Context, args: &HubArgs) -> CmdResult {
    let target = db_target(ctx, &args.store);
    if matches!(target, DbTarget::Sqlite { .. }) && args.store.db.is_none() {
        std::fs::create_dir_all(&ctx.data_dir)
            .map_err(|e| anyhow::anyhow!("{}: {e}", ctx.data_dir.display()))?;
    }
    let rt = runtime()?;
    rt.block_on(async {
        match &args.command {
            None => serve(ctx, args, target).await,
            Some(HubCommand::Token(cmd)) => token(ctx, cmd, &target).await,
            Some(HubCommand::User(cmd)) => users::run(ctx, cmd, &target).await,
            Some(HubCommand::Checkpoint(cmd)) => checkpoints::run(ctx, cmd, &target).await,
            Some(HubCommand::Backup(b)) => maintenance::backup(ctx, b, &target).await,
            Some(HubCommand::Purge(r)) => maintenance::purge(ctx, r, &target).await,
            Some(HubCommand::Export(e)) => export(ctx, e, &target).await,
            Some(HubCommand::Enrol(cmd)) => enrol::run(ctx, args, cmd, &target).await,
            Some(HubCommand::Fleet(cmd)) => fleet::run(ctx, cmd, &target).await,
            Some(HubCommand::Certificate { action }) => {
                let files = tls_files(ctx, args, false)?;
                let tls_err = |e: crate::HubError| localized(ctx, &e.message());
                match action {
                    Some(CertificateAction::Renew) => {
                        let names = crate::certificate::names_for(args.listen);
                        let sha = crate::certificate::renew(&files, &names).map_err(tls_err)?;
                        println!(
                            "{}",
                            t_args(
                                ctx.lang,
                                fl!("hub-certificate-renewed"),
                                &[("sha256", &sha)]
                            )
                        );
                    }
                    Some(CertificateAction::Rotate) => {
                        let id = if crate::certificate::rotate(&files).map_err(tls_err)? {
                            fl!("hub-certificate-rotated")
                        } else {
                            fl!("hub-certificate-nothing-to-rotate")
                        };
                        println!("{}", t(ctx.lang, id));
                    }
                    None => {}
                }
                print_fingerprint(ctx, &files)?;
                let key = crate::fleet::load_key(&crate::fleet::key_file(&ctx.data_dir))
                    .map_err(|e| localized(ctx, &e.message()))?;
                println!(
                    "{}",
                    t_args(
                        ctx.lang,
                        fl!("hub-signing-key"),
                        &[(
                            "key",
                            &checkpoint_domain::fleet::key_text(&key.verifying_key())
                        )]
                    )
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

async fn open_db(ctx: &Context, target: &DbTarget) -> anyhow::Result<HubDb> {
    HubDb::open(target)
        .await
        .map_err(|e| localized(ctx, &e.message()))
}

async fn serve(ctx: &Context, args: &HubArgs, target: DbTarget) -> CmdResult {
    let tls = if args.plain_http {
        if !args.listen.ip().is_loopback() && args.trusted_proxy.is_none() {
            // Sessions and kiosk tokens would cross the network in clear.
            let refused = Message::new(fl!("hub-plain-http-public")).arg("listen", args.listen);
            return Err(localized(ctx, &refused));
        }
        None
    } else {
        Some(tls_files(ctx, args, true)?)
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let store = describe(&target);
    let mut options = HubOptions::new(args.listen, target, tls.clone());
    options.limits.max_records = args.max_records;
    options.retention = args.retention.rule();
    options.purge_every = std::time::Duration::from_secs(args.purge_every_minutes * 60);
    options.signing_key = Some(crate::fleet::key_file(&ctx.data_dir));
    options.phone_url.clone_from(&args.phone_url);
    options.server_timing = args.server_timing;
    options.trusted_proxy = args.trusted_proxy;
    options.console = crate::console::ConsoleSettings {
        silent_after: chrono::Duration::minutes(args.silent_after_minutes),
        waiting_alert: chrono::Duration::hours(args.waiting_alert_hours),
    };
    let stop = stop_signal();
    let hub = RunningHub::start(options)
        .await
        .map_err(|e| localized(ctx, &e.message()))?;
    println!(
        "{}",
        t_args(
            ctx.lang,
            fl!("sync-hub-listening"),
            &[
                ("addr", &hub.addr().to_string()),
                ("scheme", scheme),
                ("store", &store)
            ],
        )
    );
    if let Some(files) = &tls {
        print_fingerprint(ctx, files)?;
    }
    stop.await;
    hub.stop().await;
    Ok(ExitCode::SUCCESS)
}

/// The configured certificate, or the hub's own in the data folder (made
/// now when `make` and it is not there yet).
fn tls_files(ctx: &Context, args: &HubArgs, make: bool) -> anyhow::Result<TlsFiles> {
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        return Ok(TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        });
    }
    let files = crate::certificate::default_files(&ctx.data_dir);
    if make {
        let names = crate::certificate::names_for(args.listen);
        if crate::certificate::ensure(&files, &names).map_err(|e| localized(ctx, &e.message()))? {
            println!(
                "{}",
                t_args(
                    ctx.lang,
                    fl!("hub-certificate-made"),
                    &[("path", &files.cert.display().to_string())]
                )
            );
        }
    }
    Ok(files)
}

fn print_fingerprint(ctx: &Context, files: &TlsFiles) -> anyhow::Result<()> {
    let sha256 =
        crate::certificate::fingerprint(&files.cert).map_err(|e| localized(ctx, &e.message()))?;
    println!(
        "{}",
        t_args(
            ctx.lang,
            fl!("hub-certificate-sha256"),
            &[("sha256", &sha256)]
        )
    );
    Ok(())
}

async fn token(ctx: &Context, cmd: &TokenCommand, target: &DbTarget) -> CmdResult {
    let db = open_db(ctx, target).await?;
    match cmd {
        TokenCommand::Add { kiosk, label } => {
            let token = auth::generate_token();
            db.add_token(&auth::hash_token(&token), kiosk, label)
                .await
                .map_err(|e| localized(ctx, &e.message()))?;
            println!(
                "{}",
                t_args(ctx.lang, fl!("sync-token-added"), &[("kiosk", kiosk)])
            );
            println!("{token}");
        }
        TokenCommand::List => {
            let tokens = db
                .tokens()
                .await
                .map_err(|e| localized(ctx, &e.message()))?;
            if tokens.is_empty() {
                println!("{}", t(ctx.lang, fl!("sync-token-list-empty")));
            }
            for tk in tokens {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    auth::token_id(&tk.hash),
                    tk.kiosk_id,
                    tk.label,
                    tk.created_at,
                    tk.revoked_at.as_deref().unwrap_or("-")
                );
            }
        }
        TokenCommand::Revoke { kiosk, id } => {
            let selector = match (kiosk, id) {
                (Some(k), None) => RevokeSelector::Kiosk(k.clone()),
                (None, Some(i)) if i.len() >= 8 => RevokeSelector::Id(i.to_ascii_lowercase()),
                _ => return Err(localized(ctx, &Message::new(fl!("sync-token-selector")))),
            };
            let n = db
                .revoke(&selector)
                .await
                .map_err(|e| localized(ctx, &e.message()))?;
            println!(
                "{}",
                t_args(
                    ctx.lang,
                    fl!("sync-token-revoked"),
                    &[("count", &n.to_string())]
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn export(ctx: &Context, args: &ExportArgs, target: &DbTarget) -> CmdResult {
    let filter = ExportFilter {
        kiosk_id: args.kiosk.clone(),
        from: args
            .from
            .as_deref()
            .map(|d| parse_date(ctx, d, false))
            .transpose()?,
        to: args
            .to
            .as_deref()
            .map(|d| parse_date(ctx, d, true))
            .transpose()?,
    };
    let db = open_db(ctx, target).await?;
    let rows = db
        .export(&filter)
        .await
        .map_err(|e| localized(ctx, &e.message()))?;
    let count = rows.len();
    let mut bytes = Vec::new();
    match args.format {
        ExportFormat::Raw => {
            checkpoint_export::write_csv(&crate::sheets::raw_sheet(rows), &mut bytes)?
        }
        ExportFormat::Csv | ExportFormat::Xlsx => {
            let (sheets, unreadable) = crate::sheets::sheets(&rows, ctx.lang);
            if unreadable > 0 {
                eprintln!(
                    "{}",
                    t_args(
                        ctx.lang,
                        fl!("hub-export-unreadable"),
                        &[("count", &unreadable.to_string())]
                    )
                );
            }
            if args.format == ExportFormat::Xlsx {
                if args.out.is_none() {
                    return Err(localized(
                        ctx,
                        &Message::new(fl!("hub-export-xlsx-needs-out")),
                    ));
                }
                bytes = checkpoint_export::write_xlsx(&sheets)?;
            } else {
                let index = args.sheet as usize;
                checkpoint_export::write_csv(&sheets[index], &mut bytes)?;
            }
        }
    }
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| path.display().to_string())?;
            eprintln!(
                "{}",
                t_args(
                    ctx.lang,
                    fl!("sync-export-done"),
                    &[
                        ("count", &count.to_string()),
                        ("path", &path.display().to_string())
                    ],
                )
            );
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `YYYY-MM-DD` is a day in Vietnam (`end`: up to the end of that day),
/// whatever zone the hub's machine is set to; anything else must be RFC 3339.
fn parse_date(ctx: &Context, value: &str, end: bool) -> anyhow::Result<DateTime<Utc>> {
    let invalid = || {
        localized(
            ctx,
            &Message::new(fl!("sync-date-invalid")).arg("value", value),
        )
    };
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let day = if end {
            day.succ_opt().ok_or_else(invalid)?
        } else {
            day
        };
        return Ok(crate::stats::day_start(day));
    }
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| invalid())
}

/// Ctrl-C or SIGTERM (systemd's stop). The handlers are registered when this
/// is called, before the hub serves: a signal sent the moment the port
/// opens is a graceful stop too, not the default death.
#[cfg(unix)]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let term = signal(SignalKind::terminate());
    let interrupt = signal(SignalKind::interrupt());
    async move {
        match (term, interrupt) {
            (Ok(mut term), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

#[cfg(not(unix))]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
