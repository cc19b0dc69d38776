//! Our own saved-declaration QR code ("CKD"): compact, versioned, Ed25519-signed
//! by the kiosk or hub that issued it. Format: docs/ckd.md.

pub mod charset;
pub mod codec;
pub mod declaration;
pub mod questions;
pub mod record;
pub mod render;

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use self::record::{CkdRecord, Field};
use super::base45;
use super::dcc::trust::TrustList;
use super::error::PayloadError;

/// The text prefix; QR alphanumeric mode carries it and the Base45 body compactly.
pub const PREFIX: &str = "CKD:";
/// Bodies longer than this are not ours (a version 40 QR holds less).
pub const MAX_BODY: usize = 3000;
/// Answers about the last 14 days are only reused within this many hours.
pub const FRESH_HOURS: i64 = 24;
/// A visitor's own code fills the identity for this many days.
pub const IDENTITY_DAYS: i64 = 30;
const CLOCK_SKEW_MINUTES: i64 = 10;
/// What a code's signature covers before its bytes: a key that signs codes
/// and other documents (the hub's signs the fleet's configuration too) can
/// never have one taken for the other. Codes of the legacy version were
/// signed without it.
pub const SIGNING_CONTEXT: &[u8] = b"checkpoint-kiosk CKD code v2\0";

/// The message a code's signature covers.
fn signed_message(version: u8, bytes: &[u8]) -> Vec<u8> {
    if version == codec::LEGACY_VERSION {
        return bytes.to_vec();
    }
    let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + bytes.len());
    message.extend_from_slice(SIGNING_CONTEXT);
    message.extend_from_slice(bytes);
    message
}

/// Whether the text is a saved declaration.
pub fn looks_like_ckd(text: &str) -> bool {
    text.starts_with(PREFIX)
}

/// The 4-byte key id of a public key: the first bytes of its SHA-256.
pub fn key_id(key: &VerifyingKey) -> [u8; codec::KEY_ID_LEN] {
    let digest = Sha256::digest(key.as_bytes());
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Encodes an unsigned code (for tests and for kiosks without a key).
pub fn encode_unsigned(record: &CkdRecord) -> String {
    format!(
        "{PREFIX}{}",
        base45::encode(&codec::encode_unsigned(record, None))
    )
}

/// Encodes and signs.
pub fn encode_signed(record: &CkdRecord, key: &SigningKey) -> String {
    let mut bytes = codec::encode_unsigned(record, Some(key_id(&key.verifying_key())));
    let signature = key.sign(&signed_message(codec::VERSION, &bytes));
    bytes.extend(signature.to_bytes());
    format!("{PREFIX}{}", base45::encode(&bytes))
}

/// Who vouches for the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CkdSignature {
    /// Signed by this kiosk or a trusted kiosk/hub.
    Valid {
        issuer: String,
    },
    Unsigned,
    /// Signed by a key this kiosk does not trust.
    UnknownIssuer {
        key_id: String,
    },
    /// A trusted key id but a wrong signature: the code was edited.
    Invalid,
}

/// A scanned saved declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CkdScan {
    pub record: CkdRecord,
    pub signature: CkdSignature,
    /// Minutes between the declaration and the scan (negative: dated in the future).
    pub age_minutes: i64,
}

impl CkdScan {
    pub fn is_verified(&self) -> bool {
        matches!(self.signature, CkdSignature::Valid { .. })
    }

    /// Whether its identity may still be filled from it (a visitor's code).
    pub fn identity_is_fresh(&self) -> bool {
        (-CLOCK_SKEW_MINUTES..=IDENTITY_DAYS * 24 * 60).contains(&self.age_minutes)
    }

    /// Whether its 14-day answers may be reused.
    pub fn is_fresh(&self) -> bool {
        // A few minutes of clock difference between kiosks is normal.
        (-CLOCK_SKEW_MINUTES..=FRESH_HOURS * 60).contains(&self.age_minutes)
    }
}

/// Keys whose codes are genuine: this kiosk's own and the trust list's.
#[derive(Debug, Clone, Default)]
pub struct CkdKeys {
    keys: Vec<(String, VerifyingKey)>,
}

impl CkdKeys {
    pub fn new(own: Option<VerifyingKey>, trust: &TrustList) -> Self {
        let mut keys: Vec<(String, VerifyingKey)> = own
            .into_iter()
            .map(|k| ("this kiosk".to_owned(), k))
            .collect();
        for issuer in &trust.ckd_issuers {
            if let Ok(key) = VerifyingKey::from_bytes(&issuer.public_key) {
                keys.push((issuer.name.clone(), key));
            }
        }
        Self { keys }
    }
}

/// Decodes and checks a scanned code at `now`.
pub fn parse(text: &str, keys: &CkdKeys, now: DateTime<Utc>) -> Result<CkdScan, PayloadError> {
    let body = text.trim_end_matches(['\r', '\n']);
    let body = body
        .strip_prefix(PREFIX)
        .ok_or(PayloadError::CkdMalformed)?;
    if body.len() > MAX_BODY {
        return Err(PayloadError::CkdMalformed);
    }
    let bytes = base45::decode(body).ok_or(PayloadError::CkdBase45)?;
    let frame = codec::decode(&bytes)?;
    let signature = match frame.signature {
        None => CkdSignature::Unsigned,
        Some((id, sig)) => {
            let signature = ed25519_dalek::Signature::from_bytes(&sig);
            let candidates: Vec<&(String, VerifyingKey)> =
                keys.keys.iter().filter(|(_, k)| key_id(k) == id).collect();
            if candidates.is_empty() {
                CkdSignature::UnknownIssuer {
                    key_id: id.iter().map(|b| format!("{b:02x}")).collect(),
                }
            } else {
                let signed = signed_message(frame.version, &bytes[..frame.signed_len]);
                candidates
                    .iter()
                    .find(|(_, k)| k.verify(&signed, &signature).is_ok())
                    .map_or(CkdSignature::Invalid, |(name, _)| CkdSignature::Valid {
                        issuer: name.clone(),
                    })
            }
        }
    };
    let age_minutes = (now - frame.record.issued_at).num_minutes();
    Ok(CkdScan {
        record: frame.record,
        signature,
        age_minutes,
    })
}
