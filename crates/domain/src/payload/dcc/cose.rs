//! COSE_Sign1 (RFC 9052) as used by HCERT: protected header with `kid` (4) and
//! `alg` (1), payload = CWT, signature over `Sig_structure`.

use ciborium::Value;

use crate::payload::error::PayloadError;

/// Nesting deeper than this is refused (a certificate needs fewer than 10 levels).
pub const MAX_CBOR_DEPTH: usize = 32;

const TAG_COSE_SIGN1: u64 = 18;
const TAG_CWT: u64 = 61;
const LABEL_ALG: i128 = 1;
const LABEL_KID: i128 = 4;

/// A decoded COSE_Sign1 message.
#[derive(Debug, Clone, PartialEq)]
pub struct CoseSign1 {
    /// The protected header exactly as sent: the signature covers these bytes.
    pub protected_raw: Vec<u8>,
    pub protected: Vec<(Value, Value)>,
    pub unprotected: Vec<(Value, Value)>,
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// Decodes CBOR with a nesting limit: a bomb of nested arrays is an error, not a stack overflow.
pub fn cbor(bytes: &[u8]) -> Result<Value, PayloadError> {
    ciborium::de::from_reader_with_recursion_limit(bytes, MAX_CBOR_DEPTH).map_err(|e| match e {
        ciborium::de::Error::RecursionLimitExceeded => PayloadError::DccCborTooDeep,
        _ => PayloadError::DccCbor,
    })
}

impl CoseSign1 {
    /// Parses a (tagged or untagged) COSE_Sign1 message.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PayloadError> {
        let mut value = cbor(bytes)?;
        // Some issuers wrap the message in the CWT tag as well.
        while let Value::Tag(tag, inner) = value {
            if tag != TAG_COSE_SIGN1 && tag != TAG_CWT {
                return Err(PayloadError::DccNotCose);
            }
            value = *inner;
        }
        let Value::Array(items) = value else {
            return Err(PayloadError::DccNotCose);
        };
        let Ok([protected, unprotected, payload, signature]) = <[Value; 4]>::try_from(items) else {
            return Err(PayloadError::DccNotCose);
        };
        let (
            Value::Bytes(protected_raw),
            Value::Map(unprotected),
            Value::Bytes(payload),
            Value::Bytes(signature),
        ) = (protected, unprotected, payload, signature)
        else {
            return Err(PayloadError::DccNotCose);
        };
        let protected = if protected_raw.is_empty() {
            Vec::new()
        } else {
            match cbor(&protected_raw)? {
                Value::Map(map) => map,
                _ => return Err(PayloadError::DccNotCose),
            }
        };
        Ok(Self {
            protected_raw,
            protected,
            unprotected,
            payload,
            signature,
        })
    }

    /// The key id: from the protected header when it has one (an unprotected
    /// `kid` then does not count), else from the unprotected header.
    pub fn kid(&self) -> Option<&[u8]> {
        match header(&self.protected, LABEL_KID) {
            Some(v) => v.as_bytes().map(Vec::as_slice),
            None => header(&self.unprotected, LABEL_KID)
                .and_then(Value::as_bytes)
                .map(Vec::as_slice),
        }
    }

    /// The signature algorithm (COSE number: -7 ES256, -37 PS256).
    pub fn alg(&self) -> Option<i64> {
        header(&self.protected, LABEL_ALG)
            .or_else(|| header(&self.unprotected, LABEL_ALG))
            .and_then(Value::as_integer)
            .and_then(|i| i64::try_from(i).ok())
    }

    /// `Sig_structure = ["Signature1", protected, external_aad = h'', payload]`.
    pub fn signed_bytes(&self) -> Vec<u8> {
        const CONTEXT: &[u8] = b"Signature1";
        let mut out = Vec::with_capacity(self.protected_raw.len() + self.payload.len() + 32);
        out.push(0x84);
        write_head(&mut out, 3, CONTEXT.len());
        out.extend_from_slice(CONTEXT);
        write_head(&mut out, 2, self.protected_raw.len());
        out.extend_from_slice(&self.protected_raw);
        write_head(&mut out, 2, 0);
        write_head(&mut out, 2, self.payload.len());
        out.extend_from_slice(&self.payload);
        out
    }
}

fn header(map: &[(Value, Value)], label: i128) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| k.as_integer().is_some_and(|i| i128::from(i) == label))
        .map(|(_, v)| v)
}

/// A CBOR head with the shortest length encoding.
fn write_head(out: &mut Vec<u8>, major: u8, len: usize) {
    let major = major << 5;
    let len = len as u64;
    if len < 24 {
        out.push(major | len as u8);
    } else if len <= 0xFF {
        out.extend([major | 24, len as u8]);
    } else if len <= 0xFFFF {
        out.push(major | 25);
        out.extend((len as u16).to_be_bytes());
    } else if len <= 0xFFFF_FFFF {
        out.push(major | 26);
        out.extend((len as u32).to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend(len.to_be_bytes());
    }
}
