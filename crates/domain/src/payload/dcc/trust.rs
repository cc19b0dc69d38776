//! The trust list: document-signer certificates (and saved-declaration issuer
//! keys) kept as a local file the operator updates. Format: docs/trust-list.md.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine;
use serde::Deserialize;

use super::signer::Signer;
use crate::payload::error::PayloadError;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Trusted signers, indexed by key id.
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    signers: HashMap<Vec<u8>, Vec<Signer>>,
    /// Ed25519 public keys of kiosks and hubs whose saved declarations are genuine.
    pub ckd_issuers: Vec<CkdIssuer>,
    /// Entries that could not be used (bad certificate, unsupported key).
    pub skipped: usize,
}

/// A kiosk or hub that signs saved declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CkdIssuer {
    pub name: String,
    pub public_key: [u8; 32],
}

/// Our own file format (see docs/trust-list.md).
#[derive(Debug, Deserialize)]
struct OwnFile {
    #[serde(default)]
    dsc: Vec<Entry>,
    #[serde(default)]
    ckd_issuers: Vec<OwnCkdIssuer>,
}

#[derive(Debug, Deserialize)]
struct OwnCkdIssuer {
    #[serde(default)]
    name: String,
    public_key: String,
}

/// One signer in any of the accepted layouts: ours (`certificate`) or the EU
/// gateway's and national mirrors' (`rawData`).
#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(alias = "rawData", alias = "raw_data")]
    certificate: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, alias = "countryCode")]
    country: Option<String>,
    #[serde(default, alias = "certificateType")]
    certificate_type: Option<String>,
}

/// `{"certificates": [...]}` as published by national mirrors of the gateway.
#[derive(Debug, Deserialize)]
struct CertificatesFile {
    certificates: Vec<Entry>,
}

impl TrustList {
    /// An empty list: nothing verifies.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Reads a trust list file; a missing file is an empty list.
    pub fn load(path: &Path) -> Result<Self, PayloadError> {
        match std::fs::read(path) {
            Ok(bytes) => Self::from_bytes(&bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::empty()),
            Err(_) => Err(PayloadError::TrustListUnreadable),
        }
    }

    /// Parses any accepted layout: our JSON, the EU gateway's JSON array of
    /// trust-list items, a `{"certificates": [...]}` list (optionally preceded
    /// by a signature line), or PEM certificates.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PayloadError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PayloadError::TrustListInvalid)?;
        let mut list = Self::empty();
        if text.contains("-----BEGIN CERTIFICATE-----") {
            for der in pem_blocks(text) {
                list.add_der(&der, None, None);
            }
            return Ok(list);
        }
        // A signed national list starts with a signature line before the JSON.
        let start = text
            .find(['{', '['])
            .ok_or(PayloadError::TrustListInvalid)?;
        let json = &text[start..];
        if json.starts_with('[') {
            let entries: Vec<Entry> =
                serde_json::from_str(json).map_err(|_| PayloadError::TrustListInvalid)?;
            list.add_entries(entries);
        } else if let Ok(file) = serde_json::from_str::<CertificatesFile>(json) {
            list.add_entries(file.certificates);
        } else {
            let file: OwnFile =
                serde_json::from_str(json).map_err(|_| PayloadError::TrustListInvalid)?;
            list.add_entries(file.dsc);
            for issuer in file.ckd_issuers {
                match B64
                    .decode(issuer.public_key.trim())
                    .ok()
                    .and_then(|k| <[u8; 32]>::try_from(k).ok())
                {
                    Some(public_key) => list.ckd_issuers.push(CkdIssuer {
                        name: issuer.name,
                        public_key,
                    }),
                    None => list.skipped += 1,
                }
            }
        }
        Ok(list)
    }

    fn add_entries(&mut self, entries: Vec<Entry>) {
        for entry in entries {
            // Gateway lists also carry CSCA and upload certificates: only DSCs sign.
            if entry
                .certificate_type
                .as_deref()
                .is_some_and(|t| !t.eq_ignore_ascii_case("DSC"))
            {
                continue;
            }
            match B64.decode(entry.certificate.trim()) {
                Ok(der) => {
                    let kid = entry.kid.and_then(|k| B64.decode(k.trim()).ok());
                    self.add_der(&der, entry.country, kid);
                }
                Err(_) => self.skipped += 1,
            }
        }
    }

    /// Adds one DER certificate; `kid` overrides the computed key id.
    pub fn add_der(&mut self, der: &[u8], country: Option<String>, kid: Option<Vec<u8>>) {
        match Signer::from_der(der, country) {
            Ok(mut signer) => {
                if let Some(kid) = kid.filter(|k| !k.is_empty()) {
                    signer.kid = kid;
                }
                self.add(signer);
            }
            Err(_) => self.skipped += 1,
        }
    }

    /// Adds a signer.
    pub fn add(&mut self, signer: Signer) {
        self.signers
            .entry(signer.kid.clone())
            .or_default()
            .push(signer);
    }

    /// Signers with this key id (usually one; ids can collide).
    pub fn signers(&self, kid: &[u8]) -> &[Signer] {
        self.signers.get(kid).map_or(&[], Vec::as_slice)
    }

    /// How many signers the list holds.
    pub fn len(&self) -> usize {
        self.signers.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.signers.is_empty()
    }
}

fn pem_blocks(text: &str) -> Vec<Vec<u8>> {
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .filter_map(|block| block.split("-----END CERTIFICATE-----").next())
        .filter_map(|body| {
            let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            B64.decode(b64).ok()
        })
        .collect()
}
