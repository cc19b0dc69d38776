//! The fleet's configuration: what a hub tells every kiosk of its fleet,
//! signed with the hub's Ed25519 key. The kiosk takes it only when the
//! signature checks against the hub key it learned at enrolment; what it
//! says wins over what staff set locally.

use base64::Engine as _;
use checkpoint_i18n::{Message, fl};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};

const B64: base64::engine::general_purpose::GeneralPurpose =
    base64::engine::general_purpose::STANDARD;

/// The document the hub signs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FleetDocument {
    /// When the hub made it: a kiosk keeps the newest it has verified.
    pub issued_at: DateTime<Utc>,
    /// The hub's own key (base64), also a signer of saved declarations.
    pub hub_key: String,
    /// Every kiosk's saved-declaration key: a code signed by any verifies at all.
    #[serde(default)]
    pub ckd_issuers: Vec<FleetIssuer>,
    #[serde(default)]
    pub settings: FleetSettings,
    /// The DCC trust list imported on the hub, when there is one.
    #[serde(default)]
    pub trust_list: Option<FleetTrustList>,
    /// SHA-256s (hex) of the certificates the hub answers with now or soon:
    /// a kiosk accepts them besides the one it pinned at enrolment, so the
    /// hub's certificate is renewed without enrolling the kiosks again.
    #[serde(default)]
    pub tls_pins: Vec<String>,
    /// Where phones reach the hub's phone page (docs/phone.md), when the
    /// admin said; kiosks show it for their checkpoint.
    #[serde(default)]
    pub phone_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetIssuer {
    /// The kiosk's id (or "hub").
    pub name: String,
    /// Ed25519 public key, base64.
    pub public_key: String,
}

/// Settings the admin chose for every kiosk; `None`: the kiosk's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetSettings {
    pub retention_days: Option<u32>,
    pub idle_timeout_secs: Option<u64>,
    /// "vi" or "en".
    pub lang: Option<String>,
    pub sounds: Option<bool>,
    /// Triage: a yes to the travel question flags the visitor.
    pub travel_flags: Option<bool>,
}

/// What values a fleet setting takes, and how they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// A whole number in this range.
    Number { min: u64, max: u64 },
    /// `vi` or `en`.
    Lang,
    /// `on`/`off` (also `true`/`false`, `yes`/`no`).
    OnOff,
}

/// A value read as its setting's [`Values`] say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Number(u64),
    Lang(String),
    OnOff(bool),
}

impl Values {
    /// Reads `text`; `Err` says what was expected, in words.
    pub fn parse(self, text: &str) -> Result<Value, Message> {
        let text = text.trim();
        match self {
            Values::Number { min, max } => number(text, min, max).map(Value::Number),
            Values::Lang => match text {
                "vi" | "en" => Ok(Value::Lang(text.to_owned())),
                _ => Err(Message::new(fl!("fleet-expected-lang"))),
            },
            Values::OnOff => on_off(text).map(Value::OnOff),
        }
    }
}

/// One setting the hub may set for every kiosk. [`SETTINGS`] is the one
/// list: the hub's command line and its checks, the kiosk's list of what
/// staff cannot change, and a console page read it. The kiosk's overlay
/// (`src/fleet.rs`) says which part of its configuration each one sets.
#[derive(Debug, Clone, Copy)]
pub struct FleetSetting {
    /// Its name, as `checkpoint-hub fleet set` takes it and the document holds it.
    pub key: &'static str,
    /// The Fluent id of what it means, in both languages.
    pub label: &'static str,
    pub values: Values,
    /// Whether a document sets it.
    pub is_set: fn(&FleetSettings) -> bool,
    /// Sets it in a document (the value parsed by `values`).
    put: fn(&mut FleetSettings, Value),
}

/// Every fleet setting.
pub const SETTINGS: [FleetSetting; 5] = [
    FleetSetting {
        key: "retention_days",
        label: "fleet-setting-retention-days",
        values: Values::Number { min: 1, max: 3650 },
        is_set: |s| s.retention_days.is_some(),
        put: |s, v| s.retention_days = v.number().map(|n| n as u32),
    },
    FleetSetting {
        key: "idle_timeout_secs",
        label: "fleet-setting-idle-timeout-secs",
        values: Values::Number { min: 15, max: 3600 },
        is_set: |s| s.idle_timeout_secs.is_some(),
        put: |s, v| s.idle_timeout_secs = v.number(),
    },
    FleetSetting {
        key: "lang",
        label: "fleet-setting-lang",
        values: Values::Lang,
        is_set: |s| s.lang.is_some(),
        put: |s, v| s.lang = v.lang(),
    },
    FleetSetting {
        key: "sounds",
        label: "fleet-setting-sounds",
        values: Values::OnOff,
        is_set: |s| s.sounds.is_some(),
        put: |s, v| s.sounds = v.on_off(),
    },
    FleetSetting {
        key: "travel_flags",
        label: "fleet-setting-travel-flags",
        values: Values::OnOff,
        is_set: |s| s.travel_flags.is_some(),
        put: |s, v| s.travel_flags = v.on_off(),
    },
];

impl Value {
    fn number(self) -> Option<u64> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    fn lang(self) -> Option<String> {
        match self {
            Value::Lang(l) => Some(l),
            _ => None,
        }
    }

    fn on_off(self) -> Option<bool> {
        match self {
            Value::OnOff(b) => Some(b),
            _ => None,
        }
    }
}

impl FleetSetting {
    /// The setting named `key`.
    pub fn named(key: &str) -> Option<&'static FleetSetting> {
        SETTINGS.iter().find(|s| s.key == key)
    }
}

impl FleetSettings {
    /// Sets one from its text; `Err` says what was expected, in words.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Message> {
        let setting = FleetSetting::named(key).ok_or_else(Self::expected_key)?;
        let value = setting.values.parse(value)?;
        (setting.put)(self, value);
        Ok(())
    }

    /// The names of the settings this document sets.
    pub fn keys_set(&self) -> Vec<&'static str> {
        SETTINGS
            .iter()
            .filter(|s| (s.is_set)(self))
            .map(|s| s.key)
            .collect()
    }

    /// What a setting's name must be.
    pub fn expected_key() -> Message {
        let keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        Message::new(fl!("fleet-expected-key")).arg("keys", keys.join(", "))
    }
}

fn on_off(value: &str) -> Result<bool, Message> {
    match value {
        "true" | "on" | "yes" => Ok(true),
        "false" | "off" | "no" => Ok(false),
        _ => Err(Message::new(fl!("fleet-expected-on-off"))),
    }
}

fn number(value: &str, min: u64, max: u64) -> Result<u64, Message> {
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            Message::new(fl!("fleet-expected-number"))
                .arg("min", min)
                .arg("max", max)
        })
}

/// The trust list file as it was imported on the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetTrustList {
    pub imported_at: DateTime<Utc>,
    pub source: String,
    /// The file's bytes, base64.
    pub bytes: String,
}

impl FleetTrustList {
    pub fn bytes(&self) -> Option<Vec<u8>> {
        B64.decode(&self.bytes).ok()
    }
}

/// Why a fleet configuration was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetError {
    #[error("the hub key is not a base64 Ed25519 public key")]
    BadKey,
    #[error("the signature does not check")]
    BadSignature,
    #[error("the document is not a fleet configuration: {0}")]
    Malformed(String),
}

/// A public key as the fleet writes it.
pub fn key_text(key: &VerifyingKey) -> String {
    B64.encode(key.to_bytes())
}

pub fn parse_key(text: &str) -> Option<VerifyingKey> {
    let bytes = B64.decode(text.trim()).ok()?;
    VerifyingKey::from_bytes(&<[u8; 32]>::try_from(bytes).ok()?).ok()
}

/// What a fleet document's signature covers before its text: the hub's key
/// also signs visitors' codes (see `payload::ckd::SIGNING_CONTEXT`), and
/// neither may ever be taken for the other.
pub const SIGNING_CONTEXT: &[u8] = b"checkpoint-kiosk fleet document v1\0";

/// Whether a signature covers the signing context and the text, or (the form
/// kiosks of the previous release check, for one release) the text alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureForm {
    InContext,
    Legacy,
}

fn message(form: SignatureForm, text: &str) -> Vec<u8> {
    match form {
        SignatureForm::InContext => [SIGNING_CONTEXT, text.as_bytes()].concat(),
        SignatureForm::Legacy => text.as_bytes().to_vec(),
    }
}

/// The document as JSON text and its signature (base64) in `form`.
pub fn sign(document: &FleetDocument, key: &SigningKey, form: SignatureForm) -> (String, String) {
    let text = serde_json::to_string(document).unwrap_or_default();
    let signature = sign_text(&text, key, form);
    (text, signature)
}

/// A signature (base64) of a document's text in `form`.
pub fn sign_text(text: &str, key: &SigningKey, form: SignatureForm) -> String {
    B64.encode(key.sign(&message(form, text)).to_bytes())
}

/// Checks `signature` (in `form`) over `text` with the hub's key, then reads it.
pub fn verify(
    text: &str,
    signature: &str,
    hub_key: &str,
    form: SignatureForm,
) -> Result<FleetDocument, FleetError> {
    let key = parse_key(hub_key).ok_or(FleetError::BadKey)?;
    let signature = B64
        .decode(signature.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
        .ok_or(FleetError::BadSignature)?;
    key.verify(&message(form, text), &signature)
        .map_err(|_| FleetError::BadSignature)?;
    serde_json::from_str(text).map_err(|e| FleetError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_named_once_labelled_in_both_languages_and_settable() {
        use checkpoint_i18n::{Lang, Localizer};
        let mut keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SETTINGS.len(), "a name used twice");
        for setting in SETTINGS {
            for lang in [Lang::Vi, Lang::En] {
                assert!(
                    Localizer::global().has(lang, setting.label),
                    "{} {lang:?}",
                    setting.label
                );
            }
            let good = match setting.values {
                Values::Number { min, .. } => min.to_string(),
                Values::Lang => "en".to_owned(),
                Values::OnOff => "off".to_owned(),
            };
            let mut s = FleetSettings::default();
            assert!(!(setting.is_set)(&s));
            s.set(setting.key, &good).unwrap();
            assert_eq!(s.keys_set(), vec![setting.key], "{}", setting.key);
            assert!(s.set(setting.key, "999999999").is_err(), "{}", setting.key);
        }
        assert!(FleetSettings::default().set("colour", "red").is_err());
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[9; 32])
    }

    fn document() -> FleetDocument {
        let mut settings = FleetSettings::default();
        settings.set("idle_timeout_secs", "90").unwrap();
        FleetDocument {
            issued_at: Utc::now(),
            hub_key: key_text(&key().verifying_key()),
            ckd_issuers: vec![FleetIssuer {
                name: "K1".into(),
                public_key: key_text(&SigningKey::from_bytes(&[1; 32]).verifying_key()),
            }],
            settings,
            trust_list: None,
            tls_pins: vec!["ab".repeat(32)],
            phone_url: Some("https://khaibao.example.vn".into()),
        }
    }

    use SignatureForm::{InContext, Legacy};

    #[test]
    fn a_signed_document_verifies_and_reads_back() {
        let (text, sig) = sign(&document(), &key(), InContext);
        let hub = key_text(&key().verifying_key());
        assert_eq!(
            verify(&text, &sig, &hub, InContext).unwrap(),
            document_at(&text)
        );
    }

    /// A signature in one form never passes for the other: the text alone
    /// signed (as the same key signs bytes of other kinds) is no signature
    /// in context, and the reverse.
    #[test]
    fn the_two_forms_do_not_stand_for_each_other() {
        let hub = key_text(&key().verifying_key());
        let (text, in_context) = sign(&document(), &key(), InContext);
        let legacy = sign_text(&text, &key(), Legacy);
        assert!(verify(&text, &legacy, &hub, Legacy).is_ok());
        assert_eq!(
            verify(&text, &legacy, &hub, InContext),
            Err(FleetError::BadSignature)
        );
        assert_eq!(
            verify(&text, &in_context, &hub, Legacy),
            Err(FleetError::BadSignature)
        );
    }

    fn document_at(text: &str) -> FleetDocument {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn an_altered_document_or_another_key_is_refused() {
        let (text, sig) = sign(&document(), &key(), InContext);
        let hub = key_text(&key().verifying_key());
        let altered = text.replace("\"idle_timeout_secs\":90", "\"idle_timeout_secs\":9000");
        assert_ne!(altered, text);
        assert_eq!(
            verify(&altered, &sig, &hub, InContext),
            Err(FleetError::BadSignature)
        );
        let other = key_text(&SigningKey::from_bytes(&[2; 32]).verifying_key());
        assert_eq!(
            verify(&text, &sig, &other, InContext),
            Err(FleetError::BadSignature)
        );
        assert_eq!(
            verify(&text, "not base64!", &hub, InContext),
            Err(FleetError::BadSignature)
        );
        assert_eq!(
            verify(&text, &sig, "short", InContext),
            Err(FleetError::BadKey)
        );
    }

    #[test]
    fn settings_are_checked_as_they_are_set() {
        let mut s = FleetSettings::default();
        assert!(s.set("retention_days", "0").is_err());
        assert!(s.set("lang", "fr").is_err());
        assert!(s.set("colour", "red").is_err());
        s.set("sounds", "off").unwrap();
        assert_eq!(s.sounds, Some(false));
    }
}
