//! What can go wrong with the store, each with a localised explanation.

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use checkpoint_domain::declaration::Problem;
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// A store operation failed. Nothing is half-stored: every write is one transaction.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("data folder {path}: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error("key file {path}: {source}")]
    KeyIo { path: PathBuf, source: io::Error },
    #[error("database {db} exists but its key file {path} is missing")]
    KeyMissing { path: PathBuf, db: PathBuf },
    #[error("the key in {origin} is not 64 hexadecimal digits")]
    KeyFormat { origin: String },
    #[error("database {path} cannot be opened with this key")]
    WrongKey { path: PathBuf },
    #[error("database {path} has schema {found}, this build knows up to {supported}")]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("disk full while writing {path}")]
    DiskFull { path: PathBuf },
    #[error("database {path} is read-only: {reason}")]
    ReadOnly { path: PathBuf, reason: String },
    #[error("database {path} is damaged: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("the declaration is invalid ({} problems)", .0.len())]
    Invalid(Vec<Problem>),
    #[error("record of {bytes} bytes exceeds {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("record {0} is stored already")]
    Duplicate(String),
    #[error("record {id} cannot be read: {reason}")]
    BadRecord { id: String, reason: String },
    #[error("writing the output: {0}")]
    Output(io::Error),
    #[error("database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// The explanation shown to staff, in their language.
    pub fn message(&self) -> Message {
        match self {
            StoreError::DataDir { path, source } => Message::new(fl!("error-data-dir"))
                .arg("path", path.display())
                .arg("reason", source),
            StoreError::KeyIo { path, source } => Message::new(fl!("store-error-key-io"))
                .arg("path", path.display())
                .arg("reason", source),
            StoreError::KeyMissing { path, db } => Message::new(fl!("store-error-key-missing"))
                .arg("path", path.display())
                .arg("db", db.display()),
            StoreError::KeyFormat { origin } => {
                Message::new(fl!("store-error-key-format")).arg("origin", origin)
            }
            StoreError::WrongKey { path } => {
                Message::new(fl!("store-error-wrong-key")).arg("path", path.display())
            }
            StoreError::TooNew {
                path,
                found,
                supported,
            } => Message::new(fl!("store-error-too-new"))
                .arg("path", path.display())
                .arg("found", found)
                .arg("supported", supported),
            StoreError::DiskFull { .. } => Message::new(fl!("error-disk-full")),
            StoreError::ReadOnly { path, reason } => Message::new(fl!("store-error-read-only"))
                .arg("path", path.display())
                .arg("reason", reason),
            StoreError::Corrupt { path, reason } => Message::new(fl!("store-error-corrupt"))
                .arg("path", path.display())
                .arg("reason", reason),
            StoreError::Invalid(problems) => {
                Message::new(fl!("store-error-invalid")).arg("count", problems.len())
            }
            StoreError::TooLarge { bytes, max } => Message::new(fl!("store-error-too-large"))
                .arg("bytes", bytes)
                .arg("max", max),
            StoreError::Duplicate(id) => Message::new(fl!("store-error-duplicate")).arg("id", id),
            StoreError::BadRecord { id, reason } => Message::new(fl!("store-error-bad-record"))
                .arg("id", id)
                .arg("reason", reason),
            StoreError::Output(source) => Message::new(fl!("error-file-write"))
                .arg("path", "-")
                .arg("reason", source),
            StoreError::Sqlite { path, source } => Message::new(fl!("store-error-sqlite"))
                .arg("path", path.display())
                .arg("reason", source),
        }
    }

    /// Sorts an SQLite failure into what staff can act on.
    pub(crate) fn from_sqlite(path: &Path, err: rusqlite::Error) -> StoreError {
        let path = path.to_owned();
        let code = err.sqlite_error_code();
        let reason = err.to_string();
        match code {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
            Some(ErrorCode::NotADatabase) => StoreError::WrongKey { path },
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                StoreError::ReadOnly { path, reason }
            }
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path, reason },
            Some(ErrorCode::SystemIoFailure) if last_os_error_is_full() => {
                StoreError::DiskFull { path }
            }
            _ => StoreError::Sqlite { path, source: err },
        }
    }

    /// Sorts a file-system failure (key file, data folder).
    pub fn from_io(path: &Path, err: io::Error, key: bool) -> StoreError {
        let path = path.to_owned();
        if is_full(&err) {
            return StoreError::DiskFull { path };
        }
        if is_read_only(&err) {
            return StoreError::ReadOnly {
                path,
                reason: err.to_string(),
            };
        }
        if key {
            StoreError::KeyIo { path, source: err }
        } else {
            StoreError::DataDir { path, source: err }
        }
    }
}

/// ENOSPC, EDQUOT and EFBIG all mean "no room for this write".
fn is_full(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

fn is_read_only(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

/// SQLite reports some out-of-space writes as a generic I/O error; errno tells.
fn last_os_error_is_full() -> bool {
    is_full(&io::Error::last_os_error())
}
