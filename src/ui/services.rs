//! What the window uses from the rest of the kiosk: the store, the scanner,
//! the sync worker, Bluetooth, sounds and keys. Built once at start-up; each
//! part that cannot start (no camera, no adapter, a broken database) is
//! reported and left out, and the window keeps working without it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use tokio::sync::{mpsc, watch};

use crate::ble::BleHandle;
use crate::config::Config;
use crate::paths::DataDir;
use crate::scan::{Engine, Frame, ScanEvent, ScanWorker};
use crate::sync::status::SyncStatus;
use crate::sync::worker::SyncHandle;
use checkpoint_domain::payload::ckd::CkdKeys;
use checkpoint_domain::payload::{ParseContext, Refusal, prefill};
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;
use checkpoint_store::Store;

use super::sound::Sounds;

/// Where the frames on screen come from, for the status bar and the notice
/// that there is no camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameOrigin {
    /// A camera (or the reconnecting camera waiting for one).
    Camera,
    /// Images replayed from a folder staff chose.
    Replay,
    /// No camera: the demo frames shipped with the kiosk.
    Demo,
    /// No frame source at all (tests, or the source failed to start).
    None,
}

/// The receiving end of a channel, shareable with a subscription. The
/// subscription takes the receiver on its first run; the key keeps the
/// subscription's identity stable across `view`s.
#[derive(Debug)]
pub struct Inbox<T> {
    pub key: u64,
    pub slot: Arc<Mutex<Option<T>>>,
}

// Not derived: the receiver itself is not `Clone`, the shared slot is.
impl<T> Clone for Inbox<T> {
    fn clone(&self) -> Self {
        Self {
            key: self.key,
            slot: Arc::clone(&self.slot),
        }
    }
}

impl<T> Inbox<T> {
    pub fn new(key: u64, value: T) -> Self {
        Self {
            key,
            slot: Arc::new(Mutex::new(Some(value))),
        }
    }

    /// Takes the receiver (once).
    pub fn take(&self) -> Option<T> {
        self.slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

impl<T> std::hash::Hash for Inbox<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// The scanner as the window holds it.
#[derive(Debug)]
pub struct ScanLink {
    pub worker: ScanWorker,
    pub events: Inbox<mpsc::UnboundedReceiver<ScanEvent>>,
    pub preview: watch::Receiver<Option<Frame>>,
}

/// Serial-mode scanners as the window holds them.
#[derive(Debug)]
pub struct SerialLink {
    pub events: Inbox<mpsc::UnboundedReceiver<ScanEvent>>,
    pub connected: watch::Receiver<Vec<std::path::PathBuf>>,
    /// Stops the readers when the window goes.
    _running: crate::scan::serial::Running,
}

struct SerialParts {
    events: mpsc::UnboundedReceiver<ScanEvent>,
    connected: watch::Receiver<Vec<std::path::PathBuf>>,
    keep: crate::scan::serial::Running,
}

impl From<crate::scan::serial::SerialScanners> for SerialParts {
    fn from(s: crate::scan::serial::SerialScanners) -> Self {
        let (events, connected, keep) = s.into_parts();
        Self {
            events,
            connected,
            keep,
        }
    }
}

/// The sync worker as the window holds it, on a small runtime of its own.
#[derive(Debug)]
pub struct SyncLink {
    handle: Option<SyncHandle>,
    pub status: watch::Receiver<SyncStatus>,
    /// Keeps the worker's runtime alive as long as the window.
    runtime: Option<tokio::runtime::Runtime>,
}

impl SyncLink {
    /// A new record is waiting: send it now.
    pub fn wake(&self) {
        if let Some(handle) = &self.handle {
            handle.wake();
        }
    }
}

impl Drop for SyncLink {
    /// Stops the worker after its current step (a batch in flight stays
    /// `sent` and goes again next time). The window's own code runs inside
    /// iced's tokio runtime, where blocking on or dropping another runtime
    /// panics: both happen on a plain thread of their own.
    fn drop(&mut self) {
        let (Some(handle), Some(runtime)) = (self.handle.take(), self.runtime.take()) else {
            return;
        };
        let stopper = std::thread::Builder::new()
            .name("sync-stop".into())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), handle.stop())
                        .await;
                });
                drop(runtime);
            });
        match stopper {
            Ok(thread) => {
                let _ = thread.join();
            }
            Err(e) => tracing::warn!(error = %e, "sync worker not stopped cleanly"),
        }
    }
}

/// Everything the window talks to.
pub struct Services {
    pub data: DataDir,
    /// The configuration in force: `own` with the hub's settings over it
    /// (change it through `change_own`).
    pub config: Config,
    /// The kiosk's own configuration (its file, staff's changes).
    own: Config,
    /// The hub's configuration in use, verified (see crate::fleet).
    pub fleet: Option<checkpoint_domain::fleet::FleetDocument>,
    /// The store, or why it could not be opened (shown on screen; the visitor
    /// is asked to call staff instead of filling a form that cannot be kept).
    pub store: Result<Store, Message>,
    pub kiosk_id: String,
    /// Signs the saved-declaration code on the receipt.
    pub signing_key: Option<SigningKey>,
    /// The DCC trust list in use, with its date and origin.
    pub trust: crate::trust::Loaded,
    pub ckd_keys: CkdKeys,
    pub scan: Option<ScanLink>,
    pub origin: FrameOrigin,
    pub sync: Option<SyncLink>,
    pub ble: Option<BleHandle>,
    /// Scanners in serial mode: their codes, and the devices open now.
    pub serial: Option<SerialLink>,
    pub sounds: Sounds,
    /// The wall clock (tests pin it).
    pub clock: fn() -> DateTime<Utc>,
    /// Problems found while starting, shown to staff.
    pub startup_notes: Vec<Message>,
    /// The camera's and Bluetooth's state for the hub (the heartbeat).
    pub devices: Arc<crate::sync::heartbeat::DeviceStates>,
    /// The sync worker tells a newer fleet configuration through here (see
    /// `refresh_fleet`); the window holds both ends.
    fleet_tx: tokio::sync::watch::Sender<Option<DateTime<Utc>>>,
    fleet_rx: tokio::sync::watch::Receiver<Option<DateTime<Utc>>>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("kiosk_id", &self.kiosk_id)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// How the window starts its sources.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    pub replay: Option<std::path::PathBuf>,
    pub camera: Option<String>,
    /// No frame source (handheld scanners and typing only).
    pub no_camera: bool,
    /// Start no hardware or network workers (tests, screenshots of fixed states).
    pub offline: bool,
}

impl Services {
    /// Opens the store and starts every background worker the configuration asks for.
    pub fn start(data: DataDir, mut own: Config, options: &StartOptions) -> Self {
        if let Some(camera) = &options.camera {
            own.scan.camera.clone_from(camera);
        }
        let mut notes = Vec::new();
        // The hub's settings win over the kiosk's own (see crate::fleet).
        let fleet = crate::fleet::in_use(&data, &own).unwrap_or_else(|refused| {
            notes.push(refused);
            None
        });
        let config = crate::fleet::effective(&own, fleet.as_ref());
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
        let mut services = Self {
            data,
            config,
            own,
            fleet,
            store,
            kiosk_id,
            signing_key,
            trust,
            ckd_keys,
            scan: None,
            origin: FrameOrigin::None,
            sync: None,
            ble: None,
            serial: None,
            sounds: Sounds::silent(),
            clock: Utc::now,
            startup_notes: notes,
            devices: Arc::default(),
            fleet_tx,
            fleet_rx,
        };
        if !options.offline {
            if !options.no_camera {
                services.start_scan(options.replay.clone());
            }
            services.start_sync();
            services.start_serial();
            services.ble = Some(BleHandle::start(&services.config.ble));
            services.sounds = Sounds::open(services.config.kiosk.sounds);
        }
        services
    }

    /// Services with a store in `data` and no hardware or network: what the
    /// window tests and benchmarks use.
    pub fn offline(data: DataDir, config: Config) -> Self {
        Self::start(
            data,
            config,
            &StartOptions {
                offline: true,
                ..StartOptions::default()
            },
        )
    }

    fn start_scan(&mut self, replay: Option<std::path::PathBuf>) {
        let scan_config = self.config.scan.clone();
        let engine = Engine::new(scan_config.engine());
        let (mut worker, channels) = ScanWorker::spawn(engine, scan_config.worker());
        self.origin = if replay.is_some() || !scan_config.replay.is_empty() {
            FrameOrigin::Replay
        } else if crate::scan::list_cameras().is_empty()
            && crate::scan::replay::demo_dir().is_some()
        {
            FrameOrigin::Demo
        } else {
            FrameOrigin::Camera
        };
        worker.attach_source(move || crate::scan::open_source(&scan_config, replay.as_deref()));
        self.scan = Some(ScanLink {
            worker,
            events: Inbox::new(1, channels.events),
            preview: channels.preview,
        });
    }

    /// Looks for scanners in serial mode on the configured devices.
    pub fn start_serial(&mut self) {
        if let Some(scanners) = crate::scan::serial::SerialScanners::start(&self.config.serial) {
            let SerialParts {
                events,
                connected,
                keep,
            } = SerialParts::from(scanners);
            self.serial = Some(SerialLink {
                events: Inbox::new(2, events),
                connected,
                _running: keep,
            });
        }
    }

    fn start_sync(&mut self) {
        if !self.config.sync.is_enabled() {
            return;
        }
        let queue = match crate::storage::open_store(&self.data, &self.config) {
            Ok(store) => Arc::new(crate::sync::store_queue::StoreQueue::new(store)),
            Err(e) => {
                self.startup_notes.push(e.message());
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
        let status_file = Some(crate::sync::status::status_file(&self.data));
        match crate::sync::worker::Worker::new(
            queue,
            &self.config.sync,
            &self.kiosk_id,
            status_file,
        ) {
            Ok(worker) => {
                let own_key = self.signing_key.as_ref().map_or_else(String::new, |k| {
                    checkpoint_domain::fleet::key_text(&k.verifying_key())
                });
                let worker = worker
                    .with_fleet(crate::fleet::file(&self.data), own_key)
                    .announce_fleet_to(self.fleet_tx.clone());
                let _guard = runtime.enter();
                let handle = worker.with_devices(self.devices.clone()).spawn();
                let status = handle.status();
                self.sync = Some(SyncLink {
                    handle: Some(handle),
                    status,
                    runtime: Some(runtime),
                });
            }
            Err(e) => self.startup_notes.push(e.message()),
        }
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
        self.sounds.set_enabled(self.config.kiosk.sounds);
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

    /// Forgets the codes recently read, so the next visitor's code counts.
    pub fn forget_recent_codes(&self) {
        if let Some(scan) = &self.scan {
            scan.worker.reset_repeats();
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

    /// Stops the background workers (the window is closing).
    pub fn shutdown(&mut self) {
        if let Some(mut scan) = self.scan.take() {
            scan.worker.stop();
        }
        if let (Some(ble), Ok(store)) = (self.ble.take(), &self.store) {
            let _ = ble.save_finished_hours(store);
            if let Some(hour) = ble.take_current_hour() {
                let _ = store.save_ble_hours(&[hour.totals()]);
            }
            ble.stop();
        }
        // Dropping the link stops the worker (see `SyncLink`'s `Drop`).
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The window's `update` runs inside iced's tokio runtime: stopping the
    /// sync worker there must not block on (or drop) its runtime in place.
    #[test]
    fn shutting_down_inside_the_window_runtime_stops_sync_without_panicking() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut config = Config::default();
        config.sync.server = "https://127.0.0.1:9".to_owned();
        config.sync.token = "t".to_owned();
        config.ble.enabled = false;
        let window_runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
        let _inside = window_runtime.enter();
        let options = StartOptions {
            no_camera: true,
            ..StartOptions::default()
        };
        let mut services = Services::start(DataDir::portable(dir.path()), config, &options);
        assert!(
            services.sync.is_some(),
            "notes: {:?}",
            services.startup_notes
        );
        services.wake_sync();
        services.shutdown();
        assert!(services.sync.is_none());
    }
}
