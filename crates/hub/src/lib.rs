//! checkpoint-hub: receives batches from kiosks over HTTPS (axum), stores
//! each record exactly once in SQLite or PostgreSQL, manages kiosk tokens and
//! exports CSV.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub mod accounts;
mod api;
pub mod audit;
pub mod auth;
pub mod certificate;
pub mod checkpoints;
pub mod cli;
pub mod client_addr;
pub mod console;
pub mod db;
pub mod enrolment;
pub mod faults;
pub mod fleet;
mod incoming;
pub mod index;
pub mod json_problem;
pub mod manages;
pub mod phone;
pub mod qr;
pub mod rate;
pub mod retention;
pub mod rows;
mod serve;
pub mod sheets;
pub mod stats;

pub use db::{DbTarget, ExportFilter, HubDb, RevokeSelector};
pub use faults::Faults;

use checkpoint_i18n::{Message, fl};

/// What the hub accepts in one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Request body as sent (compressed).
    pub max_body_bytes: usize,
    /// Request body once expanded (a zip bomb stops here).
    pub max_expanded_bytes: usize,
    /// Records in one batch.
    pub max_records: usize,
    /// One record's body, as compact JSON.
    pub max_record_bytes: usize,
    /// How far ahead of the hub's clock a record's `created_at` may be.
    pub max_ahead: chrono::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024 * 1024,
            max_expanded_bytes: 64 * 1024 * 1024,
            max_records: 10_000,
            max_record_bytes: 64 * 1024,
            max_ahead: chrono::Duration::minutes(checkpoint_wire::CLOCK_AHEAD_TOLERANCE_MINUTES),
        }
    }
}

/// The hub's certificate chain and key (PEM files).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone)]
pub struct HubOptions {
    pub listen: SocketAddr,
    pub db: DbTarget,
    /// None: plain HTTP (only behind a TLS-terminating proxy).
    pub tls: Option<TlsFiles>,
    pub limits: Limits,
    /// The record kinds this hub stores, announced at `/api/v1/info`
    /// (default: every kind of this build).
    pub accepted_kinds: Vec<checkpoint_wire::RecordKind>,
    /// How long records are kept, and how often retention runs.
    pub retention: db::RetentionRule,
    pub purge_every: std::time::Duration,
    /// When kiosks count as silent and flagged visitors as waiting too long.
    pub console: console::ConsoleSettings,
    /// The key that signs the fleet's configuration (made on first use);
    /// `None`: this hub serves no fleet configuration.
    pub signing_key: Option<PathBuf>,
    /// The phone page's public address, announced to kiosks (docs/phone.md).
    pub phone_url: Option<String>,
    /// Longest time for one request as a whole (its body read included): the
    /// kiosks' API (a batch over a slow link) and the pages.
    pub api_timeout: std::time::Duration,
    pub page_timeout: std::time::Duration,
    /// The proxy in front of the hub whose `X-Forwarded-For` names the client
    /// (`--trusted-proxy`); forwarded headers from anyone else are dropped.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Whether answers carry `Server-Timing` (benchmarks ask for it; it tells
    /// anyone how long the hub spent on a request, so it is off by default).
    pub server_timing: bool,
}

impl HubOptions {
    /// A hub on `listen` over `db`, with the default limits and every kind.
    pub fn new(listen: SocketAddr, db: DbTarget, tls: Option<TlsFiles>) -> Self {
        Self {
            listen,
            db,
            tls,
            limits: Limits::default(),
            accepted_kinds: checkpoint_wire::RecordKind::ALL.to_vec(),
            retention: db::RetentionRule::default(),
            purge_every: std::time::Duration::from_secs(3600),
            console: console::ConsoleSettings::default(),
            signing_key: None,
            phone_url: None,
            server_timing: false,
            trusted_proxy: None,
            api_timeout: std::time::Duration::from_secs(300),
            page_timeout: std::time::Duration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("database: {0}")]
    Db(String),
    #[error("database key: {0}")]
    Key(String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("cannot listen on {addr}: {reason}")]
    Listen { addr: String, reason: String },
}

impl HubError {
    pub fn message(&self) -> Message {
        match self {
            HubError::Db(reason) | HubError::Key(reason) => {
                Message::new(fl!("sync-hub-db")).arg("reason", reason)
            }
            HubError::Tls(reason) => Message::new(fl!("sync-hub-tls")).arg("reason", reason),
            HubError::Listen { addr, reason } => Message::new(fl!("sync-hub-listen"))
                .arg("addr", addr)
                .arg("reason", reason),
        }
    }
}

/// A hub serving in the background of the current tokio runtime.
#[derive(Debug)]
pub struct RunningHub {
    addr: SocketAddr,
    db: HubDb,
    faults: Arc<Faults>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningHub {
    /// Opens the store, binds, and starts serving.
    pub async fn start(options: HubOptions) -> Result<Self, HubError> {
        let db = HubDb::open(&options.db).await?;
        let tls = options.tls.as_ref().map(serve::tls_config).transpose()?;
        let cert_sha256 = options
            .tls
            .as_ref()
            .map(|f| certificate::fingerprint(&f.cert))
            .transpose()?;
        let listener = TcpListener::bind(options.listen)
            .await
            .map_err(|e| HubError::Listen {
                addr: options.listen.to_string(),
                reason: e.to_string(),
            })?;
        let addr = listener.local_addr().map_err(|e| HubError::Listen {
            addr: options.listen.to_string(),
            reason: e.to_string(),
        })?;
        let signing_key = options
            .signing_key
            .as_deref()
            .map(fleet::load_key)
            .transpose()?
            .map(Arc::new);
        let faults = Arc::new(Faults::default());
        let retention = Arc::new(retention::Retention::new(options.retention));
        // The phone page signs visitors' codes with the hub's key: it is
        // served only where the hub has one.
        let phone = signing_key.clone().map(|key| {
            phone::router(phone::PhoneState {
                db: db.clone(),
                key,
                public_url: options.phone_url.clone(),
                // 30 a minute after a burst of 10, as the shipped nginx file.
                posts: Arc::new(rate::PerAddress::new(30, 10)),
            })
        });
        let page_timeout = options.page_timeout;
        let pages_timed = |pages: axum::Router| {
            pages.layer(axum::middleware::from_fn_with_state(
                page_timeout,
                serve::time_limit,
            ))
        };
        let router = api::router(api::AppState {
            db: db.clone(),
            limits: options.limits.clone(),
            faults: faults.clone(),
            accepted: options.accepted_kinds.clone().into(),
            signing_key,
            phone_url: options.phone_url.clone(),
            tls_pins: options
                .tls
                .as_ref()
                .map(certificate::announced)
                .unwrap_or_default()
                .into(),
        })
        .layer(axum::middleware::from_fn_with_state(
            options.api_timeout,
            serve::time_limit,
        ))
        .merge(pages_timed(console::router(console::ConsoleState {
            db: db.clone(),
            sessions: console::session::Sessions::new(db.clone()),
            throttle: console::throttle::Throttle::by_account(db.clone()),
            address_throttle: console::throttle::Throttle::by_address(db.clone()),
            retention: retention.clone(),
            settings: options.console,
            cert_sha256,
            hashing: Arc::default(),
        })))
        .merge(pages_timed(phone.unwrap_or_default()));
        let router = if options.server_timing {
            router.layer(axum::middleware::from_fn(serve::server_timing))
        } else {
            router
        };
        let router = if options.tls.is_some() {
            router.layer(axum::middleware::from_fn(serve::hsts))
        } else {
            router
        };
        let (stop, stop_rx) = watch::channel(false);
        tokio::spawn(retention::run(
            db.clone(),
            retention,
            options.purge_every,
            stop_rx.clone(),
        ));
        let task = tokio::spawn(serve::serve(
            listener,
            tls,
            router,
            options.trusted_proxy,
            stop_rx,
        ));
        Ok(Self {
            addr,
            db,
            faults,
            stop,
            task,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn db(&self) -> &HubDb {
        &self.db
    }

    /// Fault hooks (tests only).
    pub fn faults(&self) -> &Arc<Faults> {
        &self.faults
    }

    /// Serves until `stop` is called (or forever).
    pub async fn wait(self) {
        let _ = self.task.await;
    }

    /// Stops accepting and closes every connection.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
