//! `checkpoint-hub checkpoint add|list|assign`: the places kiosks stand, the
//! group each belongs to, and which kiosk is where.

use std::process::ExitCode;

use checkpoint_domain::address;
use checkpoint_i18n::{Message, fl};

use super::{CmdResult, Context, localized, open_db};
use crate::DbTarget;
use crate::accounts::Scope;
use crate::checkpoints;
use crate::db::Checkpoint;

#[derive(Debug, clap::Subcommand)]
pub enum CheckpointCommand {
    /// Add a checkpoint.
    Add {
        /// Short id: lower-case letters, digits and '-' (moc-bai-1).
        id: String,
        #[arg(long)]
        name: String,
        /// Province code of the address data (79: Hồ Chí Minh).
        #[arg(long, default_value = "")]
        province: String,
        /// Ward code of the address data, in that province.
        #[arg(long, default_value = "")]
        ward: String,
        /// The unit of the campaign: a district, a union branch, a hospital.
        #[arg(long, default_value = "")]
        group: String,
    },
    /// List the checkpoints with their group and kiosks.
    List,
    /// Assign a kiosk to a checkpoint; its records not yet attached to one
    /// are attached to this one.
    Assign {
        #[arg(long, value_name = "KIOSK_ID")]
        kiosk: String,
        #[arg(long, value_name = "CHECKPOINT_ID")]
        checkpoint: String,
    },
}

pub async fn run(ctx: &Context, cmd: &CheckpointCommand, target: &DbTarget) -> CmdResult {
    let db = open_db(ctx, target).await?;
    let db_err = |e: crate::HubError| localized(ctx, &e.message());
    let say = |m: Message| println!("{}", m.render(ctx.lang));
    match cmd {
        CheckpointCommand::Add {
            id,
            name,
            province,
            ward,
            group,
        } => {
            let checkpoint = Checkpoint {
                id: id.clone(),
                name: name.trim().to_owned(),
                province: province.trim().to_owned(),
                ward: ward.trim().to_owned(),
                group: group.trim().to_owned(),
                kiosks: vec![],
            };
            checkpoints::check(&checkpoint).map_err(|p| localized(ctx, &p.message()))?;
            if !db.add_checkpoint(&checkpoint).await.map_err(db_err)? {
                let m = Message::new(fl!("hub-checkpoint-exists")).arg("id", id);
                return Err(localized(ctx, &m));
            }
            say(Message::new(fl!("hub-checkpoint-added")).arg("id", id));
        }
        CheckpointCommand::List => {
            let list = db.checkpoints(&Scope::all()).await.map_err(db_err)?;
            if list.is_empty() {
                say(Message::new(fl!("hub-checkpoint-list-empty")));
            }
            for c in list {
                let place = [
                    address::ward(&c.ward).map(|w| w.name.clone()),
                    address::province(&c.province).map(|p| p.name.clone()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.id,
                    c.name,
                    if c.group.is_empty() { "-" } else { &c.group },
                    if place.is_empty() { "-" } else { &place },
                    c.kiosks.join(",")
                );
            }
        }
        CheckpointCommand::Assign { kiosk, checkpoint } => {
            match db.assign_kiosk(kiosk, checkpoint).await.map_err(db_err)? {
                None => {
                    let m = Message::new(fl!("hub-checkpoint-missing")).arg("id", checkpoint);
                    return Err(localized(ctx, &m));
                }
                Some(attached) => say(Message::new(fl!("hub-checkpoint-assigned"))
                    .arg("kiosk", kiosk)
                    .arg("id", checkpoint)
                    .arg("records", attached)),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
