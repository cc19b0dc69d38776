//! Joining a hub with an enrolment code (`checkpoint-kiosk enrol`, and the
//! staff screen): the code names the hub and pins its certificate; the hub
//! answers the code's secret with this kiosk's id and token; the kiosk keeps
//! them in its configuration and re-labels the records it has not sent yet.

use std::path::Path;

use checkpoint_i18n::{Message, fl};
use checkpoint_store::{Actor, Store, StoreError};
use checkpoint_wire::{EnrolAnswer, EnrolRequest, EnrolmentCode, EnrolmentCodeError};

use crate::config::{ConfigError, Setting, save_settings};
use crate::sync::SyncError;
use crate::sync::client::HubClient;

/// Why enrolment did not happen (or not all of it).
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("{0}")]
    Code(#[from] EnrolmentCodeError),
    #[error("{0}")]
    Hub(SyncError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Config(#[from] ConfigError),
}

impl EnrolError {
    pub fn message(&self) -> Message {
        match self {
            EnrolError::Code(e) => Message::new(fl!("enrol-bad-code")).arg("reason", e.to_string()),
            EnrolError::Hub(SyncError::Refused { code, .. }) => match code.as_str() {
                "enrolment-used" => Message::new(fl!("enrol-used")),
                "enrolment-expired" => Message::new(fl!("enrol-expired")),
                "enrolment-revoked" => Message::new(fl!("enrol-revoked")),
                "enrolment-unknown" => Message::new(fl!("enrol-unknown")),
                _ => SyncError::Refused {
                    status: 0,
                    code: code.clone(),
                    detail: String::new(),
                }
                .message(),
            },
            EnrolError::Hub(e) => e.message(),
            EnrolError::Store(e) => e.message(),
            EnrolError::Config(e) => e.message(),
        }
    }
}

/// What enrolment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub kiosk_id: String,
    pub checkpoint_id: String,
    pub checkpoint_name: String,
    /// Records made before enrolment, now under the new id.
    pub relabelled: u64,
}

/// Reads a scanned or typed text as an enrolment code.
pub fn parse(text: &str) -> Result<EnrolmentCode, EnrolError> {
    Ok(EnrolmentCode::parse(text)?)
}

/// Asks the hub for this kiosk's id and token, trusting only the
/// certificate the code pins. `ckd_public_key`: this kiosk's
/// saved-declaration key (base64), which the hub hands to the whole fleet.
pub async fn request(
    code: &EnrolmentCode,
    previous_kiosk_id: &str,
    ckd_public_key: &str,
) -> Result<EnrolAnswer, EnrolError> {
    let config = crate::sync::SyncConfig {
        server: code.hub.clone(),
        pinned_cert_sha256: Some(code.cert_sha256.clone()),
        ..Default::default()
    };
    let client = HubClient::new(&config).map_err(EnrolError::Hub)?;
    client
        .enrol(&EnrolRequest {
            secret: code.secret.clone(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            previous_kiosk_id: previous_kiosk_id.to_owned(),
            ckd_public_key: ckd_public_key.to_owned(),
        })
        .await
        .map_err(EnrolError::Hub)
}

/// Keeps what the hub gave: unsent records re-labelled first (one
/// transaction, audited), then the configuration file (hub, token, pin,
/// kiosk id; written atomically, readable by the owner only).
pub fn apply(
    config_file: &Path,
    store: &mut Store,
    code: &EnrolmentCode,
    answer: &EnrolAnswer,
    actor: Actor,
) -> Result<Enrolled, EnrolError> {
    let relabelled = store.adopt_kiosk_id(&answer.kiosk_id, actor)?;
    let text = |s: &str| toml::Value::String(s.to_owned());
    let mut settings = vec![
        Setting {
            section: "sync",
            key: "server",
            value: text(&code.hub),
        },
        Setting {
            section: "kiosk",
            key: "checkpoint",
            value: text(&answer.checkpoint_id),
        },
        Setting {
            section: "sync",
            key: "token",
            value: text(&answer.token),
        },
        Setting {
            section: "sync",
            key: "pinned_cert_sha256",
            value: text(&code.cert_sha256),
        },
        Setting {
            section: "kiosk",
            key: "id",
            value: text(&answer.kiosk_id),
        },
    ];
    if !answer.hub_key.is_empty() {
        settings.push(Setting {
            section: "sync",
            key: "hub_key",
            value: text(&answer.hub_key),
        });
    }
    save_settings(config_file, &settings)?;
    Ok(Enrolled {
        kiosk_id: answer.kiosk_id.clone(),
        checkpoint_id: answer.checkpoint_id.clone(),
        checkpoint_name: answer.checkpoint_name.clone(),
        relabelled,
    })
}

/// This kiosk's saved-declaration key as the fleet writes it (made now if
/// the kiosk has none yet); empty when it cannot be made.
pub fn ckd_public_key(data: &crate::paths::DataDir) -> String {
    checkpoint_domain::payload::keys::load_or_create(&data.signing_key_file())
        .map(|k| checkpoint_domain::fleet::key_text(&k.verifying_key()))
        .unwrap_or_default()
}
