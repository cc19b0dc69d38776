//! The kiosk's application core, which the window and the command line both
//! use: the configuration in force (the kiosk's own with the hub's verified
//! settings over it), the store, the trust list and keys that codes are
//! checked against, and the sync worker. Nothing here draws or reads a
//! device; the window adds the camera, scanners, Bluetooth and sounds.

mod sync_link;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;

use crate::config::Config;
use crate::paths::DataDir;
use crate::sync::store_queue::StoreQueue;
use crate::sync::worker::Worker;
use checkpoint_domain::fleet::FleetDocument;
use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::{ParseContext, Refusal, prefill};
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;
use checkpoint_store::Store;
pub use sync_link::SyncLink;

/// The configuration in force and where it came from.
#[derive(Debug, Clone)]
pub struct InForce {
    /// The kiosk's own with the hub's settings over it.
    pub config: Config,
    /// The hub's configuration in use, verified (see crate::fleet).
    pub fleet: Option<FleetDocument>,
    /// Why the hub's configuration on disk was refused, if it was.
    pub refused: Option<Message>,
}

impl InForce {
    /// The hub's settings win over the kiosk's own (see crate::fleet).
    pub fn resolve(data: &DataDir, own: &Config) -> Self {
        let (fleet, refused) = match crate::fleet::in_use(data, own) {
            Ok(fleet) => (fleet, None),
            Err(refused) => (None, Some(refused)),
        };
        let config = crate::fleet::effective(own, fleet.as_ref());
        Self {
            config,
            fleet,
            refused,
        }
    }
}

/// The kiosk's state and workers, without a window.
pub struct Kiosk {
    pub data: DataDir,
    /// The configuration in force: `own` with the hub's settings over it
    /// (change it through `change_own`).
    pub config: Config,
    /// The kiosk's own configuration (its file, staff's changes).
    own: Config,
    /// The hub's configuration in use, verified (see crate::fleet).
    pub fleet: Option<FleetDocument>,
    /// The store, or why it could not be opened (shown on screen; the visitor
    /// is asked to call staff instead of filling a form that cannot be kept).
    pub store: Result<Store, Message>,
    pub kiosk_id: String,
    /// Signs the saved-declaration code on the receipt.
    pub signing_key: Option<SigningKey>,
    /// The DCC trust list in use, with its date and origin.
    pub trust: crate::trust::Loaded,
    pub ckd_keys: CkdKeys,
    pub sync: Option<SyncLink>,
    /// The wall clock (tests pin it).
    pub clock: fn() -> DateTime<Utc>,
    /// Problems found while starting, shown to staff.
    pub startup_notes: Vec<Message>,
    /// The camera's and Bluetooth's state for the hub (the heartbeat).
    pub devices: Arc<crate::sync::heartbeat::DeviceStates>,
    /// The sync worker tells a newer fleet configuration through here (see
    /// `refresh_fleet`); the kiosk holds both ends.
    fleet_tx: tokio::sync::watch::Sender<Option<DateTime<Utc>>>,
    fleet_rx: tokio::sync::watch::Receiver<Option<DateTime<Utc>>>,
}

impl std::fmt::Debug for Kiosk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kiosk")
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

impl Kiosk {
    /// Resolves the configuration in force and opens the store, the keys and
    /// the trust list; starts no worker.
    pub fn open(data: DataDir, own: Config) -> Self {
        let InForce {
            config,
            fleet,
            refused,
        } = InForce::resolve(&data, &own);
        let store = open_store(&data, &config);
        let kiosk_id = match &store {
            Ok(s) => s.kiosk_id().to_owned(),
            Err(_) => config.kiosk.id.clone(),
        };
        let signing_key = match checkpoint_domain::payload::keys::load_or_create(
            &data.signing_key_file(),
        ) {
            Ok(k) => Some(k),
            Err(e) => {
                tracing::warn!(error = %e, "no signing key: receipts carry no saved-declaration code");
                None
            }
        };
        let trust = crate::trust::load(&data, &config, store.as_ref().ok(), fleet.as_ref());
        let ckd_keys = CkdKeys::new(
            signing_key.as_ref().map(SigningKey::verifying_key),
            &trust.list,
        );
        // Starts at the configuration in use: only a newer one is news.
        let (fleet_tx, fleet_rx) = tokio::sync::watch::channel(fleet.as_ref().map(|d| d.issued_at));
        Self {
            data,
            config,
            own,
            fleet,
            store,
            kiosk_id,
            signing_key,
            trust,
            ckd_keys,
            sync: None,
            clock: Utc::now,
            startup_notes: refused.into_iter().collect(),
            devices: Arc::default(),
            fleet_tx,
            fleet_rx,
        }
    }

    /// Starts the sync worker when the configuration names a hub.
    pub fn start_sync(&mut self) {
        if !self.config.sync.is_enabled() {
            return;
        }
        let worker = match sync_worker(&self.data, &self.config) {
            Ok(worker) => worker.announce_fleet_to(self.fleet_tx.clone()),
            Err(e) => {
                self.startup_notes.push(e);
                return;
            }
        };
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("sync")
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                tracing::error!(error = %e, "cannot start the sync runtime");
                return;
            }
        };
        let _guard = runtime.enter();
        let handle = worker.with_devices(self.devices.clone()).spawn();
        let status = handle.status();
        self.sync = Some(SyncLink {
            handle: Some(handle),
            status,
            runtime: Some(runtime),
        });
    }

    /// Parses scanned bytes and maps them onto the form.
    pub fn read(&self, bytes: &[u8]) -> Result<prefill::Reading, Refusal> {
        let ctx = ParseContext::new(&self.trust.list, &self.ckd_keys, (self.clock)());
        prefill::read(bytes, &ctx)
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The store, or the message that explains why there is none.
    pub fn store_mut(&mut self) -> Result<&mut Store, Message> {
        self.store.as_mut().map_err(|m| m.clone())
    }

    /// Where the sync worker announces a newer fleet configuration (a test
    /// stands in for the worker with it).
    pub fn fleet_announcer(&self) -> tokio::sync::watch::Sender<Option<DateTime<Utc>>> {
        self.fleet_tx.clone()
    }

    /// Takes a fleet configuration the sync worker kept since the last look,
    /// without a restart: its settings over the running ones, its signers and
    /// trust list. `true` when one was taken.
    pub fn refresh_fleet(&mut self) -> bool {
        if !self.fleet_rx.has_changed().unwrap_or(false) {
            return false;
        }
        self.fleet_rx.mark_unchanged();
        match crate::fleet::in_use(&self.data, &self.own) {
            Ok(Some(document)) => self.fleet = Some(document),
            // The last good one stays in use.
            Ok(None) => return false,
            Err(refused) => {
                if !self.startup_notes.contains(&refused) {
                    self.startup_notes.push(refused);
                }
                return false;
            }
        }
        self.config = crate::fleet::effective(&self.own, self.fleet.as_ref());
        self.reload_trust();
        tracing::info!("the hub's newer configuration is in use");
        true
    }

    /// Changes the kiosk's own configuration (staff's settings, joining a
    /// hub); the hub's settings stay over it.
    pub fn change_own(&mut self, change: impl FnOnce(&mut Config)) {
        change(&mut self.own);
        self.config = crate::fleet::effective(&self.own, self.fleet.as_ref());
    }

    /// The settings the hub sets, which staff cannot change here.
    pub fn hub_set(&self) -> Vec<&'static str> {
        crate::fleet::hub_set(self.fleet.as_ref())
    }

    /// The trust list and saved-declaration keys in use, read again (after
    /// an import, or a newer configuration from the hub).
    fn reload_trust(&mut self) {
        self.trust = crate::trust::load(
            &self.data,
            &self.config,
            self.store.as_ref().ok(),
            self.fleet.as_ref(),
        );
        let own = self.signing_key.as_ref().map(SigningKey::verifying_key);
        self.ckd_keys = CkdKeys::new(own, &self.trust.list);
    }

    /// Imports a trust list file into the store and starts using it.
    pub fn import_trust_list(
        &mut self,
        path: &std::path::Path,
    ) -> Result<crate::trust::Imported, Message> {
        let now = (self.clock)();
        let store = self.store.as_mut().map_err(|m| m.clone())?;
        let imported = crate::trust::import(store, path, checkpoint_store::Actor::Staff, now)
            .map_err(|e| e.message())?;
        self.reload_trust();
        Ok(imported)
    }

    /// What to say about the trust list now, if anything.
    pub fn trust_warning(&self) -> Option<Message> {
        crate::trust::warning(
            &self.trust,
            self.config.payload.trust_list_max_age_days,
            (self.clock)(),
        )
    }

    /// Tells the sync worker a record is waiting.
    pub fn wake_sync(&self) {
        if let Some(sync) = &self.sync {
            sync.wake();
        }
    }

    /// The kiosk joined a hub: its settings in use from now on, and the
    /// sync worker started again on them (the old one stops when dropped).
    pub fn adopt_hub(
        &mut self,
        code: &checkpoint_wire::EnrolmentCode,
        answer: &checkpoint_wire::EnrolAnswer,
    ) {
        let previous_key = self.own.sync.hub_key.clone();
        self.change_own(|own| {
            let sync = &mut own.sync;
            sync.server = code.hub.clone();
            sync.token = answer.token.clone();
            sync.pinned_cert_sha256 = Some(code.cert_sha256.clone());
            if !answer.hub_key.is_empty() {
                sync.hub_key = Some(answer.hub_key.clone());
            }
            own.kiosk.id = answer.kiosk_id.clone();
            own.kiosk.checkpoint = answer.checkpoint_id.clone();
        });
        if self.own.sync.hub_key != previous_key {
            // Another hub: its configuration comes with its first sync.
            self.fleet = None;
            self.config = crate::fleet::effective(&self.own, None);
            self.reload_trust();
        }
        self.kiosk_id = answer.kiosk_id.clone();
        self.sync = None;
        self.start_sync();
    }

    /// Stops the sync worker (dropping the link stops it; see `SyncLink`).
    pub fn stop_sync(&mut self) {
        self.sync = None;
    }
}

fn open_store(data: &DataDir, config: &Config) -> Result<Store, Message> {
    if let Err(e) = data.ensure() {
        return Err(Message::new(fl!("error-data-dir"))
            .arg("path", data.root().display())
            .arg("reason", e));
    }
    crate::storage::open_store(data, config).map_err(|e| {
        tracing::error!(error = %e, "cannot open the store");
        e.message()
    })
}

/// The sync worker over the kiosk's store, sending as the store's kiosk id
/// and keeping the hub's fleet configuration: as the window runs it and as
/// `checkpoint-kiosk sync` does.
pub fn sync_worker(data: &DataDir, config: &Config) -> Result<Worker, Message> {
    let store = crate::storage::open_store(data, config).map_err(|e| {
        tracing::debug!(error = %e, "cannot open the store for sync");
        e.message()
    })?;
    let queue = StoreQueue::new(store);
    let kiosk_id = queue.kiosk_id();
    let status_file = Some(crate::sync::status::status_file(data));
    let worker = Worker::new(Arc::new(queue), &config.sync, &kiosk_id, status_file)
        .map_err(|e| e.message())?;
    Ok(worker.with_fleet(
        crate::fleet::file(data),
        crate::enrolment::ckd_public_key(data),
    ))
}
