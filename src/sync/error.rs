//! Why a sync attempt failed, each with its Fluent message.

use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

use super::queue::QueueError;

/// A failed sync attempt. Records are never dropped because of one of these:
/// they stay queued and the worker retries.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("no sync server configured")]
    NotConfigured,
    #[error("server URL {0:?} is not usable: {1}")]
    BadUrl(String, String),
    #[error("server URL {0:?} is plain http; set allow_plain_http to use it")]
    PlainHttp(String),
    #[error("CA file {path}: {reason}")]
    CaFile { path: String, reason: String },
    #[error("pinned certificate hash {0:?} is not 64 hex digits")]
    BadPin(String),
    #[error("HTTP client: {0}")]
    Client(String),
    #[error("hub unreachable: {0}")]
    Offline(String),
    #[error("hub certificate not trusted: {0}")]
    Tls(String),
    #[error("no answer within {0} s")]
    Timeout(u64),
    #[error("token refused by the hub ({code}): {detail}")]
    Unauthorized { code: String, detail: String },
    #[error("hub error {status}: {detail}")]
    Server {
        status: u16,
        detail: String,
        retry_after_secs: Option<u64>,
    },
    #[error("batch too large for the hub: {0}")]
    TooLarge(String),
    #[error("hub refused the request ({status} {code}): {detail}")]
    Refused {
        status: u16,
        code: String,
        detail: String,
    },
    #[error("unusable answer from the hub: {0}")]
    BadAnswer(String),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

impl SyncError {
    /// The localised explanation for the status bar and the CLI.
    pub fn message(&self) -> Message {
        match self {
            SyncError::NotConfigured => Message::new(fl!("sync-not-configured")),
            SyncError::BadUrl(url, reason) => Message::new(fl!("sync-bad-url"))
                .arg("url", url)
                .arg("reason", reason),
            SyncError::PlainHttp(url) => Message::new(fl!("sync-plain-http")).arg("url", url),
            SyncError::CaFile { path, reason } => Message::new(fl!("sync-ca-file"))
                .arg("path", path)
                .arg("reason", reason),
            SyncError::BadPin(_) => Message::new(fl!("sync-bad-pin")),
            SyncError::Client(reason) => {
                Message::new(fl!("sync-client-error")).arg("reason", reason)
            }
            SyncError::Offline(_) => Message::new(fl!("sync-offline")),
            SyncError::Tls(_) => Message::new(fl!("sync-tls")),
            SyncError::Timeout(secs) => Message::new(fl!("sync-timeout")).arg("secs", secs),
            SyncError::Unauthorized { .. } => Message::new(fl!("sync-token-rejected")),
            SyncError::Server { status, .. } => {
                Message::new(fl!("sync-server-error")).arg("status", status)
            }
            SyncError::TooLarge(_) => Message::new(fl!("sync-too-large")),
            SyncError::Refused { status, code, .. } => Message::new(fl!("sync-refused"))
                .arg("status", status)
                .arg("code", code),
            SyncError::BadAnswer(_) => Message::new(fl!("sync-bad-answer")),
            SyncError::Queue(e) => Message::new(fl!("sync-queue-error")).arg("reason", &e.0),
        }
    }

    /// Whether the hub could not be reached at all (retry soon: the network
    /// may come back any second), as opposed to the hub answering with an error.
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Offline(_) | SyncError::Timeout(_))
    }

    /// A configuration problem that no retry will fix.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            SyncError::NotConfigured
                | SyncError::BadUrl(..)
                | SyncError::PlainHttp(_)
                | SyncError::CaFile { .. }
                | SyncError::BadPin(_)
                | SyncError::Client(_)
        )
    }
}
