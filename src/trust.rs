//! The DCC trust list the kiosk verifies certificates with: where it comes
//! from (a configured file, else the list staff imported into the store,
//! else `trust-list.json` in the data folder), importing one from a file (a
//! USB stick), and how old it is. A missing or stale list is said on the
//! status bar and the staff screen: without one, no certificate verifies.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use checkpoint_domain::fleet::FleetDocument;
use checkpoint_domain::payload::dcc::trust::{CkdIssuer, TrustList};
use checkpoint_i18n::{Message, fl};
use checkpoint_store::{Actor, Store, StoreError, StoredTrustList};

use crate::config::Config;
use crate::paths::DataDir;

/// The largest trust-list file read (national lists are a few MB).
const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The list in use and what staff need to know about it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub list: TrustList,
    /// When it was imported (or the file last changed); `None`: no list.
    pub since: Option<DateTime<Utc>>,
    /// Where it came from, for staff.
    pub origin: String,
    /// A list that could not be used.
    pub problem: Option<Message>,
}

/// Loads the list in use: `payload.trust_list` when configured, else the
/// store's imported list, else the data folder's `trust-list.json`; with the
/// hub's configuration in use (`fleet`), its signers join and its list wins
/// when newer.
pub fn load(
    data: &DataDir,
    config: &Config,
    store: Option<&Store>,
    fleet: Option<&FleetDocument>,
) -> Loaded {
    let mut loaded = load_own(data, config, store);
    // The hub signs the codes visitors make on its phone page: trusted from
    // enrolment on, before its first configuration arrives.
    if let Some(key) = config
        .sync
        .hub_key
        .as_deref()
        .and_then(checkpoint_domain::fleet::parse_key)
    {
        loaded.list.ckd_issuers.push(CkdIssuer {
            name: "hub".to_owned(),
            public_key: key.to_bytes(),
        });
    }
    if let Some(document) = fleet {
        crate::fleet::merge_trust(
            &mut loaded.list,
            &mut loaded.since,
            &mut loaded.origin,
            document,
        );
        if loaded.since.is_some() && loaded.origin.starts_with("hub") {
            loaded.problem = None;
        }
    }
    loaded
}

/// The kiosk's own list: configured, imported, or the data folder's file.
fn load_own(data: &DataDir, config: &Config, store: Option<&Store>) -> Loaded {
    if let Some(path) = &config.payload.trust_list {
        return from_file(path);
    }
    match store.map(Store::trust_list) {
        Some(Ok(Some(stored))) => {
            return match TrustList::from_bytes(&stored.bytes) {
                Ok(list) => Loaded {
                    list,
                    since: Some(stored.imported_at),
                    origin: stored.source,
                    problem: None,
                },
                Err(e) => Loaded {
                    problem: Some(e.message()),
                    ..Loaded::default()
                },
            };
        }
        Some(Err(e)) => tracing::warn!(error = %e, "stored trust list unreadable"),
        _ => {}
    }
    from_file(&data.root().join("trust-list.json"))
}

fn from_file(path: &Path) -> Loaded {
    let since = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from);
    match TrustList::load(path) {
        Ok(list) if list.is_empty() && list.ckd_issuers.is_empty() => Loaded::default(),
        Ok(list) => Loaded {
            list,
            since,
            origin: path.display().to_string(),
            problem: None,
        },
        Err(e) => Loaded {
            problem: Some(e.message()),
            ..Loaded::default()
        },
    }
}

/// What the kiosk should say about its list at `now`: nothing when it is
/// there and younger than `max_age_days`.
pub fn warning(loaded: &Loaded, max_age_days: u32, now: DateTime<Utc>) -> Option<Message> {
    if let Some(problem) = &loaded.problem {
        return Some(problem.clone());
    }
    let Some(since) = loaded.since else {
        return Some(Message::new(fl!("trust-none")));
    };
    let days = (now - since).num_days();
    (days > i64::from(max_age_days)).then(|| {
        Message::new(fl!("trust-old")).arg("days", days).arg(
            "date",
            since
                .with_timezone(&chrono::Local)
                .format("%d/%m/%Y")
                .to_string(),
        )
    })
}

/// What an import took in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub signers: usize,
    pub ckd_issuers: usize,
    pub skipped: usize,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("trust list too large")]
    TooLarge,
    #[error("trust list: not in a known format")]
    Invalid(Message),
    #[error("trust list holds no signer")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    pub fn message(&self) -> Message {
        match self {
            ImportError::Read { path, source } => Message::new(fl!("error-file-read"))
                .arg("path", path.display())
                .arg("reason", source),
            ImportError::TooLarge => Message::new(fl!("trust-too-large")),
            ImportError::Invalid(m) => m.clone(),
            ImportError::Empty => Message::new(fl!("trust-empty")),
            ImportError::Store(e) => e.message(),
        }
    }
}

/// Reads a trust list file, checks it holds signers, and keeps it in the
/// store (audited) as imported at `now`.
pub fn import(
    store: &mut Store,
    path: &Path,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<Imported, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let list = TrustList::from_bytes(&bytes).map_err(|e| ImportError::Invalid(e.message()))?;
    if list.is_empty() && list.ckd_issuers.is_empty() {
        return Err(ImportError::Empty);
    }
    let imported = Imported {
        signers: list.len(),
        ckd_issuers: list.ckd_issuers.len(),
        skipped: list.skipped,
    };
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let detail = serde_json::json!({
        "source": source,
        "signers": imported.signers,
        "ckd_issuers": imported.ckd_issuers,
        "skipped": imported.skipped,
    })
    .to_string();
    store.save_trust_list(
        &StoredTrustList {
            bytes,
            imported_at: now,
            source,
        },
        actor,
        &detail,
    )?;
    Ok(imported)
}

/// Trust-list files at the top of each folder (a USB stick): `.json` or `.pem`.
pub fn candidates(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in folders {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("pem")
                    })
            })
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}
