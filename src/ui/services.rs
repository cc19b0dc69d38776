//! What the window uses: the kiosk's core (crate::kiosk: configuration,
//! store, trust, sync) and the devices, the scanner, serial scanners,
//! Bluetooth and sounds. Built once at start-up; each
//! part that cannot start (no camera, no adapter, a broken database) is
//! reported and left out, and the window keeps working without it.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};

use crate::ble::BleHandle;
use crate::config::Config;
use crate::kiosk::Kiosk;
use crate::paths::DataDir;
use crate::scan::{Engine, Frame, ScanEvent, ScanWorker};

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

/// Everything the window talks to: the kiosk's core and the devices.
pub struct Services {
    /// Configuration in force, store, trust, sync (see crate::kiosk).
    pub kiosk: Kiosk,
    pub scan: Option<ScanLink>,
    pub origin: FrameOrigin,
    pub ble: Option<BleHandle>,
    /// Scanners in serial mode: their codes, and the devices open now.
    pub serial: Option<SerialLink>,
    pub sounds: Sounds,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("kiosk", &self.kiosk)
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
        let mut services = Self {
            kiosk: Kiosk::open(data, own),
            scan: None,
            origin: FrameOrigin::None,
            ble: None,
            serial: None,
            sounds: Sounds::silent(),
        };
        if !options.offline {
            if !options.no_camera {
                services.start_scan(options.replay.clone());
            }
            services.kiosk.start_sync();
            services.start_serial();
            services.ble = Some(BleHandle::start(&services.kiosk.config.ble));
            services.sounds = Sounds::open(services.kiosk.config.kiosk.sounds);
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
        let scan_config = self.kiosk.config.scan.clone();
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
        if let Some(scanners) =
            crate::scan::serial::SerialScanners::start(&self.kiosk.config.serial)
        {
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

    /// Takes a fleet configuration the sync worker kept since the last look
    /// (see `Kiosk::refresh_fleet`), its sound setting included.
    pub fn refresh_fleet(&mut self) -> bool {
        let taken = self.kiosk.refresh_fleet();
        if taken {
            self.sounds.set_enabled(self.kiosk.config.kiosk.sounds);
        }
        taken
    }

    /// Forgets the codes recently read, so the next visitor's code counts.
    pub fn forget_recent_codes(&self) {
        if let Some(scan) = &self.scan {
            scan.worker.reset_repeats();
        }
    }

    /// Stops the background workers (the window is closing).
    pub fn shutdown(&mut self) {
        if let Some(mut scan) = self.scan.take() {
            scan.worker.stop();
        }
        if let (Some(ble), Ok(store)) = (self.ble.take(), &self.kiosk.store) {
            let _ = ble.save_finished_hours(store);
            if let Some(hour) = ble.take_current_hour() {
                let _ = store.save_ble_hours(&[hour.totals()]);
            }
            ble.stop();
        }
        self.kiosk.stop_sync();
    }
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
            services.kiosk.sync.is_some(),
            "notes: {:?}",
            services.kiosk.startup_notes
        );
        services.kiosk.wake_sync();
        services.shutdown();
        assert!(services.kiosk.sync.is_none());
    }
}
