//! What scanned bytes mean: ID cards, vaccination certificates, saved
//! declarations, contacts, links and text.
//!
//! [`parse`] never panics: whatever the bytes, it returns a [`Parsed`] payload
//! or a [`Refusal`] whose reason has a Fluent message id.

pub mod address_map;
pub mod base45;
pub mod cccd;
pub mod cccd_number;
pub mod ckd;
pub mod contact;
pub mod dcc;
pub mod describe;
pub mod error;
pub mod keys;
pub mod prefill;
pub mod text;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use self::address_map::AddressResolver;
use self::ckd::{CkdKeys, CkdScan};
use self::contact::Contact;
use self::dcc::Dcc;
use self::dcc::trust::TrustList;
pub use self::error::{PayloadError, Warning};

/// Payload settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayloadConfig {
    /// The trust list of vaccination-certificate signers and saved-declaration
    /// issuers; empty: the list staff imported, else `trust-list.json` in
    /// the data folder.
    pub trust_list: Option<PathBuf>,
    /// A trust list older than this many days is reported as out of date.
    pub trust_list_max_age_days: u32,
}

impl Default for PayloadConfig {
    fn default() -> Self {
        Self {
            trust_list: None,
            trust_list_max_age_days: 30,
        }
    }
}

/// The longest code accepted: a version 40 QR holds at most 7,089 digits.
pub const MAX_PAYLOAD_BYTES: usize = 7_089;

/// Gender as the sources give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

/// What a scan means.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Payload {
    /// Chip ID card (CCCD / Căn cước).
    IdCard(cccd::IdCard),
    /// EU DCC vaccination/test/recovery certificate, with its checks.
    Dcc(Box<Dcc>),
    /// Our own saved declaration.
    Ckd(Box<CkdScan>),
    Contact(Contact),
    /// A link: shown, never opened.
    Url(String),
    Text(String),
    /// Bytes that are not text.
    Unknown(Vec<u8>),
}

impl Payload {
    pub fn kind(&self) -> PayloadKind {
        match self {
            Self::IdCard(_) => PayloadKind::IdCard,
            Self::Dcc(_) => PayloadKind::Dcc,
            Self::Ckd(_) => PayloadKind::Ckd,
            Self::Contact(_) => PayloadKind::Contact,
            Self::Url(_) => PayloadKind::Url,
            Self::Text(_) => PayloadKind::Text,
            Self::Unknown(_) => PayloadKind::Unknown,
        }
    }
}

/// The kinds, for refusals (what the bytes looked like) and display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    IdCard,
    Dcc,
    Ckd,
    Contact,
    Url,
    Text,
    Unknown,
}

impl PayloadKind {
    /// The Fluent id of the kind's name.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::IdCard => checkpoint_i18n::fl!("payload-kind-id-card"),
            Self::Dcc => checkpoint_i18n::fl!("payload-kind-dcc"),
            Self::Ckd => checkpoint_i18n::fl!("payload-kind-ckd"),
            Self::Contact => checkpoint_i18n::fl!("payload-kind-contact"),
            Self::Url => checkpoint_i18n::fl!("payload-kind-url"),
            Self::Text => checkpoint_i18n::fl!("payload-kind-text"),
            Self::Unknown => checkpoint_i18n::fl!("payload-kind-unknown"),
        }
    }
}

/// A scan understood, with what staff should know about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    pub payload: Payload,
    pub warnings: Vec<Warning>,
}

/// A scan refused: what it looked like and why it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{kind:?}: {error}")]
pub struct Refusal {
    pub kind: PayloadKind,
    pub error: PayloadError,
}

/// Everything parsing needs from outside: trust, keys, the clock, address data.
pub struct ParseContext<'a> {
    pub trust: &'a TrustList,
    pub ckd_keys: &'a CkdKeys,
    /// The clock for expiry and freshness checks (injected: tests and replays).
    pub now: DateTime<Utc>,
    pub addresses: &'a dyn AddressResolver,
}

impl std::fmt::Debug for ParseContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseContext")
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl<'a> ParseContext<'a> {
    /// A context with the given trust and keys, and the kiosk's address data.
    pub fn new(trust: &'a TrustList, ckd_keys: &'a CkdKeys, now: DateTime<Utc>) -> Self {
        Self {
            trust,
            ckd_keys,
            now,
            addresses: &address_map::AddressData,
        }
    }
}

/// Understands the bytes a scanner produced (raw bytes: decoded strictly as UTF-8).
pub fn parse(bytes: &[u8], ctx: &ParseContext<'_>) -> Result<Parsed, Refusal> {
    let refuse = |kind, error| Refusal { kind, error };
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(refuse(
            PayloadKind::Unknown,
            PayloadError::TooLarge {
                len: bytes.len(),
                max: MAX_PAYLOAD_BYTES,
            },
        ));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        // A card's bytes that are not UTF-8 are refused, not shown as garbage.
        if bytes.iter().filter(|b| **b == b'|').count() >= 4 {
            return Err(refuse(PayloadKind::IdCard, PayloadError::CardNotUtf8));
        }
        return Ok(Parsed {
            payload: Payload::Unknown(bytes.to_vec()),
            warnings: Vec::new(),
        });
    };
    parse_text(text, ctx)
}

/// Understands text (from a keyboard-wedge scanner, or already decoded).
pub fn parse_text(text: &str, ctx: &ParseContext<'_>) -> Result<Parsed, Refusal> {
    let mut warnings = Vec::new();
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if trimmed.is_empty() {
        return Err(Refusal {
            kind: PayloadKind::Unknown,
            error: PayloadError::Empty,
        });
    }
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(Refusal {
            kind: PayloadKind::Unknown,
            error: PayloadError::TooLarge {
                len: text.len(),
                max: MAX_PAYLOAD_BYTES,
            },
        });
    }
    let refusal = |kind| move |error| Refusal { kind, error };
    let payload = if dcc::chain::looks_like_dcc(trimmed) {
        let decoded = dcc::decode(trimmed).map_err(refusal(PayloadKind::Dcc))?;
        Payload::Dcc(Box::new(dcc::check(
            decoded,
            ctx.trust,
            ctx.now.timestamp(),
        )))
    } else if ckd::looks_like_ckd(trimmed) {
        let scan = ckd::parse(trimmed, ctx.ckd_keys, ctx.now).map_err(refusal(PayloadKind::Ckd))?;
        warnings.extend(ckd_warnings(&scan));
        Payload::Ckd(Box::new(scan))
    } else if cccd::looks_like_card(trimmed) {
        let card = cccd::parse(trimmed, ctx.addresses, &mut warnings)
            .map_err(refusal(PayloadKind::IdCard))?;
        Payload::IdCard(card)
    } else if contact::looks_like_contact(trimmed) {
        match contact::parse(trimmed) {
            Some(c) => Payload::Contact(c),
            None => Payload::Text(text::nfc(trimmed)),
        }
    } else if is_url(trimmed) {
        Payload::Url(trimmed.to_owned())
    } else if looks_like_bare_dcc(trimmed) {
        return Err(Refusal {
            kind: PayloadKind::Dcc,
            error: PayloadError::DccPrefixMissing,
        });
    } else {
        Payload::Text(text::nfc(trimmed))
    };
    Ok(Parsed { payload, warnings })
}

fn ckd_warnings(scan: &CkdScan) -> Vec<Warning> {
    let mut warnings = Vec::new();
    match &scan.signature {
        ckd::CkdSignature::Valid { .. } => {}
        ckd::CkdSignature::Unsigned => warnings.push(Warning::CkdUnsigned),
        ckd::CkdSignature::UnknownIssuer { .. } => warnings.push(Warning::CkdUnknownIssuer),
        ckd::CkdSignature::Invalid => warnings.push(Warning::CkdSignatureInvalid),
    }
    if !scan.is_fresh() && scan.record.has_answers() {
        warnings.push(Warning::CkdStale {
            hours: scan.age_minutes / 60,
        });
    }
    warnings
}

/// `http://` or `https://` (any case), or a bare `www.` address.
fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www."))
        && !text.chars().any(char::is_whitespace)
}

/// A DCC body without its prefix: Base45 text starting like a zlib stream ("NCF").
fn looks_like_bare_dcc(text: &str) -> bool {
    text.len() > 40 && text.starts_with("NCF") && base45::decode(text).is_some()
}
