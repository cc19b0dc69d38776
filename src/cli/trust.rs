//! `trust import FILE`, `trust show`: the DCC trust list kept in the store.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;

use super::{CmdResult, Context};
use checkpoint_i18n::{Message, fl};
use checkpoint_store::Actor;

#[derive(Debug, clap::Subcommand)]
pub enum TrustCommand {
    /// Import a trust list file (our JSON, the EU gateway's, a national
    /// mirror's, or PEM certificates) into the store.
    Import { file: PathBuf },
    /// Show the trust list in use and how old it is.
    Show,
}

pub fn trust(ctx: &Context, cmd: &TrustCommand) -> CmdResult {
    let mut store = match crate::storage::open_store(&ctx.data, &ctx.config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}", e.message().render(ctx.lang));
            return Ok(ExitCode::FAILURE);
        }
    };
    match cmd {
        TrustCommand::Import { file } => {
            match crate::trust::import(&mut store, file, Actor::Operator, Utc::now()) {
                Ok(n) => {
                    super::out::line(
                        Message::new(fl!("trust-imported"))
                            .arg("signers", n.signers)
                            .arg("issuers", n.ckd_issuers)
                            .render(ctx.lang),
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    tracing::debug!(error = %e, "trust list not imported");
                    eprintln!("{}", e.message().render(ctx.lang));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        TrustCommand::Show => {
            let loaded =
                crate::trust::load(&ctx.data, &ctx.config, Some(&store), ctx.fleet.as_ref());
            if let Some(since) = loaded.since {
                super::out::line(
                    Message::new(fl!("trust-status"))
                        .arg("signers", loaded.list.len())
                        .arg(
                            "date",
                            since
                                .with_timezone(&chrono::Local)
                                .format("%d/%m/%Y")
                                .to_string(),
                        )
                        .arg("origin", loaded.origin.clone())
                        .render(ctx.lang),
                )?;
            }
            let warning = crate::trust::warning(
                &loaded,
                ctx.config.payload.trust_list_max_age_days,
                Utc::now(),
            );
            if let Some(w) = warning {
                eprintln!("{}", w.render(ctx.lang));
                return Ok(ExitCode::from(3));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
