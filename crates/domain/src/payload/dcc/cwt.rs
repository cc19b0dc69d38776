//! The CWT claims of a health certificate: issuer country (1), expiry (4),
//! issued at (6), and the certificate itself under -260 → 1.

use ciborium::Value;
use serde::Serialize;

use super::cbor_json;
use super::cose::cbor;
use crate::payload::error::PayloadError;

const CLAIM_ISSUER: i128 = 1;
const CLAIM_EXPIRY: i128 = 4;
const CLAIM_ISSUED_AT: i128 = 6;
const CLAIM_HCERT: i128 = -260;
const HCERT_EU_DCC: i128 = 1;

/// The claims the kiosk uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claims {
    /// ISO 3166 alpha-2 of the issuing country.
    pub issuer: Option<String>,
    /// Seconds since 1970 (UTC).
    pub issued_at: Option<i64>,
    pub expires: Option<i64>,
    /// The certificate (`ver`, `nam`, `dob`, `v`/`t`/`r`) as JSON.
    pub certificate: serde_json::Value,
}

/// Reads the claims from the COSE payload.
pub fn read(payload: &[u8]) -> Result<Claims, PayloadError> {
    let Value::Map(claims) = cbor(payload)? else {
        return Err(PayloadError::DccNotCwt);
    };
    let hcert = claim(&claims, CLAIM_HCERT).ok_or(PayloadError::DccNoCertificate)?;
    let Value::Map(hcert) = hcert else {
        return Err(PayloadError::DccNoCertificate);
    };
    let certificate = claim(hcert, HCERT_EU_DCC).ok_or(PayloadError::DccNoCertificate)?;
    if !certificate.is_map() {
        return Err(PayloadError::DccCertificateShape);
    }
    Ok(Claims {
        issuer: claim(&claims, CLAIM_ISSUER)
            .and_then(Value::as_text)
            .map(str::to_owned),
        issued_at: claim(&claims, CLAIM_ISSUED_AT).and_then(seconds),
        expires: claim(&claims, CLAIM_EXPIRY).and_then(seconds),
        certificate: cbor_json::to_json(certificate),
    })
}

fn claim(map: &[(Value, Value)], key: i128) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| k.as_integer().is_some_and(|i| i128::from(i) == key))
        .map(|(_, v)| v)
}

fn seconds(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(i) => i64::try_from(*i).ok(),
        Value::Float(f) if f.is_finite() && f.abs() < 1e15 => Some(*f as i64),
        Value::Tag(1, inner) => seconds(inner),
        _ => None,
    }
}
