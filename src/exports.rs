//! Staff exports from the kiosk's store: declarations, reports and follow-up
//! steps of a date range, as one XLSX workbook or three CSV files, written
//! into a folder (the data folder's `exports/`, or a USB stick). The columns
//! and writers are `checkpoint_export`'s, the same the hub uses. Every export
//! is audited before anything is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use uuid::Uuid;

use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_export::{Format, Sheet, columns, write_csv, write_xlsx};
use checkpoint_i18n::{Lang, Message, fl};
use checkpoint_store::{Action, Actor, RecordKind, Store, StoreError, export};
use checkpoint_wire::FollowUp;

/// What to export.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub format: Format,
    pub lang: Lang,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub declarations: usize,
    pub reports: usize,
    pub follow_ups: usize,
}

/// The three sheets of a date range: declarations (with their sync state),
/// reports, follow-up steps (with the visitor's name and phone).
pub fn sheets(store: &Store, req: &Request) -> Result<Vec<Sheet>, StoreError> {
    let lang = req.lang;
    let mut declarations = Sheet::new(
        &checkpoint_i18n::t(lang, fl!("export-sheet-declarations")),
        export::declaration_header(lang),
    );
    let mut flagged: HashMap<Uuid, Record> = HashMap::new();
    store.each_between(req.from, req.to, |q| {
        declarations.rows.push(export::row(lang, &q));
        if q.record.flagged {
            flagged.insert(q.record.record_id, q.record);
        }
        Ok(())
    })?;
    let mut reports = Sheet::new(
        &checkpoint_i18n::t(lang, fl!("export-sheet-reports")),
        columns::report_header(lang),
    );
    store.each_of_between::<ReportRecord, _>(RecordKind::Report, req.from, req.to, |q| {
        reports.rows.push(columns::report_row(lang, &q.record));
        Ok(())
    })?;
    let mut steps = Sheet::new(
        &checkpoint_i18n::t(lang, fl!("export-sheet-follow-ups")),
        columns::follow_up_header(lang),
    );
    let mut pending = Vec::new();
    store.each_of_between::<FollowUp, _>(RecordKind::FollowUp, req.from, req.to, |q| {
        pending.push(q.record);
        Ok(())
    })?;
    for step in pending {
        // A step may concern a visitor declared before the range.
        if !flagged.contains_key(&step.declaration_id)
            && let Some(q) = store.declaration(&step.declaration_id)?
        {
            flagged.insert(step.declaration_id, q.record);
        }
        steps.rows.push(columns::follow_up_row(
            lang,
            &step,
            flagged.get(&step.declaration_id),
        ));
    }
    Ok(vec![declarations, reports, steps])
}

/// Why an export failed, for staff.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Xlsx(#[from] checkpoint_export::XlsxError),
}

impl ExportError {
    pub fn message(&self) -> Message {
        match self {
            ExportError::Store(e) => e.message(),
            ExportError::Write { source, .. }
                if source.raw_os_error() == Some(28) /* ENOSPC */ =>
            {
                Message::new(fl!("error-disk-full"))
            }
            ExportError::Write { path, source } => Message::new(fl!("error-file-write"))
                .arg("path", path.display())
                .arg("reason", source),
            ExportError::Xlsx(e) => Message::new(fl!("export-failed")).arg("reason", e),
        }
    }
}

/// `text` fit for a file name on any stick: ASCII letters, digits and `-`
/// kept, anything else `_`.
pub fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The file name stem of an export: the kiosk and the range, so exports of
/// several kiosks or days sit side by side on one stick.
pub fn stem(kiosk_id: &str, req: &Request) -> String {
    let day = |t: Option<DateTime<Utc>>, open: &str| {
        t.map_or_else(
            || open.to_owned(),
            |t| t.with_timezone(&Local).format("%Y%m%d").to_string(),
        )
    };
    let kiosk = file_safe(kiosk_id);
    format!(
        "checkpoint-{kiosk}-{}-{}",
        day(req.from, "start"),
        day(req.to.map(|t| t - chrono::Duration::seconds(1)), "now")
    )
}

/// An export read from the store and audited, ready to be written.
#[derive(Debug)]
pub struct Prepared {
    sheets: Vec<Sheet>,
    stem: String,
    format: Format,
}

/// Reads the range and writes the audit entry (who, what range, how many,
/// where to), before any byte leaves the store.
pub fn prepare(
    store: &mut Store,
    req: &Request,
    actor: Actor,
    destination: &str,
) -> Result<Prepared, ExportError> {
    let sheets = sheets(store, req)?;
    let detail = serde_json::json!({
        "format": req.format.extension(),
        "from": req.from,
        "to": req.to,
        "declarations": sheets[0].rows.len(),
        "reports": sheets[1].rows.len(),
        "follow_ups": sheets[2].rows.len(),
        "to_folder": destination,
    })
    .to_string();
    store.audit(actor, Action::Exported, None, &detail)?;
    Ok(Prepared {
        stem: stem(store.kiosk_id(), req),
        sheets,
        format: req.format,
    })
}

impl Prepared {
    /// The workbook's bytes (XLSX).
    pub fn xlsx(&self) -> Result<Vec<u8>, ExportError> {
        Ok(write_xlsx(&self.sheets)?)
    }

    /// Writes into `dir`: one workbook, or a CSV file per sheet, each file
    /// whole or not at all.
    pub fn write_to(&self, dir: &Path) -> Result<Written, ExportError> {
        let mut files = Vec::new();
        match self.format {
            Format::Xlsx => {
                let path = dir.join(format!("{}.xlsx", self.stem));
                write_whole(&path, &self.xlsx()?)?;
                files.push(path);
            }
            Format::Csv => {
                for (sheet, kind) in
                    self.sheets
                        .iter()
                        .zip(["declarations", "reports", "follow-ups"])
                {
                    let path = dir.join(format!("{}-{kind}.csv", self.stem));
                    let mut bytes = Vec::new();
                    write_csv(sheet, &mut bytes).map_err(|source| ExportError::Write {
                        path: path.clone(),
                        source,
                    })?;
                    write_whole(&path, &bytes)?;
                    files.push(path);
                }
            }
        }
        Ok(self.written(files))
    }

    /// The counts, with the files written.
    pub fn written(&self, files: Vec<PathBuf>) -> Written {
        Written {
            files,
            declarations: self.sheets[0].rows.len(),
            reports: self.sheets[1].rows.len(),
            follow_ups: self.sheets[2].rows.len(),
        }
    }
}

/// Prepares and writes into `dir`.
pub fn write_to_folder(
    store: &mut Store,
    dir: &Path,
    req: &Request,
    actor: Actor,
) -> Result<Written, ExportError> {
    prepare(store, req, actor, &dir.display().to_string())?.write_to(dir)
}

/// Writes `bytes` beside `path`, syncs, then renames: a pulled stick or a
/// full disk leaves no half file under the real name.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    use std::io::Write as _;
    let err = |source| ExportError::Write {
        path: path.to_owned(),
        source,
    };
    let part = path.with_extension("part");
    let result = std::fs::File::create(&part)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&part, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(err(e));
    }
    Ok(())
}

/// Where an export may go: the data folder's `exports/`, then every mounted
/// volume under `roots` (a USB stick appears as `/media/<user>/<label>` or
/// `/run/media/<user>/<label>`; a folder directly under a root counts too),
/// and on Windows every removable drive (`E:\`).
pub fn destinations(data_exports: &Path, roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = vec![data_exports.to_owned()];
    #[cfg(windows)]
    out.extend(checkpoint_win32::removable_drives());
    for root in roots {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        let mut found = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let inner: Vec<PathBuf> = std::fs::read_dir(&path)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.is_dir())
                        .collect()
                })
                .unwrap_or_default();
            // /media/<user>/<label>: the user's folder holds the volumes.
            if is_user_folder(&path, &inner) {
                found.extend(inner);
            } else {
                found.push(path);
            }
        }
        found.sort();
        out.extend(found);
    }
    out
}

/// A `/media/<user>` folder: named like a user, holding only folders.
fn is_user_folder(path: &Path, inner: &[PathBuf]) -> bool {
    let named_user = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| std::env::var("USER").is_ok_and(|u| u == n) || n == "root");
    named_user && !inner.is_empty()
}
