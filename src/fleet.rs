//! The fleet's configuration at the kiosk: fetched from the hub on every
//! sync, taken only when the hub's signature checks (against the key the
//! kiosk learned at enrolment, `[sync] hub_key`), kept as received in the
//! data folder (`fleet.json`) and checked again each time it is read. What
//! it sets wins over the kiosk's own configuration; its keys and trust list
//! join the kiosk's (a trust list imported at the kiosk stays in use until
//! the hub's is newer). With the hub away, the last good one stays in use.

use std::path::{Path, PathBuf};

use checkpoint_domain::fleet::{FleetDocument, FleetError, SignatureForm, verify};
use checkpoint_domain::payload::dcc::trust::{CkdIssuer, TrustList};
use checkpoint_i18n::{Lang, Message, fl};
use checkpoint_wire::SignedFleet;
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::paths::DataDir;

/// Where the last good configuration is kept.
pub fn file(data: &DataDir) -> PathBuf {
    data.root().join("fleet.json")
}

/// The configuration in use: verified again from the file.
#[derive(Debug, Clone)]
pub struct InUse {
    pub document: FleetDocument,
}

/// Reads the kept configuration; `Ok(None)` when there is none (or no hub key).
pub fn load(path: &Path, hub_key: Option<&str>) -> Result<Option<InUse>, FleetError> {
    let Some(key) = hub_key.filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) => return Ok(None),
    };
    let signed: SignedFleet =
        serde_json::from_str(&text).map_err(|e| FleetError::Malformed(e.to_string()))?;
    let document = checked(&signed, key)?;
    Ok(Some(InUse { document }))
}

/// The document, when its signature checks: the one in the signing context
/// where the hub gave it (every hub of this release does, and then the other
/// is not looked at), else the one over the text alone (a hub of the
/// previous release; the next release stops taking it).
fn checked(signed: &SignedFleet, hub_key: &str) -> Result<FleetDocument, FleetError> {
    match &signed.signature_in_context {
        Some(signature) => verify(
            &signed.document,
            signature,
            hub_key,
            SignatureForm::InContext,
        ),
        None => verify(
            &signed.document,
            &signed.signature,
            hub_key,
            SignatureForm::Legacy,
        ),
    }
}

/// Takes a configuration the hub sent: refused unless its signature checks;
/// kept (atomically) when newer than the one in use. Returns whether it was.
pub fn accept(path: &Path, signed: &SignedFleet, hub_key: &str) -> Result<bool, FleetError> {
    let document = checked(signed, hub_key)?;
    if let Ok(Some(current)) = load(path, Some(hub_key))
        && current.document.issued_at >= document.issued_at
    {
        return Ok(false);
    }
    let text = serde_json::to_string(signed).map_err(|e| FleetError::Malformed(e.to_string()))?;
    let partial = path.with_extension("json.new");
    let written = std::fs::write(&partial, text).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|e| FleetError::Malformed(format!("{}: {e}", path.display())))?;
    Ok(true)
}

/// The hub's settings over the kiosk's own.
pub fn overlay(config: &mut Config, document: &FleetDocument) {
    let s = &document.settings;
    if let Some(days) = s.retention_days {
        config.store.retention_days = days;
    }
    if let Some(secs) = s.idle_timeout_secs {
        config.kiosk.idle_timeout_secs = secs;
    }
    match s.lang.as_deref() {
        Some("vi") => config.kiosk.lang = Lang::Vi,
        Some("en") => config.kiosk.lang = Lang::En,
        _ => {}
    }
    if let Some(on) = s.sounds {
        config.kiosk.sounds = on;
    }
    if let Some(on) = s.travel_flags {
        config.triage.travel_flags = on;
    }
    config.sync.fleet_pins.clone_from(&document.tls_pins);
}

/// The kept configuration for `own`'s hub (`Ok(None)`: none). One that no
/// longer checks is said, not used.
pub fn in_use(data: &DataDir, own: &Config) -> Result<Option<FleetDocument>, Message> {
    load(&file(data), own.sync.hub_key.as_deref())
        .map(|kept| kept.map(|k| k.document))
        .map_err(|e| refused(&e))
}

/// The configuration in force: the kiosk's own with the hub's settings over
/// it. Made again from `own` each time, so a setting the hub stops sending
/// falls back to the kiosk's own.
pub fn effective(own: &Config, document: Option<&FleetDocument>) -> Config {
    let mut config = own.clone();
    if let Some(d) = document {
        overlay(&mut config, d);
    }
    config
}

/// The settings staff cannot change at the kiosk because the hub sets them,
/// by their names in the configuration file.
pub fn hub_set(document: Option<&FleetDocument>) -> Vec<&'static str> {
    document.map(|d| d.settings.keys_set()).unwrap_or_default()
}

/// What staff read when the hub's configuration was refused.
pub fn refused(e: &FleetError) -> Message {
    Message::new(fl!("fleet-refused")).arg("reason", e.to_string())
}

/// The fleet's signers of saved declarations joined to `list`'s, and the
/// hub's trust list in place of `list` when it is newer than `since`.
pub fn merge_trust(
    list: &mut TrustList,
    since: &mut Option<DateTime<Utc>>,
    origin: &mut String,
    document: &FleetDocument,
) {
    if let Some(hub_list) = &document.trust_list
        && since.is_none_or(|s| s < hub_list.imported_at)
        && let Some(parsed) = hub_list
            .bytes()
            .and_then(|b| TrustList::from_bytes(&b).ok())
    {
        let own = std::mem::take(&mut list.ckd_issuers);
        *list = parsed;
        list.ckd_issuers.extend(own);
        *since = Some(hub_list.imported_at);
        *origin = format!("hub: {}", hub_list.source);
    }
    for issuer in &document.ckd_issuers {
        if let Some(key) = checkpoint_domain::fleet::parse_key(&issuer.public_key) {
            list.ckd_issuers.push(CkdIssuer {
                name: issuer.name.clone(),
                public_key: key.to_bytes(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_domain::fleet::{FleetSettings, key_text, sign, sign_text};
    use ed25519_dalek::SigningKey;

    /// As a hub of this release signs it: both forms.
    fn signed(key: &SigningKey, idle: &str, at: DateTime<Utc>) -> SignedFleet {
        let mut settings = FleetSettings::default();
        settings.set("idle_timeout_secs", idle).unwrap();
        let doc = FleetDocument {
            issued_at: at,
            hub_key: key_text(&key.verifying_key()),
            settings,
            ..FleetDocument::default()
        };
        let (document, in_context) = sign(&doc, key, SignatureForm::InContext);
        SignedFleet {
            signature: sign_text(&document, key, SignatureForm::Legacy),
            document,
            signature_in_context: Some(in_context),
        }
    }

    /// A hub of the previous release signs the text alone: taken, for this
    /// release. A signature in context that does not check is not made up
    /// for by one over the text alone (no falling back to the weaker form).
    #[test]
    fn a_previous_hubs_form_is_taken_but_never_instead_of_a_bad_one_in_context() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.json");
        let hub = SigningKey::from_bytes(&[5; 32]);
        let hub_key = key_text(&hub.verifying_key());
        let now = Utc::now();
        let mut old_hub = signed(&hub, "90", now);
        old_hub.signature_in_context = None;
        assert!(accept(&path, &old_hub, &hub_key).unwrap());
        assert!(load(&path, Some(&hub_key)).unwrap().is_some());

        let mut downgraded = signed(&hub, "15", now + chrono::Duration::minutes(1));
        downgraded.signature_in_context = Some(downgraded.signature.clone());
        assert_eq!(
            accept(&path, &downgraded, &hub_key),
            Err(FleetError::BadSignature)
        );
    }

    #[test]
    fn a_bad_signature_is_refused_and_the_last_good_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.json");
        let hub = SigningKey::from_bytes(&[5; 32]);
        let hub_key = key_text(&hub.verifying_key());
        let now = Utc::now();
        assert!(accept(&path, &signed(&hub, "90", now), &hub_key).unwrap());

        // A newer one signed by someone else, and one altered on the way.
        let forged = signed(
            &SigningKey::from_bytes(&[6; 32]),
            "15",
            now + chrono::Duration::hours(1),
        );
        assert_eq!(
            accept(&path, &forged, &hub_key),
            Err(FleetError::BadSignature)
        );
        let mut altered = signed(&hub, "120", now + chrono::Duration::hours(1));
        altered.document = altered.document.replace("120", "3600");
        assert_eq!(
            accept(&path, &altered, &hub_key),
            Err(FleetError::BadSignature)
        );

        let kept = load(&path, Some(&hub_key)).unwrap().unwrap();
        assert_eq!(kept.document.settings.idle_timeout_secs, Some(90));
        let mut config = Config::default();
        overlay(&mut config, &kept.document);
        assert_eq!(config.kiosk.idle_timeout_secs, 90, "the hub's setting wins");

        // An older one never replaces a newer one.
        let older = signed(&hub, "60", now - chrono::Duration::hours(1));
        assert!(!accept(&path, &older, &hub_key).unwrap());
        // The file altered at rest no longer loads.
        let text = std::fs::read_to_string(&path).unwrap().replace("90", "99");
        std::fs::write(&path, text).unwrap();
        assert!(load(&path, Some(&hub_key)).is_err());
    }
}
