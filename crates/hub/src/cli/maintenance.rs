//! `checkpoint-hub backup` and `checkpoint-hub purge`: a copy of the store,
//! and retention run now (the serving hub runs it on a timer).

use std::path::PathBuf;
use std::process::ExitCode;

use checkpoint_i18n::{Message, fl};

use super::{CmdResult, Context, RetentionArgs, localized, open_db};
use crate::DbTarget;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The copy: a new file (never overwritten), encrypted with the same key.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub async fn backup(ctx: &Context, args: &BackupArgs, target: &DbTarget) -> CmdResult {
    let db = open_db(ctx, target).await?;
    match db
        .backup(&args.out)
        .await
        .map_err(|e| localized(ctx, &e.message()))?
    {
        Some(bytes) => {
            let m = Message::new(fl!("hub-backup-done"))
                .arg("file", args.out.display())
                .arg("bytes", bytes);
            println!("{}", m.render(ctx.lang));
            if let DbTarget::Sqlite { key_file, .. } = target {
                let m = Message::new(fl!("hub-backup-key")).arg("key", key_file.display());
                println!("{}", m.render(ctx.lang));
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            // PostgreSQL: its own tools copy a live database consistently.
            let m = Message::new(fl!("hub-backup-postgres")).arg("file", args.out.display());
            eprintln!("{}", m.render(ctx.lang));
            Ok(ExitCode::from(2))
        }
    }
}

pub async fn purge(ctx: &Context, args: &RetentionArgs, target: &DbTarget) -> CmdResult {
    let db = open_db(ctx, target).await?;
    let rule = args.rule();
    let purged = db
        .purge(&rule, chrono::Utc::now())
        .await
        .map_err(|e| localized(ctx, &e.message()))?;
    let m = Message::new(fl!("hub-purged"))
        .arg("records", purged.records)
        .arg("days", rule.days)
        .arg("kept", purged.kept_for_follow_up)
        .arg("max", rule.follow_up_max_days);
    println!("{}", m.render(ctx.lang));
    Ok(ExitCode::SUCCESS)
}
