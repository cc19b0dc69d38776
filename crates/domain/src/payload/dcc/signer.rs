//! A document-signer certificate (DSC): its key, validity and allowed uses.

use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::Decode;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::ExtendedKeyUsage;

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
/// Keys bigger than this are not RSA signer keys but an attempt to slow the kiosk down.
const MAX_RSA_BITS: usize = 8192;

/// A signer's public key.
#[derive(Debug, Clone)]
pub enum SignerKey {
    /// ES256: the uncompressed SEC1 point (65 bytes).
    P256(Vec<u8>),
    /// PS256: the key, and its modulus and exponent as big-endian bytes.
    Rsa {
        key: rsa::RsaPublicKey,
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

/// A trusted document signer.
#[derive(Debug, Clone, Serialize)]
pub struct Signer {
    /// The COSE key id: the first 8 bytes of the certificate's SHA-256, unless the list says otherwise.
    #[serde(with = "hex_bytes")]
    pub kid: Vec<u8>,
    /// Issuing country, when the list says.
    pub country: Option<String>,
    #[serde(skip)]
    pub key: SignerKey,
    /// Certificate validity, seconds since 1970.
    pub not_before: i64,
    pub not_after: i64,
    /// Extended key usage OIDs (dotted); empty: any certificate type.
    pub key_usages: Vec<String>,
}

/// Why a certificate cannot be used as a signer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignerError {
    #[error("not an X.509 certificate")]
    NotCertificate,
    #[error("key type not supported (P-256 or RSA only)")]
    UnsupportedKey,
}

impl Signer {
    /// Reads a DER certificate.
    pub fn from_der(der_bytes: &[u8], country: Option<String>) -> Result<Self, SignerError> {
        let cert = Certificate::from_der(der_bytes).map_err(|_| SignerError::NotCertificate)?;
        let tbs = &cert.tbs_certificate;
        let spki = &tbs.subject_public_key_info;
        let key_bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(SignerError::UnsupportedKey)?;
        let key = match spki.algorithm.oid {
            OID_EC_PUBLIC_KEY => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
                if curve != Some(OID_P256) {
                    return Err(SignerError::UnsupportedKey);
                }
                // Parsed once to validate the point and uncompress it.
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                    .map_err(|_| SignerError::UnsupportedKey)?;
                SignerKey::P256(key.to_encoded_point(false).as_bytes().to_vec())
            }
            OID_RSA | OID_RSA_PSS => rsa_key(key_bytes)?,
            _ => return Err(SignerError::UnsupportedKey),
        };
        let key_usages = tbs
            .extensions
            .iter()
            .flatten()
            .filter(|ext| ext.extn_id == OID_EXT_KEY_USAGE)
            .filter_map(|ext| ExtendedKeyUsage::from_der(ext.extn_value.as_bytes()).ok())
            .flat_map(|eku| eku.0.into_iter().map(|oid| oid.to_string()))
            .collect();
        let secs = |t: x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
        };
        Ok(Self {
            kid: Sha256::digest(der_bytes)[..8].to_vec(),
            country,
            key,
            not_before: secs(tbs.validity.not_before),
            not_after: secs(tbs.validity.not_after),
            key_usages,
        })
    }

    /// Whether the certificate may sign this type of certificate (`v`, `t` or `r`):
    /// with no extended key usage it may sign all; otherwise the type's OID
    /// (either arc in use) must be listed.
    pub fn may_sign(&self, kind: &str) -> bool {
        if self.key_usages.is_empty() {
            return true;
        }
        let suffix = match kind {
            "t" => "1",
            "v" => "2",
            "r" => "3",
            _ => return false,
        };
        ["1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1."]
            .iter()
            .any(|arc| {
                self.key_usages
                    .iter()
                    .any(|u| *u == format!("{arc}{suffix}"))
            })
    }
}

fn rsa_key(pkcs1_der: &[u8]) -> Result<SignerKey, SignerError> {
    let key =
        rsa::pkcs1::RsaPublicKey::from_der(pkcs1_der).map_err(|_| SignerError::UnsupportedKey)?;
    let (n, e) = (key.modulus.as_bytes(), key.public_exponent.as_bytes());
    let checked = rsa::RsaPublicKey::new_with_max_size(
        rsa::BigUint::from_bytes_be(n),
        rsa::BigUint::from_bytes_be(e),
        MAX_RSA_BITS,
    )
    .map_err(|_| SignerError::UnsupportedKey)?;
    Ok(SignerKey::Rsa {
        key: checked,
        n: n.to_vec(),
        e: e.to_vec(),
    })
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&text)
    }
}
