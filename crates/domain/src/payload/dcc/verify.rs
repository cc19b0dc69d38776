//! Checking a decoded certificate: signature (ES256, PS256) against the trust
//! list, validity against a given clock, and the signer's allowed uses.

use rsa::signature::Verifier;
use serde::Serialize;
use sha2::Sha256;

use super::cose::CoseSign1;
use super::cwt::Claims;
use super::signer::{Signer, SignerKey};
use super::trust::TrustList;

/// COSE algorithm numbers.
pub const ALG_ES256: i64 = -7;
pub const ALG_PS256: i64 = -37;

/// The outcome of the signature check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignatureCheck {
    /// Signed by a trusted signer.
    Valid {
        kid: String,
        country: Option<String>,
    },
    /// No key id in the headers.
    NoKeyId,
    /// The key id is not on the trust list.
    UnknownSigner { kid: String },
    /// An algorithm other than ES256 or PS256, or none.
    UnsupportedAlgorithm { alg: Option<i64> },
    /// A trusted key id, but the signature does not match: altered or forged.
    Invalid { kid: String },
}

/// The outcome of the validity check at the given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Valid,
    /// The certificate has no issue or expiry time.
    MissingDates,
    /// Issued after the given time (a wrong clock or a forged date).
    NotYetValid,
    Expired,
    /// Issued when its signer's certificate was not valid.
    SignerNotValid,
}

/// Verifies the signature against the signers of the message's key id.
/// Returns the check and the signer that matched (for the other checks).
pub fn signature<'a>(
    cose: &CoseSign1,
    trust: &'a TrustList,
) -> (SignatureCheck, Option<&'a Signer>) {
    let Some(kid) = cose.kid() else {
        return (SignatureCheck::NoKeyId, None);
    };
    let kid_text = hex(kid);
    let signers = trust.signers(kid);
    if signers.is_empty() {
        return (SignatureCheck::UnknownSigner { kid: kid_text }, None);
    }
    let alg = cose.alg();
    if !matches!(alg, Some(ALG_ES256 | ALG_PS256)) {
        return (SignatureCheck::UnsupportedAlgorithm { alg }, None);
    }
    let signed = cose.signed_bytes();
    for signer in signers {
        if verify_with(signer, alg, &signed, &cose.signature) {
            let check = SignatureCheck::Valid {
                kid: kid_text,
                country: signer.country.clone(),
            };
            return (check, Some(signer));
        }
    }
    (SignatureCheck::Invalid { kid: kid_text }, None)
}

/// One signature with one key; the algorithm must fit the key type.
pub fn verify_with(signer: &Signer, alg: Option<i64>, signed: &[u8], signature: &[u8]) -> bool {
    use ring::signature::{
        ECDSA_P256_SHA256_FIXED, RSA_PSS_2048_8192_SHA256, RsaPublicKeyComponents,
        UnparsedPublicKey,
    };
    match (&signer.key, alg) {
        (SignerKey::P256(point), Some(ALG_ES256)) => {
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(signed, signature)
                .is_ok()
        }
        (SignerKey::Rsa { key, n, e }, Some(ALG_PS256)) => {
            // ring covers the usual salt (the hash length, RFC 8230) quickly.
            RsaPublicKeyComponents { n, e }
                .verify(&RSA_PSS_2048_8192_SHA256, signed, signature)
                .is_ok()
                || verify_pss_max_salt(key, signed, signature)
        }
        _ => false,
    }
}

/// RSASSA-PSS with SHA-256 by the rsa crate: the largest salt, which some signing
/// devices use, and keys ring does not take.
fn verify_pss_max_salt(key: &rsa::RsaPublicKey, signed: &[u8], signature: &[u8]) -> bool {
    use rsa::traits::PublicKeyParts;
    let Ok(sig) = rsa::pss::Signature::try_from(signature) else {
        return false;
    };
    let em_len = (key.n().bits() - 1).div_ceil(8);
    let max_salt = em_len.saturating_sub(32 + 2);
    // The hash-length salt again for keys outside ring's 2048-8192 bits.
    [32, max_salt].into_iter().any(|salt| {
        rsa::pss::VerifyingKey::<Sha256>::new_with_salt_len(key.clone(), salt)
            .verify(signed, &sig)
            .is_ok()
    })
}

/// Validity at `now` (seconds since 1970): issued ≤ now ≤ expiry, and issued
/// while the signer's certificate was valid.
pub fn validity(claims: &Claims, signer: Option<&Signer>, now: i64) -> Validity {
    let (Some(issued), Some(expires)) = (claims.issued_at, claims.expires) else {
        return Validity::MissingDates;
    };
    if now < issued {
        return Validity::NotYetValid;
    }
    if now > expires {
        return Validity::Expired;
    }
    match signer {
        Some(s) if issued < s.not_before || issued > s.not_after => Validity::SignerNotValid,
        _ => Validity::Valid,
    }
}

/// Hexadecimal, for key ids shown to staff.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
