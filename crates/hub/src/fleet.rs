//! The fleet's configuration on the hub: what the admin set (settings, the
//! DCC trust list) and the kiosks' saved-declaration keys, assembled into
//! the document every kiosk fetches, signed with the hub's own key.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use checkpoint_domain::fleet::{FleetDocument, FleetIssuer, FleetTrustList, key_text};
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;

use crate::HubError;
use crate::db::{HubDb, timestamp};

const KIOSK_KEY: &str = "kiosk-key:";
const SETTING: &str = "setting:";
const TRUST_LIST: &str = "trust-list";

/// The hub's signing key, beside its database: back it up with it (kiosks
/// trust configurations signed with it, and no other).
pub fn key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("hub-signing.key")
}

/// Reads the hub's signing key, making it on first use (0600).
pub fn load_key(path: &Path) -> Result<SigningKey, HubError> {
    checkpoint_domain::payload::keys::load_or_create(path)
        .map_err(|e| HubError::Key(format!("{}: {e}", path.display())))
}

/// Keeps a kiosk's saved-declaration key (base64), when it is one.
pub async fn add_kiosk_key(db: &HubDb, kiosk_id: &str, key: &str) -> Result<bool, HubError> {
    let Some(parsed) = checkpoint_domain::fleet::parse_key(key) else {
        return Ok(false);
    };
    let at = timestamp(Utc::now());
    db.fleet_put(&format!("{KIOSK_KEY}{kiosk_id}"), &key_text(&parsed), &at)
        .await?;
    Ok(true)
}

/// Sets a setting the kiosks take (checked as `FleetSettings::set` checks it).
pub async fn set_setting(
    db: &HubDb,
    key: &str,
    value: &str,
) -> Result<Result<(), checkpoint_i18n::Message>, HubError> {
    let mut probe = checkpoint_domain::fleet::FleetSettings::default();
    if let Err(why) = probe.set(key, value) {
        return Ok(Err(why));
    }
    db.fleet_put(
        &format!("{SETTING}{key}"),
        value.trim(),
        &timestamp(Utc::now()),
    )
    .await?;
    Ok(Ok(()))
}

/// Stops setting a setting: kept as an empty value, which the document
/// leaves out, so kiosks fall back to their own at their next sync.
pub async fn unset_setting(
    db: &HubDb,
    key: &str,
) -> Result<Result<(), checkpoint_i18n::Message>, HubError> {
    use checkpoint_domain::fleet::{FleetSetting, FleetSettings};
    if FleetSetting::named(key).is_none() {
        return Ok(Err(FleetSettings::expected_key()));
    }
    db.fleet_put(&format!("{SETTING}{key}"), "", &timestamp(Utc::now()))
        .await?;
    Ok(Ok(()))
}

/// Keeps a DCC trust list file for every kiosk (checked as the kiosks read it).
pub async fn import_trust_list(
    db: &HubDb,
    bytes: &[u8],
    source: &str,
) -> Result<Result<usize, String>, HubError> {
    let list = match checkpoint_domain::payload::dcc::trust::TrustList::from_bytes(bytes) {
        Ok(l) => l,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let value = serde_json::json!({
        "source": source,
        "bytes": base64::engine::general_purpose::STANDARD.encode(bytes),
    });
    db.fleet_put(TRUST_LIST, &value.to_string(), &timestamp(Utc::now()))
        .await?;
    Ok(Ok(list.len()))
}

/// The document as it stands now; `tls_pins`: the certificates kiosks may
/// meet (see `certificate::announced`).
pub async fn document(
    db: &HubDb,
    key: &SigningKey,
    tls_pins: &[String],
    phone_url: Option<&str>,
) -> Result<FleetDocument, HubError> {
    let hub_key = key_text(&key.verifying_key());
    let mut doc = FleetDocument {
        issued_at: Utc::now(),
        hub_key: hub_key.clone(),
        ckd_issuers: vec![FleetIssuer {
            name: "hub".to_owned(),
            public_key: hub_key,
        }],
        tls_pins: tls_pins.to_vec(),
        phone_url: phone_url.map(str::to_owned),
        ..FleetDocument::default()
    };
    // A kiosk whose every token is revoked (stolen, retired) is trusted no
    // more: codes it signed, before or after, stop verifying at the kiosks'
    // next sync.
    let live: std::collections::HashSet<String> = db
        .tokens()
        .await?
        .into_iter()
        .filter(|t| t.revoked_at.is_none())
        .map(|t| t.kiosk_id)
        .collect();
    for (key, value, at) in db.fleet_entries().await? {
        if let Some(kiosk) = key.strip_prefix(KIOSK_KEY) {
            if !live.contains(kiosk) {
                continue;
            }
            doc.ckd_issuers.push(FleetIssuer {
                name: kiosk.to_owned(),
                public_key: value,
            });
        } else if let Some(name) = key.strip_prefix(SETTING) {
            // Checked when set; one a newer hub knows and this one not is left out.
            let _ = doc.settings.set(name, &value);
        } else if key == TRUST_LIST {
            let v: serde_json::Value = serde_json::from_str(&value).unwrap_or_default();
            doc.trust_list = Some(FleetTrustList {
                imported_at: at.parse::<DateTime<Utc>>().unwrap_or_default(),
                source: v["source"].as_str().unwrap_or_default().to_owned(),
                bytes: v["bytes"].as_str().unwrap_or_default().to_owned(),
            });
        }
    }
    Ok(doc)
}
