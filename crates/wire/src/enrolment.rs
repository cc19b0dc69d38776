//! Enrolment: a kiosk joins a hub by reading a code the hub made.
//!
//! The code (a QR code, or typed) is `CKENROL:1:<secret>:<sha256>:<hub url>`:
//! a one-time secret, the SHA-256 of the hub's certificate (the kiosk pins
//! it from the first request on), and the address kiosks reach the hub at,
//! last because it holds colons itself. The kiosk sends the secret to
//! [`ENROL_PATH`] and receives its kiosk id and token.

use serde::{Deserialize, Serialize};

/// The enrolment endpoint: `POST` an [`EnrolRequest`] (JSON), answered by an
/// [`EnrolAnswer`] or an `ErrorBody` whose `error` is one of
/// `enrolment-unknown`, `enrolment-used`, `enrolment-expired`, `enrolment-revoked`.
pub const ENROL_PATH: &str = "/api/v1/enrol";

const PREFIX: &str = "CKENROL:1:";
/// A secret: 32 characters of base32 (160 bits), what the hub makes.
const SECRET_LEN: usize = 32;

/// What an enrolment code carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentCode {
    pub secret: String,
    /// SHA-256 of the hub's certificate, 64 lowercase hex digits.
    pub cert_sha256: String,
    /// `https://host:port`, as kiosks reach the hub.
    pub hub: String,
}

/// Why a text is not an enrolment code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolmentCodeError {
    #[error("not an enrolment code")]
    NotEnrolment,
    #[error("the code's secret is malformed")]
    Secret,
    #[error("the code's certificate fingerprint is malformed")]
    Fingerprint,
    #[error("the code's hub address is not an https:// address")]
    Hub,
}

impl EnrolmentCode {
    /// Whether a scanned text is meant as an enrolment code (so a malformed
    /// one is reported as such, not as an unknown code).
    pub fn looks_like(text: &str) -> bool {
        text.trim_start()
            .get(..PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
    }

    pub fn parse(text: &str) -> Result<Self, EnrolmentCodeError> {
        let text = text.trim();
        if !Self::looks_like(text) {
            return Err(EnrolmentCodeError::NotEnrolment);
        }
        let mut parts = text[PREFIX.len()..].splitn(3, ':');
        let secret = parts.next().unwrap_or_default();
        let sha = parts.next().unwrap_or_default();
        let hub = parts.next().unwrap_or_default();
        if secret.len() != SECRET_LEN || !secret.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(EnrolmentCodeError::Secret);
        }
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(EnrolmentCodeError::Fingerprint);
        }
        let host = hub
            .get(..8)
            .filter(|s| s.eq_ignore_ascii_case("https://"))
            .map(|_| &hub[8..])
            .ok_or(EnrolmentCodeError::Hub)?;
        if host.is_empty()
            || host.len() > 200
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]/".contains(&b))
        {
            return Err(EnrolmentCodeError::Hub);
        }
        Ok(Self {
            secret: secret.to_ascii_uppercase(),
            cert_sha256: sha.to_ascii_lowercase(),
            hub: hub.trim_end_matches('/').to_owned(),
        })
    }

    /// Makes a fresh secret (160 random bits as base32).
    pub fn new_secret(random: [u8; 20]) -> String {
        const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut out = String::with_capacity(SECRET_LEN);
        let mut bits: u32 = 0;
        let mut held = 0;
        for byte in random {
            bits = (bits << 8) | u32::from(byte);
            held += 8;
            while held >= 5 {
                held -= 5;
                out.push(char::from(ALPHABET[((bits >> held) & 31) as usize]));
            }
        }
        out
    }
}

impl std::fmt::Display for EnrolmentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{PREFIX}{}:{}:{}",
            self.secret, self.cert_sha256, self.hub
        )
    }
}

/// The kiosk's request: the code's secret, and what it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub secret: String,
    /// The kiosk's version, for the kiosks page.
    #[serde(default)]
    pub version: String,
    /// The id the kiosk had before (records made before enrolment carry it).
    #[serde(default)]
    pub previous_kiosk_id: String,
    /// The kiosk's Ed25519 public key for saved declarations (base64): the
    /// hub hands it to every kiosk of the fleet.
    #[serde(default)]
    pub ckd_public_key: String,
}

/// The hub's answer: who the kiosk is now, and its token (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolAnswer {
    pub kiosk_id: String,
    pub token: String,
    /// The checkpoint's id and name, for the staff screen.
    pub checkpoint_id: String,
    pub checkpoint_name: String,
    /// The hub's Ed25519 public key (base64): the fleet configuration is
    /// signed with it. Empty from a hub without one.
    #[serde(default)]
    pub hub_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> EnrolmentCode {
        EnrolmentCode {
            secret: EnrolmentCode::new_secret([7; 20]),
            cert_sha256: "ab".repeat(32),
            hub: "https://hub.example.vn:8443".to_owned(),
        }
    }

    #[test]
    fn a_code_reads_back_as_written() {
        let code = sample();
        assert_eq!(code.secret.len(), 32);
        assert_eq!(EnrolmentCode::parse(&code.to_string()), Ok(code.clone()));
        let lower = code.to_string().to_ascii_lowercase();
        assert_eq!(
            EnrolmentCode::parse(&lower).map(|c| c.secret),
            Ok(code.secret)
        );
    }

    #[test]
    fn malformed_codes_say_what_is_wrong() {
        let good = sample().to_string();
        assert_eq!(
            EnrolmentCode::parse("HC1:xyz"),
            Err(EnrolmentCodeError::NotEnrolment)
        );
        assert_eq!(
            EnrolmentCode::parse(&good.replacen(":1:", ":1:X", 1)),
            Err(EnrolmentCodeError::Secret)
        );
        assert_eq!(
            EnrolmentCode::parse(&good.replace(&"ab".repeat(32), "zz")),
            Err(EnrolmentCodeError::Fingerprint)
        );
        assert_eq!(
            EnrolmentCode::parse(&good.replace("https://", "http://")),
            Err(EnrolmentCodeError::Hub)
        );
        assert_eq!(
            EnrolmentCode::parse(&good.replace("hub.example", "hub example")),
            Err(EnrolmentCodeError::Hub)
        );
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,300}") {
            let _ = EnrolmentCode::parse(&text);
            let _ = EnrolmentCode::parse(&format!("CKENROL:1:{text}"));
        }

        #[test]
        fn secrets_are_32_base32_characters(random in any::<[u8; 20]>()) {
            let s = EnrolmentCode::new_secret(random);
            prop_assert_eq!(s.len(), 32);
            prop_assert!(s.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        }
    }
}
