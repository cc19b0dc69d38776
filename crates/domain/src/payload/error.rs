//! Why a scan was refused, and what deserves a warning: each with a Fluent id
//! so the visitor reads it in their language.

use serde::Serialize;

use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// A refusal: the bytes cannot be used as what they claim to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum PayloadError {
    #[error("empty code")]
    Empty,
    #[error("code too long: {len} bytes (at most {max})")]
    TooLarge { len: usize, max: usize },

    #[error("ID card: {found} fields, at least 7 expected")]
    CardFieldCount { found: usize },
    #[error("ID card: the number is not 12 digits")]
    CardNumber,
    #[error("ID card: no name")]
    CardNameMissing,
    #[error("ID card: the name has characters a name cannot have")]
    CardNameInvalid,
    #[error("ID card: date of birth is not a real ddmmyyyy date")]
    CardBirthDate,
    #[error("ID card: gender is neither Nam nor Nữ")]
    CardGender,
    #[error("ID card: issue date is not a real ddmmyyyy date")]
    CardIssueDate,
    #[error("ID card: issued before the date of birth")]
    CardIssueBeforeBirth,
    #[error("ID card: the text was garbled by a wrong character set and cannot be repaired")]
    CardGarbled,
    #[error("ID card: the bytes are not UTF-8")]
    CardNotUtf8,

    #[error("health certificate: prefix missing (HC1:)")]
    DccPrefixMissing,
    #[error("health certificate: prefix not supported")]
    DccPrefixUnsupported,
    #[error("health certificate: invalid Base45")]
    DccBase45,
    #[error("health certificate: broken compression")]
    DccInflate,
    #[error("health certificate: expands beyond the size limit")]
    DccTooLarge,
    #[error("health certificate: invalid CBOR")]
    DccCbor,
    #[error("health certificate: CBOR nested too deeply")]
    DccCborTooDeep,
    #[error("health certificate: not a COSE_Sign1 message")]
    DccNotCose,
    #[error("health certificate: payload is not a CWT")]
    DccNotCwt,
    #[error("health certificate: no certificate in the CWT")]
    DccNoCertificate,
    #[error("health certificate: certificate is not a map")]
    DccCertificateShape,

    #[error("saved declaration: invalid Base45")]
    CkdBase45,
    #[error("saved declaration: version {version} is not supported")]
    CkdVersion { version: u8 },
    #[error("saved declaration: truncated or malformed")]
    CkdMalformed,

    #[error("trust list: cannot be read")]
    TrustListUnreadable,
    #[error("trust list: not in a known format")]
    TrustListInvalid,
}

impl PayloadError {
    /// The localised explanation.
    pub fn message(&self) -> Message {
        match self {
            Self::Empty => Message::new(fl!("payload-error-empty")),
            Self::TooLarge { len, max } => Message::new(fl!("payload-error-too-large"))
                .arg("len", len)
                .arg("max", max),
            Self::CardFieldCount { found } => {
                Message::new(fl!("payload-error-card-field-count")).arg("found", found)
            }
            Self::CardNumber => Message::new(fl!("payload-error-card-number")),
            Self::CardNameMissing => Message::new(fl!("payload-error-card-name-missing")),
            Self::CardNameInvalid => Message::new(fl!("payload-error-card-name-invalid")),
            Self::CardBirthDate => Message::new(fl!("payload-error-card-birth-date")),
            Self::CardGender => Message::new(fl!("payload-error-card-gender")),
            Self::CardIssueDate => Message::new(fl!("payload-error-card-issue-date")),
            Self::CardIssueBeforeBirth => {
                Message::new(fl!("payload-error-card-issue-before-birth"))
            }
            Self::CardGarbled => Message::new(fl!("payload-error-card-garbled")),
            Self::CardNotUtf8 => Message::new(fl!("payload-error-card-not-utf8")),
            Self::DccPrefixMissing => Message::new(fl!("payload-error-dcc-prefix-missing")),
            Self::DccPrefixUnsupported => Message::new(fl!("payload-error-dcc-prefix-unsupported")),
            Self::DccBase45 => Message::new(fl!("payload-error-dcc-base45")),
            Self::DccInflate => Message::new(fl!("payload-error-dcc-inflate")),
            Self::DccTooLarge => Message::new(fl!("payload-error-dcc-too-large")),
            Self::DccCbor => Message::new(fl!("payload-error-dcc-cbor")),
            Self::DccCborTooDeep => Message::new(fl!("payload-error-dcc-cbor-too-deep")),
            Self::DccNotCose => Message::new(fl!("payload-error-dcc-not-cose")),
            Self::DccNotCwt => Message::new(fl!("payload-error-dcc-not-cwt")),
            Self::DccNoCertificate => Message::new(fl!("payload-error-dcc-no-certificate")),
            Self::DccCertificateShape => Message::new(fl!("payload-error-dcc-certificate-shape")),
            Self::CkdBase45 => Message::new(fl!("payload-error-ckd-base45")),
            Self::CkdVersion { version } => {
                Message::new(fl!("payload-error-ckd-version")).arg("version", version)
            }
            Self::CkdMalformed => Message::new(fl!("payload-error-ckd-malformed")),
            Self::TrustListUnreadable => Message::new(fl!("payload-error-trust-list-unreadable")),
            Self::TrustListInvalid => Message::new(fl!("payload-error-trust-list-invalid")),
        }
    }
}

/// Something worth telling staff, which does not stop the scan being used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "warning", rename_all = "kebab-case")]
pub enum Warning {
    /// The decoder guessed Big5/Shift_JIS; the text was repaired.
    CardCharsetRepaired,
    /// The old-number field is neither 9 nor 12 digits.
    CardOldNumberIgnored,
    /// The first three digits are no province code.
    CardProvinceUnknown { code: String },
    /// The number's birth-year digits disagree with the printed date of birth.
    CardYearMismatch { from_number: i32, printed: i32 },
    /// The number's gender digit disagrees with the printed gender.
    CardGenderMismatch,
    /// The saved declaration carries no signature.
    CkdUnsigned,
    /// Signed by a kiosk or hub this kiosk does not know.
    CkdUnknownIssuer,
    /// The signature does not match: the code was edited.
    CkdSignatureInvalid,
    /// Older than 24 hours: the 14-day questions must be answered again.
    CkdStale { hours: i64 },
}

impl Warning {
    pub fn message(&self) -> Message {
        match self {
            Self::CardCharsetRepaired => Message::new(fl!("payload-warning-card-charset-repaired")),
            Self::CardOldNumberIgnored => {
                Message::new(fl!("payload-warning-card-old-number-ignored"))
            }
            Self::CardProvinceUnknown { code } => {
                Message::new(fl!("payload-warning-card-province-unknown")).arg("code", code)
            }
            Self::CardYearMismatch {
                from_number,
                printed,
            } => Message::new(fl!("payload-warning-card-year-mismatch"))
                .arg("from_number", from_number)
                .arg("printed", printed),
            Self::CardGenderMismatch => Message::new(fl!("payload-warning-card-gender-mismatch")),
            Self::CkdUnsigned => Message::new(fl!("payload-warning-ckd-unsigned")),
            Self::CkdUnknownIssuer => Message::new(fl!("payload-warning-ckd-unknown-issuer")),
            Self::CkdSignatureInvalid => Message::new(fl!("payload-warning-ckd-signature-invalid")),
            Self::CkdStale { hours } => {
                Message::new(fl!("payload-warning-ckd-stale")).arg("hours", hours)
            }
        }
    }
}
