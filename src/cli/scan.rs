//! `scan-image`, `cameras`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;

use super::{CmdResult, Context};
use crate::scan::engine::{Code, Effort, Engine};
use crate::scan::files::load_grey;
use crate::scan::list_cameras;
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message};

#[derive(Debug, clap::Args)]
pub struct ScanImageArgs {
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Also explain what each code contains.
    #[arg(long)]
    pub parse: bool,
    /// Image files, or folders (every file inside, recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Decodes every file and prints one line each. Exits 0 even when a file has
/// no code or cannot be read: that is reported on the file's line.
pub fn scan_image(ctx: &Context, args: &ScanImageArgs) -> CmdResult {
    let engine = Engine::new(ctx.config.scan.engine());
    // Loaded once: the trust list and keys that `--parse` checks signatures with.
    let trust = if args.parse {
        Some(super::parse::load_trust(ctx, None)?)
    } else {
        None
    };
    let mut files = Vec::new();
    for path in &args.paths {
        expand(path, &mut files);
    }
    for path in files {
        let line = match load_grey(&path) {
            Err(err) => error_line(ctx.lang, &path, &err.message(), args.json),
            Ok(img) => {
                let start = Instant::now();
                let decoded = engine.decode(&img, Effort::Still);
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                let mut line = code_line(ctx.lang, &path, &decoded.codes, ms, args.json);
                if let Some(loaded) = &trust {
                    line = with_parsed(ctx.lang, line, &decoded.codes, loaded, args.json);
                }
                line
            }
        };
        super::out::line(&line)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Folders become their files (sorted, recursively); files stay.
fn expand(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            expand(&entry, out);
        }
    } else {
        out.push(path.to_owned());
    }
}

fn code_line(lang: Lang, path: &Path, codes: &[Code], ms: f64, as_json: bool) -> String {
    let ms = (ms * 100.0).round() / 100.0;
    if as_json {
        let codes: Vec<_> = codes
            .iter()
            .map(|c| {
                let mut obj = json!({
                    "text": c.text,
                    "bytes_hex": hex(&c.bytes),
                    "engine": c.decoder.as_str(),
                });
                if !c.utf8 {
                    obj["utf8"] = json!(false);
                }
                obj
            })
            .collect();
        return json!({ "path": path.display().to_string(), "codes": codes, "ms": ms }).to_string();
    }
    // The path and the texts stay out of Fluent: it would read "0012" as a number.
    let path = path.display().to_string();
    if codes.is_empty() {
        let none = Message::new(fl!("scan-image-no-code"))
            .arg("ms", ms)
            .render(lang);
        return format!("{path}: {none}");
    }
    let texts: Vec<String> = codes
        .iter()
        .map(|c| {
            let text = match &c.text {
                // One line per file: control characters are shown escaped.
                Some(t) => t.escape_debug().to_string(),
                None => Message::new(fl!("scan-image-binary"))
                    .arg("hex", hex(&c.bytes))
                    .render(lang),
            };
            format!("{text} [{}]", c.decoder.as_str())
        })
        .collect();
    format!("{path}: {} ({ms} ms)", texts.join(" | "))
}

/// Adds what each code means: under `"parsed"` in JSON, as indented lines in text.
fn with_parsed(
    lang: Lang,
    line: String,
    codes: &[Code],
    loaded: &super::parse::Loaded,
    as_json: bool,
) -> String {
    let pctx = checkpoint_domain::payload::ParseContext::new(
        &loaded.trust,
        &loaded.keys,
        chrono::Utc::now(),
    );
    let results: Vec<_> = codes
        .iter()
        .map(|c| checkpoint_domain::payload::parse(&c.bytes, &pctx))
        .collect();
    if as_json {
        let Ok(mut obj) = serde_json::from_str::<serde_json::Value>(&line) else {
            return line;
        };
        if let Some(codes) = obj["codes"].as_array_mut() {
            for (code, result) in codes.iter_mut().zip(&results) {
                code["parsed"] = super::parse::to_json(result, lang);
            }
        }
        return obj.to_string();
    }
    let mut out = line;
    for result in &results {
        for l in super::parse::to_text(result, lang).lines() {
            out.push_str("\n    ");
            out.push_str(l);
        }
    }
    out
}

fn error_line(lang: Lang, path: &Path, error: &Message, as_json: bool) -> String {
    let text = error.render(lang);
    if as_json {
        return json!({ "path": path.display().to_string(), "codes": [], "error": text })
            .to_string();
    }
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lists the cameras, or says plainly that there are none (exit 0).
pub fn cameras(ctx: &Context) -> CmdResult {
    let list = list_cameras();
    if list.is_empty() {
        super::out::line(Message::new(fl!("scan-no-cameras")).render(ctx.lang))?;
    }
    for cam in list {
        super::out::line(
            Message::new(fl!("scan-camera-line"))
                .arg("index", cam.index)
                .arg("name", cam.name)
                .render(ctx.lang),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
