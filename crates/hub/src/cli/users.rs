//! `checkpoint-hub user add|list|disable|reset-password`: console accounts
//! from the command line, where the first admin comes from.

use std::io::BufRead;
use std::process::ExitCode;

use checkpoint_i18n::{Message, fl};

use super::{CmdResult, Context, localized, open_db};
use crate::DbTarget;
use crate::accounts::{self, Account, Role};

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add an account; its password is generated and shown once (or read
    /// from standard input with --password-stdin).
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: Role,
        /// Limit the account to these groups of checkpoints (comma-separated;
        /// default: all).
        #[arg(long, value_name = "GROUPS", default_value = "")]
        groups: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts (never a password).
    List,
    /// Disable an account: it can no longer sign in.
    Disable { name: String },
    /// Give an account a new password (generated, or from standard input)
    /// and enable it.
    ResetPassword {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// The password to set: one line of standard input, or a generated one
/// (then `true`: it must be shown).
fn password(ctx: &Context, from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((accounts::generate_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        return Err(localized(ctx, &Message::new(fl!("hub-user-no-password"))));
    }
    Ok((line, false))
}

pub async fn run(ctx: &Context, cmd: &UserCommand, target: &DbTarget) -> CmdResult {
    let db = open_db(ctx, target).await?;
    let db_err = |e: crate::HubError| localized(ctx, &e.message());
    let bad = |e: accounts::AccountError| localized(ctx, &e.message());
    let say = |m: Message| println!("{}", m.render(ctx.lang));
    match cmd {
        UserCommand::Add {
            name,
            role,
            groups,
            password_stdin,
        } => {
            accounts::check_name(name).map_err(bad)?;
            let (password, show) = password(ctx, *password_stdin)?;
            let account = Account {
                name: name.clone(),
                role: *role,
                groups: crate::db::split_groups(groups),
                password_hash: accounts::hash_password(&password).map_err(bad)?,
                created_at: String::new(),
                disabled_at: None,
            };
            if !db.add_account(&account).await.map_err(db_err)? {
                let m = Message::new(fl!("hub-user-exists")).arg("name", name);
                return Err(localized(ctx, &m));
            }
            say(Message::new(fl!("hub-user-added"))
                .arg("name", name)
                .arg("role", role.as_str()));
            if show {
                say(Message::new(fl!("hub-user-password-once")));
                println!("{password}");
            }
        }
        UserCommand::List => {
            let list = db.accounts().await.map_err(db_err)?;
            if list.is_empty() {
                say(Message::new(fl!("hub-user-list-empty")));
            }
            for a in list {
                let groups = if a.groups.is_empty() {
                    Message::new(fl!("hub-user-all-groups")).render(ctx.lang)
                } else {
                    a.groups.join(",")
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    a.name,
                    a.role.as_str(),
                    groups,
                    a.created_at,
                    a.disabled_at.as_deref().unwrap_or("-")
                );
            }
        }
        UserCommand::Disable { name } => {
            if !db.disable_account(name).await.map_err(db_err)? {
                let m = Message::new(fl!("hub-user-already-disabled")).arg("name", name);
                return Err(localized(ctx, &m));
            }
            say(Message::new(fl!("hub-user-disabled")).arg("name", name));
        }
        UserCommand::ResetPassword {
            name,
            password_stdin,
        } => {
            let (password, show) = password(ctx, *password_stdin)?;
            let hash = accounts::hash_password(&password).map_err(bad)?;
            if !db.set_password(name, &hash).await.map_err(db_err)? {
                let m = Message::new(fl!("hub-user-missing")).arg("name", name);
                return Err(localized(ctx, &m));
            }
            if show {
                say(Message::new(fl!("hub-user-password-reset")).arg("name", name));
                println!("{password}");
            } else {
                say(Message::new(fl!("hub-user-password-set")).arg("name", name));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
