//! From the scanned text to COSE bytes: prefix, Base45, bounded zlib.

use std::io::Read;

use crate::payload::base45;
use crate::payload::error::PayloadError;

/// The only context identifier in use (HCERT spec: "HC1:").
pub const PREFIX: &str = "HC1:";

/// The largest COSE message accepted after inflation. A certificate is a few
/// hundred bytes; anything near this is an attack, not a certificate.
pub const MAX_COSE_BYTES: usize = 32 * 1024;

/// Whether a text claims to be a health certificate (`HC1:`, `HC2:`, `HL0:`…), so
/// its failures are reported as certificate failures.
pub fn looks_like_dcc(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 4
        && b[0] == b'H'
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_digit()
        && b[3] == b':'
}

/// Removes the `HC1:` prefix. Scanners may add a line end; nothing else is trimmed.
pub fn unprefix(text: &str) -> Result<&str, PayloadError> {
    let text = text.trim_end_matches(['\r', '\n']);
    if let Some(rest) = text.strip_prefix(PREFIX) {
        Ok(rest)
    } else if looks_like_dcc(text) {
        Err(PayloadError::DccPrefixUnsupported)
    } else {
        Err(PayloadError::DccPrefixMissing)
    }
}

/// Base45 to bytes.
pub fn base45_decode(text: &str) -> Result<Vec<u8>, PayloadError> {
    base45::decode(text).ok_or(PayloadError::DccBase45)
}

/// A zlib stream header (RFC 1950): deflate, window ≤ 32 KiB, check bits.
pub fn is_zlib(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => {
            cmf & 0x0F == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// Inflates a zlib stream, stopping at [`MAX_COSE_BYTES`]: a bomb is refused
/// after reading at most that much, however far it would expand.
pub fn inflate(data: &[u8]) -> Result<Vec<u8>, PayloadError> {
    if !is_zlib(data) {
        return Err(PayloadError::DccInflate);
    }
    let mut out = Vec::new();
    let limit = MAX_COSE_BYTES as u64 + 1;
    flate2::read::ZlibDecoder::new(data)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|_| PayloadError::DccInflate)?;
    if out.len() > MAX_COSE_BYTES {
        return Err(PayloadError::DccTooLarge);
    }
    Ok(out)
}

/// Inflates when the data is zlib; some issuers send the COSE message uncompressed.
pub fn decompress(data: Vec<u8>) -> Result<Vec<u8>, PayloadError> {
    if is_zlib(&data) {
        inflate(&data)
    } else if data.len() > MAX_COSE_BYTES {
        Err(PayloadError::DccTooLarge)
    } else {
        Ok(data)
    }
}

/// The whole chain from scanned text to COSE bytes.
pub fn cose_bytes(text: &str) -> Result<Vec<u8>, PayloadError> {
    decompress(base45_decode(unprefix(text)?)?)
}
