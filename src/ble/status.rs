//! What the scanner is doing, as staff should read it. Every state has a
//! Fluent message; the kiosk keeps working in all of them.

use serde::Serialize;

use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BleStatus {
    /// Switched off in the configuration.
    Disabled,
    /// Looking for BlueZ and an adapter.
    Starting,
    /// Listening.
    Scanning { adapter: String },
    /// The system D-Bus cannot be reached.
    NoSystemBus,
    /// BlueZ (bluetoothd) is not running.
    NoBluez,
    /// BlueZ runs but there is no adapter (or not the configured one).
    NoAdapter,
    /// The adapter is switched off or blocked (rfkill).
    AdapterOff,
    /// The system refuses this user access to Bluetooth.
    PermissionDenied,
    /// Anything else; the detail goes to the logs and the CLI.
    Failed { detail: String },
}

impl BleStatus {
    pub fn is_scanning(&self) -> bool {
        matches!(self, BleStatus::Scanning { .. })
    }

    /// One word for the hub's kiosks page (the heartbeat's vocabulary).
    pub fn word(&self) -> &'static str {
        match self {
            BleStatus::Disabled => "off",
            BleStatus::Starting => "starting",
            BleStatus::Scanning { .. } => "working",
            BleStatus::AdapterOff => "adapter-off",
            BleStatus::PermissionDenied => "no-permission",
            BleStatus::NoSystemBus | BleStatus::NoBluez | BleStatus::NoAdapter => "missing",
            BleStatus::Failed { .. } => "failed",
        }
    }

    /// The localised explanation for the staff screen and the CLI.
    pub fn message(&self) -> Message {
        match self {
            BleStatus::Disabled => Message::new(fl!("ble-status-disabled")),
            BleStatus::Starting => Message::new(fl!("ble-status-starting")),
            BleStatus::Scanning { adapter } => {
                Message::new(fl!("ble-status-scanning")).arg("adapter", adapter)
            }
            BleStatus::NoSystemBus => Message::new(fl!("ble-status-no-system-bus")),
            BleStatus::NoBluez => Message::new(fl!("ble-status-no-bluez")),
            BleStatus::NoAdapter => Message::new(fl!("ble-status-no-adapter")),
            BleStatus::AdapterOff => Message::new(fl!("ble-status-adapter-off")),
            BleStatus::PermissionDenied => Message::new(fl!("ble-status-permission-denied")),
            BleStatus::Failed { detail } => {
                Message::new(fl!("ble-status-failed")).arg("detail", detail)
            }
        }
    }

    /// Maps a btleplug error to a status. BlueZ errors arrive as D-Bus error
    /// names inside btleplug's `Other`, so the names are matched in the text.
    pub fn from_error(err: &btleplug::Error) -> Self {
        match err {
            btleplug::Error::PermissionDenied => BleStatus::PermissionDenied,
            btleplug::Error::NoAdapterAvailable => BleStatus::NoAdapter,
            other => Self::from_error_text(&format!("{other} {other:?}")),
        }
    }

    /// The mapping on the error's text (testable without a bus).
    pub fn from_error_text(text: &str) -> Self {
        const RULES: &[(&str, BleStatus)] = &[
            ("AccessDenied", BleStatus::PermissionDenied),
            ("PermissionDenied", BleStatus::PermissionDenied),
            ("NotPermitted", BleStatus::PermissionDenied),
            (
                "org.freedesktop.DBus.Error.ServiceUnknown",
                BleStatus::NoBluez,
            ),
            (
                "org.freedesktop.DBus.Error.NameHasNoOwner",
                BleStatus::NoBluez,
            ),
            (
                "org.freedesktop.DBus.Error.NoServer",
                BleStatus::NoSystemBus,
            ),
            (
                "org.freedesktop.DBus.Error.FileNotFound",
                BleStatus::NoSystemBus,
            ),
            (
                "org.freedesktop.DBus.Error.Disconnected",
                BleStatus::NoSystemBus,
            ),
            ("Failed to connect to socket", BleStatus::NoSystemBus),
            (
                "org.freedesktop.DBus.Error.UnknownObject",
                BleStatus::NoAdapter,
            ),
            (
                "org.freedesktop.DBus.Error.UnknownMethod",
                BleStatus::NoAdapter,
            ),
            ("org.bluez.Error.NotReady", BleStatus::AdapterOff),
            ("org.bluez.Error.Blocked", BleStatus::AdapterOff),
            ("rfkill", BleStatus::AdapterOff),
        ];
        RULES
            .iter()
            .find(|(needle, _)| text.contains(needle))
            .map_or_else(
                || BleStatus::Failed {
                    detail: text.chars().take(200).collect(),
                },
                |(_, status)| status.clone(),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_i18n::Lang;

    #[test]
    fn dbus_error_names_map_to_states() {
        let cases = [
            (
                "D-Bus error org.freedesktop.DBus.Error.ServiceUnknown: The name org.bluez was not provided",
                BleStatus::NoBluez,
            ),
            (
                "org.freedesktop.DBus.Error.AccessDenied: Rejected send message",
                BleStatus::PermissionDenied,
            ),
            (
                "org.freedesktop.DBus.Error.FileNotFound: Failed to connect to socket /run/dbus/x",
                BleStatus::NoSystemBus,
            ),
            (
                "org.freedesktop.DBus.Error.UnknownObject: no /org/bluez/hci0",
                BleStatus::NoAdapter,
            ),
            (
                "org.bluez.Error.NotReady: Resource Not Ready",
                BleStatus::AdapterOff,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(BleStatus::from_error_text(text), want, "{text}");
        }
        assert!(matches!(
            BleStatus::from_error_text("weird"),
            BleStatus::Failed { .. }
        ));
        assert_eq!(
            BleStatus::from_error(&btleplug::Error::PermissionDenied),
            BleStatus::PermissionDenied
        );
    }

    #[test]
    fn every_state_renders_in_both_languages() {
        let all = [
            BleStatus::Disabled,
            BleStatus::Starting,
            BleStatus::Scanning {
                adapter: "hci0".into(),
            },
            BleStatus::NoSystemBus,
            BleStatus::NoBluez,
            BleStatus::NoAdapter,
            BleStatus::AdapterOff,
            BleStatus::PermissionDenied,
            BleStatus::Failed { detail: "x".into() },
        ];
        for s in all {
            for lang in Lang::ALL {
                let text = s.message().render(lang);
                assert!(!text.starts_with("ble-"), "{s:?} in {lang}: {text}");
            }
        }
    }
}
