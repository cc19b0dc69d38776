//! `checkpoint-hub fleet set|trust-list|show`: what every kiosk of the fleet
//! takes from this hub at its next sync, signed with the hub's key.

use std::path::PathBuf;
use std::process::ExitCode;

use checkpoint_i18n::{Message, fl};

use super::{CmdResult, Context, localized, open_db};
use crate::DbTarget;

#[derive(Debug, clap::Subcommand)]
pub enum FleetCommand {
    /// Set a setting every kiosk takes: retention_days, idle_timeout_secs, lang, sounds,
    /// travel_flags (on: a yes to the travel question flags the visitor).
    Set { key: String, value: String },
    /// Stop setting it: every kiosk goes back to its own value at its next sync.
    Unset { key: String },
    /// Give every kiosk this DCC trust list (it replaces a kiosk's own when newer).
    TrustList { file: PathBuf },
    /// Print the configuration kiosks receive (JSON).
    Show,
}

pub async fn run(ctx: &Context, cmd: &FleetCommand, target: &DbTarget) -> CmdResult {
    let db = open_db(ctx, target).await?;
    let db_err = |e: crate::HubError| localized(ctx, &e.message());
    let say = |m: Message| println!("{}", m.render(ctx.lang));
    match cmd {
        FleetCommand::Set { key, value } => {
            if let Err(why) = crate::fleet::set_setting(&db, key, value)
                .await
                .map_err(db_err)?
            {
                let m = Message::new(fl!("hub-fleet-bad-setting"))
                    .arg("key", key)
                    .arg("value", value)
                    .arg("expected", why.render(ctx.lang));
                return Err(localized(ctx, &m));
            }
            say(Message::new(fl!("hub-fleet-set"))
                .arg("key", key)
                .arg("value", value));
        }
        FleetCommand::Unset { key } => {
            if let Err(why) = crate::fleet::unset_setting(&db, key)
                .await
                .map_err(db_err)?
            {
                let m = Message::new(fl!("hub-fleet-bad-setting"))
                    .arg("key", key)
                    .arg("value", "")
                    .arg("expected", why.render(ctx.lang));
                return Err(localized(ctx, &m));
            }
            say(Message::new(fl!("hub-fleet-unset")).arg("key", key));
        }
        FleetCommand::TrustList { file } => {
            let bytes =
                std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let source = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match crate::fleet::import_trust_list(&db, &bytes, &source)
                .await
                .map_err(db_err)?
            {
                Ok(n) => say(Message::new(fl!("hub-fleet-trust-list")).arg("count", n.to_string())),
                Err(why) => {
                    let m = Message::new(fl!("hub-fleet-trust-list-bad"))
                        .arg("path", file.display().to_string())
                        .arg("reason", why);
                    return Err(localized(ctx, &m));
                }
            }
        }
        FleetCommand::Show => {
            let key =
                crate::fleet::load_key(&crate::fleet::key_file(&ctx.data_dir)).map_err(db_err)?;
            let doc = crate::fleet::document(&db, &key, &[], None)
                .await
                .map_err(db_err)?;
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
