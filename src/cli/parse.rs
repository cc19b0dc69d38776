//! `parse`, `ckd`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use super::{CmdResult, Context};
use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::dcc::trust::TrustList;
use checkpoint_domain::payload::{self, ParseContext, Parsed, Refusal, describe};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message, t};

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    #[arg(long)]
    pub json: bool,
    /// Trust list of vaccination-certificate signers.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
    /// The clock for expiry checks (RFC 3339); default: now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Read the payload from a file.
    #[arg(long, value_name = "F", conflicts_with_all = ["hex", "text"])]
    pub file: Option<PathBuf>,
    /// The payload as hexadecimal bytes.
    #[arg(long, value_name = "H", conflicts_with = "text")]
    pub hex: Option<String>,
    /// The payload as text.
    pub text: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum CkdCommand {
    /// Encode a declaration (JSON) as a saved-declaration QR code.
    Encode {
        #[arg(long, value_name = "FILE")]
        json: PathBuf,
        #[arg(long, value_name = "OUT", conflicts_with = "svg")]
        png: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        svg: Option<PathBuf>,
    },
}

/// What parsing needs, loaded from the options and the data folder.
pub struct Loaded {
    pub trust: TrustList,
    pub keys: CkdKeys,
}

/// Loads the trust list (option; else as the window does: configuration,
/// the list imported into the store, the data folder's file) and this
/// kiosk's own saved-declaration key. No data folder is created for it.
pub fn load_trust(ctx: &Context, trust: Option<&PathBuf>) -> anyhow::Result<Loaded> {
    let trust = match trust {
        Some(path) => TrustList::load(path)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message().render(ctx.lang)))?,
        None => {
            let store = ctx
                .data
                .database()
                .exists()
                .then(|| crate::storage::open_store(&ctx.data, &ctx.config).ok())
                .flatten();
            let loaded =
                crate::trust::load(&ctx.data, &ctx.config, store.as_ref(), ctx.fleet.as_ref());
            if let Some(problem) = loaded.problem {
                anyhow::bail!("{}", problem.render(ctx.lang));
            }
            loaded.list
        }
    };
    let own = payload::keys::load(&ctx.data.signing_key_file())
        .ok()
        .flatten()
        .map(|k| k.verifying_key());
    let keys = CkdKeys::new(own, &trust);
    Ok(Loaded { trust, keys })
}

fn read_input(args: &ParseArgs) -> anyhow::Result<Vec<u8>> {
    if let Some(path) = &args.file {
        return std::fs::read(path).with_context(|| path.display().to_string());
    }
    if let Some(hex) = &args.hex {
        let clean: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
        if !clean.len().is_multiple_of(2) {
            anyhow::bail!("--hex: odd number of digits");
        }
        return (0..clean.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).context("--hex: not hexadecimal"))
            .collect();
    }
    match &args.text {
        Some(text) => Ok(text.clone().into_bytes()),
        None => anyhow::bail!("give the code as TEXT, --file F or --hex H"),
    }
}

pub fn parse(ctx: &Context, args: &ParseArgs) -> CmdResult {
    let now = match &args.now {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--now {s}: not RFC 3339"))?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    let loaded = load_trust(ctx, args.trust.as_ref())?;
    let bytes = read_input(args)?;
    let pctx = ParseContext::new(&loaded.trust, &loaded.keys, now);
    let result = payload::parse(&bytes, &pctx);
    if args.json {
        super::out::line(to_json(&result, ctx.lang))?;
    } else {
        super::out::text(to_text(&result, ctx.lang))?;
    }
    Ok(if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The result as one JSON object, messages rendered in `lang`.
pub fn to_json(result: &Result<Parsed, Refusal>, lang: Lang) -> serde_json::Value {
    match result {
        Ok(parsed) => serde_json::json!({
            "kind": parsed.payload.kind(),
            "payload": parsed.payload,
            "warnings": parsed.warnings.iter().map(|w| rendered(&w.message(), lang)).collect::<Vec<_>>(),
        }),
        Err(refusal) => serde_json::json!({
            "kind": refusal.kind,
            "refused": rendered(&refusal.error.message(), lang),
        }),
    }
}

fn rendered(m: &Message, lang: Lang) -> serde_json::Value {
    serde_json::json!({"id": m.id, "text": m.render(lang)})
}

/// The result as labelled lines in `lang`.
pub fn to_text(result: &Result<Parsed, Refusal>, lang: Lang) -> String {
    let mut out = String::new();
    let mut push =
        |label: &str, value: &str| out.push_str(&format!("{}: {value}\n", t(lang, label)));
    match result {
        Ok(parsed) => {
            push(
                fl!("payload-field-kind"),
                &t(lang, parsed.payload.kind().message_id()),
            );
            for l in describe::lines(&parsed.payload, lang) {
                push(l.label, &l.value);
            }
            for w in &parsed.warnings {
                push(fl!("payload-field-warning"), &w.message().render(lang));
            }
        }
        Err(refusal) => {
            push(
                fl!("payload-field-kind"),
                &t(lang, refusal.kind.message_id()),
            );
            push(
                fl!("payload-field-refused"),
                &refusal.error.message().render(lang),
            );
        }
    }
    out
}

/// `ckd encode`: a declaration (or a stored record) as a signed saved-declaration
/// code, printed as text and optionally drawn as PNG or SVG.
pub fn ckd(ctx: &Context, cmd: &CkdCommand) -> CmdResult {
    let CkdCommand::Encode { json, png, svg } = cmd;
    let text = std::fs::read_to_string(json).with_context(|| json.display().to_string())?;
    let (declaration, at) =
        match serde_json::from_str::<checkpoint_domain::declaration::Record>(&text) {
            Ok(record) => (record.declaration, record.submitted_at),
            Err(_) => {
                let d: checkpoint_domain::declaration::Declaration = serde_json::from_str(&text)
                    .map_err(|e| {
                        let m = Message::new(fl!("error-json"))
                            .arg("line", e.line())
                            .arg("column", e.column())
                            .arg("reason", e);
                        anyhow::anyhow!("{}: {}", json.display(), m.render(ctx.lang))
                    })?;
                (d, Utc::now())
            }
        };
    ctx.data.ensure().context("data folder")?;
    let key = payload::keys::load_or_create(&ctx.data.signing_key_file()).context("signing key")?;
    let record = payload::ckd::declaration::record_of(&declaration, at);
    let code_text = payload::ckd::encode_signed(&record, &key);
    let code = payload::ckd::render::qr(&code_text)?;
    super::out::line(&code_text)?;
    eprintln!(
        "{}",
        Message::new(fl!("payload-ckd-encoded"))
            .arg("chars", code_text.len())
            .arg("version", payload::ckd::render::version(&code))
            .render(ctx.lang)
    );
    if let Some(out) = png {
        let bytes = payload::ckd::render::png(&code)?;
        std::fs::write(out, bytes).with_context(|| out.display().to_string())?;
    }
    if let Some(out) = svg {
        std::fs::write(out, payload::ckd::render::svg(&code))
            .with_context(|| out.display().to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}
