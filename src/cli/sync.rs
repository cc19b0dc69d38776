//! `sync [--once]`; `hub` only says that the hub is its own program now.

use std::process::ExitCode;

use anyhow::Context as _;

use super::{CmdResult, Context};
use crate::sync::SyncError;
use checkpoint_i18n::fl;
use checkpoint_i18n::{Message, t, t_args};

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Send what is pending once and exit.
    #[arg(long)]
    pub once: bool,
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

pub fn sync(ctx: &Context, args: &SyncArgs) -> CmdResult {
    let config = &ctx.config.sync;
    if !config.is_enabled() {
        return Err(localized(ctx, &SyncError::NotConfigured.message()));
    }
    if ctx.config.store.plaintext {
        eprintln!("{}", t(ctx.lang, fl!("store-plaintext-warning")));
    }
    let mut worker =
        crate::kiosk::sync_worker(&ctx.data, &ctx.config).map_err(|e| localized(ctx, &e))?;
    let rt = runtime()?;
    if args.once {
        let result = rt.block_on(async {
            let drained = worker.drain().await;
            if drained.is_ok() {
                // The kiosk's health (and its key, for the fleet) once per run too.
                worker.heartbeat_if_due().await;
            }
            if drained.is_ok()
                && let Err(e) = worker.fleet_if_due().await
            {
                eprintln!(
                    "{}",
                    crate::fleet::refused(&checkpoint_domain::fleet::FleetError::Malformed(e))
                        .render(ctx.lang)
                );
            }
            drained
        });
        let pending = worker.status().borrow().unsynced;
        return match result {
            Ok(r) => {
                super::out::line(t_args(
                    ctx.lang,
                    fl!("sync-done"),
                    &[
                        ("stored", &r.stored.to_string()),
                        ("duplicate", &r.duplicate.to_string()),
                        ("rejected", &r.rejected.to_string()),
                        ("pending", &pending.to_string()),
                    ],
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                tracing::warn!(error = %e, "sync --once failed");
                Err(localized(ctx, &e.message()))
            }
        };
    }
    super::out::line(t(ctx.lang, fl!("sync-running")))?;
    rt.block_on(async {
        let handle = worker.spawn();
        let _ = tokio::signal::ctrl_c().await;
        handle.stop().await;
    });
    Ok(ExitCode::SUCCESS)
}

/// `checkpoint-kiosk hub ...`: the hub is its own program. One line naming
/// it, on standard error, and exit code 2 (a usage error).
pub fn hub_moved(ctx: &Context) -> CmdResult {
    eprintln!("{}", t(ctx.lang, fl!("cli-hub-moved")));
    Ok(ExitCode::from(2))
}
