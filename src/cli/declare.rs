//! `declare`, `queue`, `export`, `purge`, `config`.
//!
//! Exit codes: 0 done, 1 the store failed (full disk, wrong key, …),
//! 2 the input was refused (nothing stored).

use std::io::{self, BufWriter, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Local, NaiveDate, NaiveTime, TimeZone as _, Utc};
use uuid::Uuid;

use super::{CmdResult, Context};
use crate::sync_summary::{self, SyncSummary};
use checkpoint_domain::declaration::{Declaration, Record, validate};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Message, t};
use checkpoint_store::{Action, Actor, QueueStats, RecordKind, Store, StoreError, export, input};

#[derive(Debug, clap::Args)]
pub struct DeclareArgs {
    /// Print a complete example declaration in the accepted JSON.
    #[arg(long, conflicts_with = "json")]
    pub template: bool,
    /// The declaration as JSON: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<PathBuf>,
    /// Store the declaration this many times, each with a new id (crash tests).
    #[arg(long, hide = true, default_value_t = 1)]
    pub repeat: u64,
    /// Store it as submitted at this time (RFC 3339): backdated records give
    /// retention work in soak runs.
    #[arg(long, hide = true, value_name = "RFC3339")]
    pub submitted_at: Option<chrono::DateTime<Utc>>,
}

#[derive(Debug, clap::Subcommand)]
pub enum QueueCommand {
    /// Every record, newest first.
    List {
        #[arg(long)]
        json: bool,
        /// Show at most this many.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
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
    /// csv: declarations to standard output (or every kind into --output-dir);
    /// xlsx: one workbook with declarations, reports and follow-up steps.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// Write the files into this folder (a USB stick) instead of standard output.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<std::path::PathBuf>,
    /// First day (YYYY-MM-DD, local time) or instant (RFC 3339), inclusive.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, local time, inclusive) or instant (RFC 3339, exclusive).
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

const INVALID_INPUT: u8 = 2;

/// Prints a localised message to stderr and returns `code`.
fn refuse(ctx: &Context, message: &Message, code: u8) -> CmdResult {
    eprintln!("{}", message.render(ctx.lang));
    Ok(ExitCode::from(code))
}

/// A store failure: localised, exit 1. Invalid records list every problem.
fn store_failed(ctx: &Context, err: &StoreError) -> CmdResult {
    if let StoreError::Output(e) = err
        && e.kind() == io::ErrorKind::BrokenPipe
    {
        return Ok(ExitCode::SUCCESS);
    }
    tracing::debug!(error = %err, "store operation failed");
    if let StoreError::Invalid(problems) = err {
        eprintln!("{}", err.message().render(ctx.lang));
        for p in problems {
            eprintln!("  {}: {}", p.field, p.message.render(ctx.lang));
        }
        return Ok(ExitCode::from(INVALID_INPUT));
    }
    refuse(ctx, &err.message(), 1)
}

fn open(ctx: &Context) -> Result<Store, StoreError> {
    if ctx.config.store.plaintext {
        eprintln!("{}", t(ctx.lang, fl!("store-plaintext-warning")));
    }
    crate::storage::open_store(&ctx.data, &ctx.config)
}

pub fn declare(ctx: &Context, args: &DeclareArgs) -> CmdResult {
    if args.template {
        let json = serde_json::to_string_pretty(&Declaration::example())?;
        super::out::line(json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(source) = &args.json else {
        return refuse(
            ctx,
            &Message::new(fl!("store-declare-no-input")),
            INVALID_INPUT,
        );
    };
    let bytes = if source.as_os_str() == "-" {
        input::read_limited(io::stdin().lock(), "-")
    } else {
        std::fs::File::open(source)
            .map_err(|e| {
                Message::new(fl!("error-file-read"))
                    .arg("path", source.display())
                    .arg("reason", e)
            })
            .and_then(|f| input::read_limited(f, &source.display().to_string()))
    };
    let declaration = match bytes.and_then(|b| input::parse_declaration(&b)) {
        Ok(d) => d,
        Err(message) => return refuse(ctx, &message, INVALID_INPUT),
    };
    if let Err(problems) = validate(&declaration, Local::now().date_naive()) {
        return store_failed(ctx, &StoreError::Invalid(problems));
    }
    let mut store = match open(ctx) {
        Ok(s) => s,
        Err(e) => return store_failed(ctx, &e),
    };
    let mut out = io::stdout().lock();
    for _ in 0..args.repeat.max(1) {
        let now = args.submitted_at.unwrap_or_else(Utc::now);
        let record = Record::new(declaration.clone(), store.kiosk_id(), now, now)
            .triaged_by(&ctx.config.triage);
        if let Err(e) = store.insert_declaration(&record, Actor::Operator) {
            return store_failed(ctx, &e);
        }
        // Printed only once durable: a printed id is a stored id.
        writeln!(out, "{}", record.record_id)?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn queue(ctx: &Context, cmd: &QueueCommand) -> CmdResult {
    queue_inner(ctx, cmd)
}

fn queue_inner(ctx: &Context, cmd: &QueueCommand) -> CmdResult {
    let mut store = match open(ctx) {
        Ok(s) => s,
        Err(e) => return store_failed(ctx, &e),
    };
    let result = match cmd {
        QueueCommand::List { json, limit } => list(ctx, &store, *json, *limit),
        QueueCommand::Show { id } => show(ctx, &mut store, id),
        QueueCommand::Stats { json } => stats(ctx, &store, *json),
    };
    match result {
        Ok(code) => Ok(code),
        Err(e) => match e.downcast::<StoreError>() {
            Ok(se) => store_failed(ctx, &se),
            Err(other) => Err(other),
        },
    }
}

fn local_time(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_owned(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn list(ctx: &Context, store: &Store, json: bool, limit: Option<usize>) -> CmdResult {
    let rows = store.list(limit)?;
    let mut out = BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    writeln!(
        out,
        "{:<36}  {:<11}  {:<16}  {:<12}  {:>3}  {:<3}  {}",
        t(lang, fl!("store-col-id")),
        t(lang, fl!("store-col-kind")),
        t(lang, fl!("store-col-submitted")),
        t(lang, fl!("store-col-state")),
        "#",
        "!",
        t(lang, fl!("store-col-name")),
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:<36}  {:<11}  {:<16}  {:<12}  {:>3}  {:<3}  {}",
            r.record_id,
            t(lang, &format!("store-kind-{}", r.kind.as_str())),
            local_time(&r.submitted_at),
            t(lang, &format!("store-state-{}", r.state.key())),
            r.attempts,
            if r.flagged { "!" } else { "" },
            r.masked_name,
        )?;
    }
    if rows.is_empty() {
        writeln!(out, "{}", t(lang, fl!("store-queue-empty")))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, store: &mut Store, id: &str) -> CmdResult {
    let Ok(uuid) = Uuid::parse_str(id.trim()) else {
        let m = Message::new(fl!("store-error-bad-id"))
            .arg("id", id.chars().take(60).collect::<String>());
        return refuse(ctx, &m, INVALID_INPUT);
    };
    let shown = if let Some(q) = store.declaration(&uuid)? {
        serde_json::json!({ "kind": RecordKind::Declaration, "sync": q.sync, "record": q.record })
    } else if let Some(q) = store.report(&uuid)? {
        serde_json::json!({ "kind": RecordKind::Report, "sync": q.sync, "record": q.record })
    } else {
        let m = Message::new(fl!("store-error-not-found")).arg("id", uuid);
        return refuse(ctx, &m, 1);
    };
    // Looking at a visitor's answers is a staff action: logged before shown.
    store.audit(
        Actor::Operator,
        Action::RecordViewed,
        Some(&uuid.to_string()),
        "",
    )?;
    super::out::line(serde_json::to_string_pretty(&shown)?)?;
    Ok(ExitCode::SUCCESS)
}

/// `queue stats --json`: the store's figures, plus what the status bar shows.
#[derive(serde::Serialize)]
struct StatsJson<'a> {
    #[serde(flatten)]
    store: &'a QueueStats,
    /// Not yet confirmed by the hub, declarations and reports together.
    pending: u64,
    /// Refused by the hub for good, kept on the kiosk.
    rejected: u64,
    sync: &'a SyncSummary,
}

fn stats(ctx: &Context, store: &Store, json: bool) -> CmdResult {
    let s = store.queue_stats()?;
    let summary = SyncSummary::new(
        ctx.config.sync.is_enabled(),
        store.sync_counts()?,
        &s,
        &sync_summary::saved_status(&ctx.data),
    );
    if json {
        let out = StatsJson {
            store: &s,
            pending: summary.pending,
            rejected: summary.rejected,
            sync: &summary,
        };
        super::out::line(serde_json::to_string_pretty(&out)?)?;
    } else {
        super::out::text(stats_text(ctx, &s, &summary))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats_text(ctx: &Context, s: &QueueStats, summary: &SyncSummary) -> String {
    let lang = ctx.lang;
    let mut text = summary.message().render(lang);
    text.push('\n');
    for (kind, c) in [
        ("declaration", s.declarations),
        ("report", s.reports),
        ("follow-up", s.follow_ups),
    ] {
        let line = Message::new(fl!("store-stats-counts"))
            .arg("kind", t(lang, &format!("store-kind-{kind}")))
            .arg("total", c.total())
            .arg("pending", c.pending)
            .arg("sent", c.sent)
            .arg("acknowledged", c.acknowledged)
            .arg("rejected", c.rejected)
            .render(lang);
        text.push_str(&line);
        text.push('\n');
    }
    let never = t(lang, fl!("store-stats-never"));
    let opt = |v: &Option<String>| v.as_deref().map_or_else(|| never.clone(), local_time);
    let time = |v: Option<DateTime<Utc>>| v.map(|t| local_time(&t.to_rfc3339()));
    let error = summary.last_error.as_ref();
    for m in [
        Message::new(fl!("store-stats-flagged")).arg("count", s.flagged),
        Message::new(fl!("store-stats-oldest")).arg("time", opt(&s.oldest_unacknowledged)),
        Message::new(fl!("store-stats-last-success")).arg("time", opt(&time(summary.last_success))),
        Message::new(fl!("store-stats-last-error"))
            .arg("time", opt(&time(error.map(|e| e.at))))
            .arg(
                "error",
                error.map_or_else(|| "-".to_owned(), |e| e.message.render(lang)),
            ),
    ] {
        text.push_str(&m.render(lang));
        text.push('\n');
    }
    text
}

/// `YYYY-MM-DD` is a local day; anything else must be RFC 3339.
fn parse_bound(text: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let day = if end_of_day { day.succ_opt()? } else { day };
        let local = Local
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()?;
        return Some(local.with_timezone(&Utc));
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn export(ctx: &Context, args: &ExportArgs) -> CmdResult {
    export_inner(ctx, args)
}

fn export_inner(ctx: &Context, args: &ExportArgs) -> CmdResult {
    let Some(format) = checkpoint_export::Format::parse(&args.format) else {
        let m = Message::new(fl!("store-export-format")).arg("format", &args.format);
        return refuse(ctx, &m, INVALID_INPUT);
    };
    let mut bounds = [None, None];
    for (i, (given, end)) in [(&args.from, false), (&args.to, true)]
        .into_iter()
        .enumerate()
    {
        if let Some(text) = given {
            match parse_bound(text, end) {
                Some(t) => bounds[i] = Some(t),
                None => {
                    let m = Message::new(fl!("store-export-bad-date"))
                        .arg("date", text.chars().take(40).collect::<String>());
                    return refuse(ctx, &m, INVALID_INPUT);
                }
            }
        }
    }
    let [from, to] = bounds;
    let mut store = match open(ctx) {
        Ok(s) => s,
        Err(e) => return store_failed(ctx, &e),
    };
    if format == checkpoint_export::Format::Xlsx || args.output_dir.is_some() {
        let request = crate::exports::Request {
            from,
            to,
            format,
            lang: ctx.lang,
        };
        return export_files(ctx, &mut store, args, &request);
    }
    let count = match store.count_between(from, to) {
        Ok(n) => n,
        Err(e) => return store_failed(ctx, &e),
    };
    let detail = serde_json::json!({
        "count": count,
        "from": args.from,
        "to": args.to,
    })
    .to_string();
    // No export leaves the kiosk without its audit entry.
    if let Err(e) = store.audit(Actor::Operator, Action::Exported, None, &detail) {
        return store_failed(ctx, &e);
    }
    let stdout = io::stdout();
    if stdout.is_terminal() {
        eprintln!("{}", t(ctx.lang, fl!("store-export-to-terminal")));
    }
    let mut out = BufWriter::new(stdout.lock());
    let written = export::write_header(ctx.lang, &mut out)
        .map_err(StoreError::Output)
        .and_then(|()| store.each_between(from, to, |q| export::write_row(&q, ctx.lang, &mut out)))
        .and_then(|n| out.flush().map(|()| n).map_err(StoreError::Output));
    let n = match written {
        Ok(n) => n,
        Err(e) => return store_failed(ctx, &e),
    };
    let done = Message::new(fl!("store-export-done")).arg("count", n);
    eprintln!("{}", done.render(ctx.lang));
    Ok(ExitCode::SUCCESS)
}

pub fn purge(ctx: &Context, args: &PurgeArgs) -> CmdResult {
    purge_inner(ctx, args)
}

fn purge_inner(ctx: &Context, args: &PurgeArgs) -> CmdResult {
    let mut store = match open(ctx) {
        Ok(s) => s,
        Err(e) => return store_failed(ctx, &e),
    };
    let report = match store.purge(Utc::now(), args.force, Actor::Operator) {
        Ok(r) => r,
        Err(e) => return store_failed(ctx, &e),
    };
    let lang = ctx.lang;
    let done = Message::new(fl!("store-purge-done"))
        .arg("declarations", report.declarations)
        .arg("reports", report.reports)
        .arg("days", store.settings().retention_days);
    super::out::line(done.render(lang))?;
    if report.kept_unacknowledged > 0 {
        let kept = Message::new(fl!("store-purge-kept")).arg("count", report.kept_unacknowledged);
        super::out::line(kept.render(lang))?;
    }
    if report.kept_open_flags > 0 {
        let kept = Message::new(fl!("store-purge-kept-flags")).arg("count", report.kept_open_flags);
        super::out::line(kept.render(lang))?;
    }
    if !report.wal_truncated {
        eprintln!("{}", t(lang, fl!("store-purge-wal-busy")));
    }
    Ok(ExitCode::SUCCESS)
}

/// An export as files: into `--output-dir`, or an XLSX workbook to
/// standard output when that is not a terminal.
fn export_files(
    ctx: &Context,
    store: &mut Store,
    args: &ExportArgs,
    request: &crate::exports::Request,
) -> CmdResult {
    let written = match &args.output_dir {
        Some(dir) => crate::exports::write_to_folder(store, dir, request, Actor::Operator),
        None => {
            if io::stdout().is_terminal() {
                eprintln!("{}", t(ctx.lang, fl!("store-export-to-terminal")));
                return Ok(ExitCode::from(INVALID_INPUT));
            }
            crate::exports::prepare(store, request, Actor::Operator, "standard output").and_then(
                |prepared| {
                    let bytes = prepared.xlsx()?;
                    let mut out = io::stdout().lock();
                    out.write_all(&bytes)
                        .and_then(|()| out.flush())
                        .map_err(|source| crate::exports::ExportError::Write {
                            path: "-".into(),
                            source,
                        })?;
                    Ok(prepared.written(Vec::new()))
                },
            )
        }
    };
    match written {
        Ok(w) => {
            for f in &w.files {
                super::out::line(f.display())?;
            }
            let done = Message::new(fl!("store-export-files-done"))
                .arg("declarations", w.declarations)
                .arg("reports", w.reports)
                .arg("follow_ups", w.follow_ups);
            eprintln!("{}", done.render(ctx.lang));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            tracing::debug!(error = %e, "export failed");
            refuse(ctx, &e.message(), 1)
        }
    }
}

pub fn config(ctx: &Context, cmd: &ConfigCommand) -> CmdResult {
    config_inner(ctx, cmd)
}

fn config_inner(ctx: &Context, cmd: &ConfigCommand) -> CmdResult {
    match cmd {
        ConfigCommand::Show => {
            super::out::text(format!(
                "# {}\n{}",
                ctx.data.config_file().display(),
                ctx.config.to_toml()
            ))?;
            Ok(std::process::ExitCode::SUCCESS)
        }
    }
}
