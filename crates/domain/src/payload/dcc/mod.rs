//! EU Digital COVID Certificate (Vietnam's vaccine passport): the whole chain
//! `HC1:` → Base45 → zlib → COSE_Sign1 → CWT → certificate, then the checks.

pub mod cbor_json;
pub mod chain;
pub mod cose;
pub mod cwt;
pub mod hcert;
pub mod schema;
pub mod signer;
pub mod trust;
pub mod verify;

use serde::Serialize;

use self::cose::CoseSign1;
use self::cwt::Claims;
use self::hcert::{Holder, Statement};
use self::schema::SchemaIssue;
use self::trust::TrustList;
use self::verify::{SignatureCheck, Validity};
use super::error::PayloadError;

/// A decoded certificate, before any check.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub cose: CoseSign1,
    pub claims: Claims,
}

/// Decodes the scanned text (`HC1:…`).
pub fn decode(text: &str) -> Result<Decoded, PayloadError> {
    decode_cose(&chain::cose_bytes(text)?)
}

/// Decodes COSE bytes.
pub fn decode_cose(bytes: &[u8]) -> Result<Decoded, PayloadError> {
    let cose = CoseSign1::from_bytes(bytes)?;
    let claims = cwt::read(&cose.payload)?;
    Ok(Decoded { cose, claims })
}

/// Every check's outcome; the certificate is trustworthy only when all pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DccVerification {
    pub signature: SignatureCheck,
    pub validity: Validity,
    /// The signer's certificate allows this type (vaccination, test, recovery).
    pub key_usage_ok: bool,
    /// Broken content rules; empty when the content is well-formed.
    pub schema_issues: Vec<SchemaIssue>,
}

impl DccVerification {
    pub fn is_valid(&self) -> bool {
        matches!(self.signature, SignatureCheck::Valid { .. })
            && self.validity == Validity::Valid
            && self.key_usage_ok
            && self.schema_issues.is_empty()
    }
}

/// A read and checked certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dcc {
    /// Issuing country (CWT claim 1).
    pub issuer: Option<String>,
    pub issued_at: Option<i64>,
    pub expires: Option<i64>,
    pub holder: Holder,
    pub statement: Statement,
    pub verification: DccVerification,
    /// The certificate content as JSON, for staff who need every field.
    pub content: serde_json::Value,
}

/// Runs every check at `now` (seconds since 1970).
pub fn check(decoded: Decoded, trust: &TrustList, now: i64) -> Dcc {
    let (signature, signer) = verify::signature(&decoded.cose, trust);
    let claims = decoded.claims;
    let cert = &claims.certificate;
    let key_usage_ok = match (signer, hcert::kind(cert)) {
        (Some(s), Some(kind)) => s.may_sign(kind),
        (None, _) => true,
        (Some(_), None) => false,
    };
    let verification = DccVerification {
        validity: verify::validity(&claims, signer, now),
        signature,
        key_usage_ok,
        schema_issues: schema::validate(cert),
    };
    Dcc {
        issuer: claims.issuer.clone(),
        issued_at: claims.issued_at,
        expires: claims.expires,
        holder: hcert::holder(cert),
        statement: hcert::statement(cert),
        verification,
        content: claims.certificate,
    }
}
