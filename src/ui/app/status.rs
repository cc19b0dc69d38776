//! The status bar: camera, records waiting for the hub, Bluetooth. Read from
//! cheap sources (the store counts its queue indexes, a few milliseconds at
//! 100,000 records), every few seconds and after each change.

use super::App;
use crate::ble::status::BleStatus;
use crate::sync_summary::SyncSummary;
use crate::ui::chrome::StatusItem;
use crate::ui::services::FrameOrigin;
use checkpoint_i18n::Message as Text;
use checkpoint_i18n::fl;

impl App {
    pub(crate) fn refresh_status(&mut self) {
        let camera = match (&self.camera_problem, &self.services.origin) {
            (Some(problem), _) => Some(StatusItem {
                text: problem.clone(),
                problem: true,
            }),
            (None, FrameOrigin::Camera) => Some(ok(fl!("ui-camera-on"))),
            (None, FrameOrigin::Replay) => Some(ok(fl!("ui-camera-replay"))),
            (None, FrameOrigin::Demo) => Some(StatusItem {
                text: Text::new(fl!("ui-camera-demo")),
                problem: true,
            }),
            (None, FrameOrigin::None) => Some(ok(fl!("ui-camera-none"))),
        };
        let queue = match &self.services.kiosk.store {
            Ok(store) => match SyncSummary::from_store(
                store,
                &self.sync_status,
                self.services.kiosk.config.sync.is_enabled(),
            ) {
                Ok(summary) => Some(StatusItem {
                    text: summary.message(),
                    problem: (summary.failing && summary.pending > 0)
                        || summary.clock_off_minutes().is_some(),
                }),
                Err(e) => Some(StatusItem {
                    text: e.message(),
                    problem: true,
                }),
            },
            Err(message) => Some(StatusItem {
                text: message.clone(),
                problem: true,
            }),
        };
        // The bar has room for a word or two; the staff screen says the rest.
        let bluetooth = self.services.ble.as_ref().map(|ble| {
            let status = ble.status();
            StatusItem {
                problem: !matches!(status, BleStatus::Scanning { .. } | BleStatus::Disabled),
                text: Text::new(match status {
                    BleStatus::Scanning { .. } => fl!("ui-ble-scanning"),
                    BleStatus::Disabled => fl!("ui-ble-off"),
                    BleStatus::Starting => fl!("ui-ble-starting"),
                    BleStatus::AdapterOff => fl!("ui-ble-adapter-off"),
                    BleStatus::PermissionDenied => fl!("ui-ble-no-permission"),
                    BleStatus::NoSystemBus
                    | BleStatus::NoBluez
                    | BleStatus::NoAdapter
                    | BleStatus::Failed { .. } => fl!("ui-ble-unavailable"),
                }),
            }
        });
        let camera_word = match (&self.camera_problem, &self.services.origin) {
            (Some(_), _) => "failed",
            (None, FrameOrigin::Camera) => "working",
            (None, FrameOrigin::Replay) => "replay",
            (None, FrameOrigin::Demo) => "demo",
            (None, FrameOrigin::None) => "missing",
        };
        let ble_word = self
            .services
            .ble
            .as_ref()
            .map_or("off", |b| b.status().word());
        self.services.kiosk.devices.set(camera_word, ble_word);
        self.waiting_for_staff = match &self.services.kiosk.store {
            Ok(store) => store.waiting_for_staff().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "waiting visitors not counted");
                self.waiting_for_staff
            }),
            Err(_) => 0,
        };
        self.status.serial = self.services.serial.as_ref().and_then(|serial| {
            let devices = serial.connected.borrow();
            (!devices.is_empty()).then(|| StatusItem {
                text: Text::new(fl!("ui-serial-devices")).arg(
                    "devices",
                    devices
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                problem: false,
            })
        });
        // A short word here; the staff screen says what to do.
        self.status.trust = self.services.kiosk.trust_warning().map(|_| StatusItem {
            text: Text::new(if self.services.kiosk.trust.since.is_none() {
                fl!("ui-trust-missing")
            } else {
                fl!("ui-trust-old")
            }),
            problem: true,
        });
        self.status.camera = camera;
        self.status.queue = queue;
        self.status.bluetooth = bluetooth;
    }

    /// Retention on a timer: a window left running for weeks deletes what is
    /// due without a restart (the store runs it at most hourly).
    pub(super) fn purge_if_due(&mut self) {
        let minutes = self.services.kiosk.config.store.purge_every_minutes.max(1);
        if let Ok(store) = self.services.kiosk.store.as_mut() {
            store.purge_if_due_every(chrono::Duration::minutes(i64::from(minutes)));
        }
    }

    /// Stores the Bluetooth hours that ended (counts only).
    pub(super) fn save_ble_hours(&self) {
        if let (Some(ble), Ok(store)) = (&self.services.ble, &self.services.kiosk.store)
            && let Err(e) = ble.save_finished_hours(store)
        {
            tracing::warn!(error = %e, "Bluetooth counts not saved");
        }
    }
}

fn ok(id: &'static str) -> StatusItem {
    StatusItem {
        text: Text::new(id),
        problem: false,
    }
}
