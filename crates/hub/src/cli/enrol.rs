//! `checkpoint-hub enrol add|list|revoke`: codes a new kiosk reads to join
//! this hub at a checkpoint (see crate::enrolment).

use std::path::PathBuf;
use std::process::ExitCode;

use checkpoint_i18n::{Message, fl};

use super::{CmdResult, Context, HubArgs, localized, open_db};
use crate::DbTarget;
use crate::audit::Action;
use crate::enrolment;

#[derive(Debug, clap::Subcommand)]
pub enum EnrolCommand {
    /// Make a code for a checkpoint; print it, and write it as a QR code.
    Add {
        #[arg(long, value_name = "CHECKPOINT_ID")]
        checkpoint: String,
        /// Hours the code stays valid.
        #[arg(long, default_value_t = 24,
              value_parser = clap::value_parser!(i64).range(1..=enrolment::MAX_HOURS))]
        hours: i64,
        /// The address kiosks reach this hub at (default: https://<this machine's name>:<port>).
        #[arg(long, value_name = "URL")]
        hub_url: Option<String>,
        /// Also write the code as a PNG image (a QR code to print or show).
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
    /// List the codes: checkpoint, expiry, used by which kiosk, revoked.
    List,
    /// Revoke an unused code by its id (from `list`).
    Revoke {
        #[arg(long, value_name = "ID")]
        id: String,
    },
}

pub async fn run(
    ctx: &Context,
    args: &HubArgs,
    cmd: &EnrolCommand,
    target: &DbTarget,
) -> CmdResult {
    let db = open_db(ctx, target).await?;
    let db_err = |e: crate::HubError| localized(ctx, &e.message());
    let say = |m: Message| println!("{}", m.render(ctx.lang));
    match cmd {
        EnrolCommand::Add {
            checkpoint,
            hours,
            hub_url,
            png,
        } => {
            if db
                .checkpoint_name(checkpoint)
                .await
                .map_err(db_err)?
                .is_none()
            {
                let m = Message::new(fl!("hub-enrol-unknown-checkpoint")).arg("id", checkpoint);
                return Err(localized(ctx, &m));
            }
            let files = super::tls_files(ctx, args, true)?;
            let sha = crate::certificate::fingerprint(&files.cert).map_err(db_err)?;
            let hub = hub_url.clone().unwrap_or_else(|| default_url(args));
            let (code, row, hash) = enrolment::new_code(
                checkpoint,
                "command line",
                chrono::Duration::hours(*hours),
                &hub,
                &sha,
            );
            checkpoint_wire::EnrolmentCode::parse(&code.to_string()).map_err(|_| {
                localized(
                    ctx,
                    &Message::new(fl!("hub-enrol-bad-url")).arg("url", &hub),
                )
            })?;
            db.add_enrolment(&row, &hash).await.map_err(db_err)?;
            enrolment::audit_as(
                &db,
                "command line",
                Action::EnrolmentCreated,
                &row.id,
                checkpoint,
            )
            .await;
            say(Message::new(fl!("hub-enrol-added"))
                .arg("checkpoint", checkpoint)
                .arg(
                    "expires",
                    crate::db::vietnam_text(&row.expires_at, "%Y-%m-%d %H:%M"),
                ));
            println!("{code}");
            if let Some(path) = png {
                crate::qr::write_png(&code.to_string(), path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            }
        }
        EnrolCommand::List => {
            let list = db.enrolments().await.map_err(db_err)?;
            if list.is_empty() {
                say(Message::new(fl!("hub-enrol-list-empty")));
            }
            for e in list {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    e.id,
                    e.checkpoint_id,
                    e.expires_at,
                    e.kiosk_id.as_deref().unwrap_or("-"),
                    e.revoked_at.as_deref().unwrap_or("-")
                );
            }
        }
        EnrolCommand::Revoke { id } => {
            let id = id.trim().to_ascii_lowercase();
            if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(localized(ctx, &Message::new(fl!("hub-enrol-id"))));
            }
            let now = crate::db::timestamp(chrono::Utc::now());
            let n = db.revoke_enrolment(&id, &now).await.map_err(db_err)?;
            if n > 0 {
                enrolment::audit_as(&db, "command line", Action::EnrolmentRevoked, &id, "").await;
            }
            say(Message::new(fl!("hub-enrol-revoked")).arg("count", n.to_string()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn default_url(args: &HubArgs) -> String {
    let host = rustix::system::uname()
        .nodename()
        .to_str()
        .unwrap_or("localhost")
        .to_owned();
    format!("https://{host}:{}", args.listen.port())
}
