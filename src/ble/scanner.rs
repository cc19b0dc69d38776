//! The scanner: btleplug (BlueZ over D-Bus on Linux) on a thread of its own,
//! feeding the [`Tracker`]. It only listens (a discovery session never makes
//! the adapter advertise). Whatever goes wrong (no D-Bus, no BlueZ, no
//! adapter, adapter off, permission denied) becomes a [`BleStatus`]; the
//! thread retries until scanning works, and starts again by itself when an
//! adapter that vanished comes back.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use btleplug::api::{Central, CentralState, Manager as _, Peripheral as _, ScanFilter};
use btleplug::platform::{Adapter, Manager, PeripheralId};
use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{mpsc, watch};

use super::BleConfig;
use super::advert::Advert;
use super::bluezone::{BzId, Classification, DeviceClass, ID_CHARACTERISTIC, classify};
use super::clock::{Clock, SystemClock};
use super::source::{Event, Props, Source};
use super::status::BleStatus;
use super::tracker::{ClassCounts, DeviceView, HourCounts, Sighting, Tracker, TrackerSettings};

/// A failed GATT read is not tried again on the same device for this long.
const GATT_RETRY: TimeDelta = TimeDelta::seconds(60);
const GATT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Shared {
    tracker: Mutex<Tracker>,
    status: Mutex<BleStatus>,
    clock: Arc<dyn Clock>,
    sessions: AtomicU32,
    events: AtomicU64,
}

impl Shared {
    fn tracker(&self) -> MutexGuard<'_, Tracker> {
        // A panic elsewhere must not stop the counting: take the data as it is.
        self.tracker.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_status(&self, status: BleStatus) {
        let mut cur = self.status.lock().unwrap_or_else(|e| e.into_inner());
        if *cur != status {
            tracing::info!(?status, "Bluetooth status");
            *cur = status;
        }
    }
}

/// The running scanner, as the GUI, the CLI and the tests hold it. Cheap to
/// query from any thread.
#[derive(Debug)]
pub struct BleHandle {
    shared: Arc<Shared>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BleHandle {
    /// Starts scanning in the background (or only reports `Disabled`).
    pub fn start(cfg: &BleConfig) -> Self {
        Self::start_with_clock(cfg, Arc::new(SystemClock))
    }

    /// Same, with another clock (tests set it near a slot boundary).
    pub fn start_with_clock(cfg: &BleConfig, clock: Arc<dyn Clock>) -> Self {
        let shared = Arc::new(Shared {
            tracker: Mutex::new(Tracker::new(TrackerSettings::from_config(cfg))),
            status: Mutex::new(if cfg.enabled {
                BleStatus::Starting
            } else {
                BleStatus::Disabled
            }),
            clock,
            sessions: AtomicU32::new(0),
            events: AtomicU64::new(0),
        });
        if !cfg.enabled {
            return Self {
                shared,
                stop: None,
                thread: None,
            };
        }
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = Arc::clone(&shared);
        let cfg = cfg.clone();
        let thread = std::thread::Builder::new()
            .name("ble-scanner".into())
            .spawn(move || run_thread(worker, cfg, stop_rx));
        let thread = match thread {
            Ok(t) => Some(t),
            Err(e) => {
                shared.set_status(BleStatus::Failed {
                    detail: e.to_string(),
                });
                None
            }
        };
        Self {
            shared,
            stop: Some(stop_tx),
            thread,
        }
    }

    pub fn status(&self) -> BleStatus {
        self.shared
            .status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The scanner's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// Whether a Bluezone phone was at the kiosk shortly before `now`.
    pub fn bluezone_nearby(&self, now: DateTime<Utc>) -> bool {
        self.shared.tracker().bluezone_nearby(now)
    }

    /// What a check-in records: `Some(nearby)` while scanning, `None` when the
    /// scanner cannot tell (no adapter…), so adoption is not skewed by outages.
    pub fn checkin_note(&self) -> Option<bool> {
        self.status()
            .is_scanning()
            .then(|| self.bluezone_nearby(self.now()))
    }

    /// Distinct devices per class in the window, now.
    pub fn window_counts(&self) -> ClassCounts {
        self.shared.tracker().window_counts(self.now())
    }

    /// Devices in the window, nearest first.
    pub fn devices(&self) -> Vec<DeviceView> {
        self.shared.tracker().devices(self.now())
    }

    /// Hours that have ended, to save with [`Self::save_finished_hours`].
    pub fn take_finished_hours(&self) -> Vec<HourCounts> {
        self.shared.tracker().take_finished_hours()
    }

    /// Saves the hours that have ended into the stats tables (call it now and
    /// then, e.g. every minute, and at shutdown after [`Self::take_current_hour`]).
    /// On a database error the hours stay here for the next call.
    pub fn save_finished_hours(
        &self,
        store: &checkpoint_store::Store,
    ) -> Result<usize, checkpoint_store::StoreError> {
        let hours = self.take_finished_hours();
        let totals: Vec<_> = hours.iter().map(HourCounts::totals).collect();
        store.save_ble_hours(&totals).inspect_err(|_| {
            self.shared.tracker().return_finished_hours(hours);
        })
    }

    /// The hour in progress (at shutdown), to save as well.
    pub fn take_current_hour(&self) -> Option<HourCounts> {
        self.shared.tracker().take_current_hour()
    }

    /// How many times scanning has started (1 + one per recovery).
    pub fn sessions(&self) -> u32 {
        self.shared.sessions.load(Ordering::Relaxed)
    }

    /// Events received from BlueZ so far.
    pub fn events(&self) -> u64 {
        self.shared.events.load(Ordering::Relaxed)
    }

    /// Stops scanning and waits for the thread.
    pub fn stop(mut self) {
        self.signal_stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn signal_stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(true);
        }
    }
}

impl Drop for BleHandle {
    fn drop(&mut self) {
        // No join here: a D-Bus call may take seconds and the GUI must not wait.
        self.signal_stop();
    }
}

fn run_thread(shared: Arc<Shared>, cfg: BleConfig, stop: watch::Receiver<bool>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match rt {
        Ok(rt) => rt.block_on(supervise(shared, cfg, stop)),
        Err(e) => shared.set_status(BleStatus::Failed {
            detail: e.to_string(),
        }),
    }
}

/// Runs scanning sessions until told to stop; between failed ones, waits and retries.
async fn supervise(shared: Arc<Shared>, cfg: BleConfig, mut stop: watch::Receiver<bool>) {
    let mut conns = Connections::default();
    let retry = Duration::from_millis(cfg.retry_ms.max(100));
    loop {
        if *stop.borrow() {
            break;
        }
        match session(&shared, &cfg, &mut conns, &mut stop).await {
            Ok(()) => break,
            Err(status) => {
                if matches!(status, BleStatus::NoSystemBus | BleStatus::Failed { .. }) {
                    // Fresh D-Bus connections next time.
                    conns = Connections::default();
                }
                shared.set_status(status);
                tokio::select! {
                    _ = tokio::time::sleep(retry) => {}
                    _ = stop.changed() => break,
                }
                let now = shared.clock.now();
                shared.tracker().tick(now);
            }
        }
    }
}

/// D-Bus connections, kept across sessions (a new one per retry would leak
/// btleplug's connection task).
#[derive(Default)]
struct Connections {
    manager: Option<Manager>,
    #[cfg(target_os = "linux")]
    bluez: Option<bluez_async::BluetoothSession>,
}

impl Connections {
    async fn manager(&mut self) -> Result<Manager, BleStatus> {
        if let Some(m) = &self.manager {
            return Ok(m.clone());
        }
        let m = Manager::new()
            .await
            .map_err(|e| BleStatus::from_error(&e))?;
        self.manager = Some(m.clone());
        Ok(m)
    }

    /// The update stream for `adapter` named `name`.
    async fn source(
        &mut self,
        cfg: &BleConfig,
        adapter: &Adapter,
        name: &str,
    ) -> Result<Source, BleStatus> {
        #[cfg(target_os = "linux")]
        if cfg.direct_bluez_events {
            let session = match &self.bluez {
                Some(s) => s.clone(),
                None => {
                    let s = super::source::bluez::connect().await?;
                    self.bluez = Some(s.clone());
                    s
                }
            };
            let source = super::source::bluez::BluezSource::open(&session, name).await?;
            return Ok(Source::Bluez(source));
        }
        let _ = (cfg, name);
        Source::btleplug(adapter).await
    }
}

/// What the scanner remembers of one peripheral between its events.
#[derive(Debug)]
struct Known {
    address: String,
    advert: Advert,
    rssi: Option<i16>,
    /// The ID read over GATT, which confirms an iOS phone.
    gatt_id: Option<BzId>,
    gatt_tried: Option<DateTime<Utc>>,
    /// Last update of any kind; a device silent for a whole window is forgotten
    /// (random addresses come and go all day).
    last_heard: DateTime<Utc>,
}

impl Known {
    fn classification(&self) -> Classification {
        match self.gatt_id {
            Some(id) => Classification {
                class: DeviceClass::BluezoneIos,
                bzid: Some(id),
            },
            None => classify(&self.advert),
        }
    }
}

struct Session<'a> {
    shared: &'a Shared,
    cfg: &'a BleConfig,
    adapter: Adapter,
    source: Source,
    known: HashMap<PeripheralId, Known>,
    gatt_tx: mpsc::Sender<(PeripheralId, Option<BzId>)>,
    gatt_busy: bool,
}

async fn pick_adapter(manager: &Manager, wanted: &str) -> Result<(Adapter, String), BleStatus> {
    let adapters = manager
        .adapters()
        .await
        .map_err(|e| BleStatus::from_error(&e))?;
    for adapter in adapters {
        // "hci0 (usb:v1D6Bp0246d0537)": the name is the first word.
        let info = adapter.adapter_info().await.unwrap_or_default();
        let name = info.split_whitespace().next().unwrap_or("").to_owned();
        if wanted.is_empty() || name == wanted {
            return Ok((adapter, name));
        }
    }
    Err(BleStatus::NoAdapter)
}

/// One scanning session on one adapter: `Ok` when told to stop, the reason otherwise.
async fn session(
    shared: &Shared,
    cfg: &BleConfig,
    conns: &mut Connections,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), BleStatus> {
    let mgr = conns.manager().await?;
    let (adapter, name) = pick_adapter(&mgr, &cfg.adapter).await?;
    // Respect an adapter switched off by staff: btleplug would power it on.
    if adapter.adapter_state().await.ok() != Some(CentralState::PoweredOn) {
        return Err(BleStatus::AdapterOff);
    }
    let source = conns.source(cfg, &adapter, &name).await?;
    adapter
        .start_scan(ScanFilter::default())
        .await
        .map_err(|e| BleStatus::from_error(&e))?;
    shared.sessions.fetch_add(1, Ordering::Relaxed);
    shared.set_status(BleStatus::Scanning { adapter: name });

    let (gatt_tx, mut gatt_rx) = mpsc::channel(4);
    let mut s = Session {
        shared,
        cfg,
        adapter,
        source,
        known: HashMap::new(),
        gatt_tx,
        gatt_busy: false,
    };
    let mut health = tokio::time::interval(Duration::from_millis(cfg.health_check_ms.max(100)));
    health.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stop.changed() => {
                let _ = s.adapter.stop_scan().await;
                return Ok(());
            }
            event = s.source.next() => match event {
                Some(event) => s.handle(event).await?,
                None => return Err(BleStatus::Failed { detail: "BlueZ event stream ended".into() }),
            },
            Some((id, bzid)) = gatt_rx.recv() => s.gatt_done(id, bzid),
            _ = health.tick() => s.check_health().await?,
        }
    }
}

impl Session<'_> {
    async fn handle(&mut self, event: Event) -> Result<(), BleStatus> {
        self.shared.events.fetch_add(1, Ordering::Relaxed);
        match event {
            Event::Discovered(id) => self.refresh(id).await,
            Event::Known(id, props) => self.learn(&id, props),
            Event::PoweredOff => return Err(BleStatus::AdapterOff),
            Event::Other => {}
            Event::Rssi(id, rssi) => self.update(id, |k| k.rssi = Some(rssi)).await,
            Event::ManufacturerData(id, data) => {
                self.update(id, |k| k.advert.manufacturer_data = data).await;
            }
            Event::ServiceData(id, data) => {
                self.update(id, |k| k.advert.service_data = data).await;
            }
            Event::Services(id, services) => {
                self.update(id, |k| k.advert.services = services).await;
            }
        }
        Ok(())
    }

    /// Applies a change to a known device; an unknown one is read whole.
    async fn update(&mut self, id: PeripheralId, change: impl FnOnce(&mut Known)) {
        match self.known.get_mut(&id) {
            Some(k) => {
                change(k);
                self.observe(&id);
            }
            None => self.refresh(id).await,
        }
    }

    /// Reads everything BlueZ knows of a peripheral (adverts present at
    /// discovery only arrive this way).
    async fn refresh(&mut self, id: PeripheralId) {
        match self.source.properties(&id).await {
            Some(props) => self.learn(&id, props),
            None => tracing::debug!("peripheral vanished before it could be read"),
        }
    }

    fn learn(&mut self, id: &PeripheralId, props: Props) {
        let now = self.shared.clock.now();
        let entry = self.known.entry(id.clone()).or_insert_with(|| Known {
            address: props.address.clone(),
            advert: Advert::default(),
            rssi: None,
            gatt_id: None,
            gatt_tried: None,
            last_heard: now,
        });
        entry.advert = props.advert;
        entry.rssi = props.rssi;
        self.observe(id);
    }

    /// Feeds the tracker. A device without RSSI is only known to BlueZ (cached,
    /// paired), not heard now: it is not counted.
    fn observe(&mut self, id: &PeripheralId) {
        let now = self.shared.clock.now();
        if let Some(k) = self.known.get_mut(id) {
            k.last_heard = now;
        }
        let Some(k) = self.known.get(id) else {
            return;
        };
        let Some(rssi) = k.rssi else {
            return;
        };
        let class = k.classification();
        self.shared.tracker().observe(Sighting {
            address: &k.address,
            class,
            rssi: Some(rssi),
            at: now,
        });
        if !self.gatt_busy && self.wants_gatt_read(k, now) {
            self.start_gatt_read(id.clone(), now);
        }
    }

    /// An iPhone whose Bluezone ID could be read (if configured), not tried lately.
    fn wants_gatt_read(&self, k: &Known, now: DateTime<Utc>) -> bool {
        let class = k.classification();
        self.cfg.confirm_ios_by_gatt
            && k.rssi.is_some()
            && class.class.is_ios()
            && class.bzid.is_none()
            && k.gatt_tried.is_none_or(|t| now - t >= GATT_RETRY)
    }

    /// Connects and reads the ID characteristic in the background, one device at a time.
    fn start_gatt_read(&mut self, id: PeripheralId, now: DateTime<Utc>) {
        if let Some(k) = self.known.get_mut(&id) {
            k.gatt_tried = Some(now);
        }
        self.gatt_busy = true;
        let adapter = self.adapter.clone();
        let tx = self.gatt_tx.clone();
        tokio::spawn(async move {
            let read = tokio::time::timeout(GATT_TIMEOUT, read_bzid(&adapter, &id)).await;
            let bzid = match read {
                Ok(Ok(b)) => b,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "GATT read of the Bluezone ID failed");
                    None
                }
                Err(_) => None,
            };
            let _ = tx.send((id, bzid)).await;
        });
    }

    fn gatt_done(&mut self, id: PeripheralId, bzid: Option<BzId>) {
        self.gatt_busy = false;
        if let Some(b) = bzid
            && let Some(k) = self.known.get_mut(&id)
        {
            k.gatt_id = Some(b);
            self.observe(&id);
        }
        // Devices that waited for their turn may send nothing new: pick the next now.
        let now = self.shared.clock.now();
        let next = self
            .known
            .iter()
            .find(|(_, k)| self.wants_gatt_read(k, now))
            .map(|(id, _)| id.clone());
        if !self.gatt_busy
            && let Some(next) = next
        {
            self.start_gatt_read(next, now);
        }
    }

    async fn check_health(&mut self) -> Result<(), BleStatus> {
        // A removed adapter gives no event: ask for it.
        self.adapter
            .adapter_info()
            .await
            .map_err(|e| BleStatus::from_error(&e))?;
        if self.adapter.adapter_state().await.ok() != Some(CentralState::PoweredOn) {
            return Err(BleStatus::AdapterOff);
        }
        let now = self.shared.clock.now();
        let window = self.shared.tracker().settings().window;
        self.known.retain(|_, k| now - k.last_heard <= window);
        self.shared.tracker().tick(now);
        Ok(())
    }
}

async fn read_bzid(adapter: &Adapter, id: &PeripheralId) -> btleplug::Result<Option<BzId>> {
    let p = adapter.peripheral(id).await?;
    p.connect().await?;
    let result = async {
        p.discover_services().await?;
        let Some(ch) = p
            .characteristics()
            .into_iter()
            .find(|c| c.uuid == ID_CHARACTERISTIC)
        else {
            return Ok(None);
        };
        Ok(BzId::from_slice(&p.read(&ch).await?))
    }
    .await;
    let _ = p.disconnect().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn handle_can_live_in_gui_state_and_disabled_does_nothing() {
        send_sync::<BleHandle>();
        let h = BleHandle::start(&BleConfig {
            enabled: false,
            ..BleConfig::default()
        });
        assert_eq!(h.status(), BleStatus::Disabled);
        assert_eq!(h.checkin_note(), None);
        assert_eq!(h.sessions(), 0);
        h.stop();
    }
}
