//! `enrol CODE | --image FILE`: joins the hub an enrolment code names.
//! Exit codes: 0 enrolled, 1 the hub or the store failed, 2 the code was refused.

use std::path::PathBuf;
use std::process::ExitCode;

use checkpoint_i18n::{Message, fl};
use checkpoint_store::Actor;

use super::{CmdResult, Context};
use crate::enrolment::{self, EnrolError};
use crate::scan::engine::{Effort, Engine};
use crate::scan::files::load_grey;

#[derive(Debug, clap::Args)]
pub struct EnrolArgs {
    /// The code as text (CKENROL:1:…), as a handheld scanner types it.
    #[arg(required_unless_present = "image", conflicts_with = "image")]
    pub code: Option<String>,
    /// Read the code from a picture of it (the kiosk's own scan engine).
    #[arg(long, value_name = "FILE")]
    pub image: Option<PathBuf>,
}

pub fn enrol(ctx: &Context, args: &EnrolArgs) -> CmdResult {
    let say = |m: &Message| eprintln!("{}", m.render(ctx.lang));
    let text = match (&args.code, &args.image) {
        (Some(code), _) => code.clone(),
        (None, Some(path)) => match read_image(ctx, path) {
            Ok(text) => text,
            Err(m) => {
                say(&m);
                return Ok(ExitCode::from(2));
            }
        },
        (None, None) => return Ok(ExitCode::from(2)),
    };
    let code = match enrolment::parse(&text) {
        Ok(c) => c,
        Err(e) => {
            say(&e.message());
            return Ok(ExitCode::from(2));
        }
    };
    let mut store = match crate::storage::open_store(&ctx.data, &ctx.config) {
        Ok(s) => s,
        Err(e) => {
            say(&e.message());
            return Ok(ExitCode::FAILURE);
        }
    };
    let previous = store.kiosk_id().to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let key = enrolment::ckd_public_key(&ctx.data);
    let answer = match runtime.block_on(enrolment::request(&code, &previous, &key)) {
        Ok(a) => a,
        Err(e) => {
            say(&e.message());
            let refused = matches!(e, EnrolError::Hub(crate::sync::SyncError::Refused { .. }));
            return Ok(ExitCode::from(if refused { 2 } else { 1 }));
        }
    };
    match enrolment::apply(
        &ctx.data.config_file(),
        &mut store,
        &code,
        &answer,
        Actor::Staff,
    ) {
        Ok(done) => {
            super::out::line(
                Message::new(fl!("enrol-done"))
                    .arg("kiosk", &done.kiosk_id)
                    .arg(
                        "checkpoint",
                        if done.checkpoint_name.is_empty() {
                            &done.checkpoint_id
                        } else {
                            &done.checkpoint_name
                        },
                    )
                    .arg("count", done.relabelled.to_string())
                    .render(ctx.lang),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            say(&e.message());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The first code in a picture that is meant as an enrolment code (or the first code).
fn read_image(ctx: &Context, path: &std::path::Path) -> Result<String, Message> {
    let img = load_grey(path).map_err(|e| e.message())?;
    let codes = Engine::new(ctx.config.scan.engine())
        .decode(&img, Effort::Still)
        .codes;
    let texts: Vec<String> = codes.into_iter().filter_map(|c| c.text).collect();
    texts
        .iter()
        .find(|t| checkpoint_wire::EnrolmentCode::looks_like(t))
        .or(texts.first())
        .cloned()
        .ok_or_else(|| {
            Message::new(fl!("enrol-no-code-in-image")).arg("path", path.display().to_string())
        })
}
