//! The CKD byte layout (docs/ckd.md):
//! `version | flags | issued (u32 s since 2020) | [key id (4)] | fields… | [signature (64)]`,
//! each field `tag | length | value`. For text fields the tag's two high bits
//! say how the text is stored: `0x80` decimal digits packed two per byte,
//! `0x40` the one-byte Vietnamese set of [`super::charset`], neither: UTF-8.

use chrono::{DateTime, NaiveDate, Utc};

use super::record::{CkdRecord, Field};
use crate::payload::error::PayloadError;

/// Codes made now: the signature covers [`super::SIGNING_CONTEXT`] and the bytes.
pub const VERSION: u8 = 2;
/// Unsigned codes, and signed codes made before the signing context (read
/// until they expire; the next release stops reading signed ones): their
/// signature covers the bytes alone.
pub const LEGACY_VERSION: u8 = 1;
pub const FLAG_SIGNED: u8 = 0x01;
pub const KEY_ID_LEN: usize = 4;
pub const SIGNATURE_LEN: usize = 64;
/// Bytes before the fields: version, flags, issue time.
pub const HEADER_LEN: usize = 6;
const DIGITS_BIT: u8 = 0x80;
const VIET_BIT: u8 = 0x40;
const ID_MASK: u8 = 0x3F;
/// 2020-01-01T00:00:00Z: the epoch of the issue time.
const EPOCH: i64 = 1_577_836_800;

/// The parts of a decoded CKD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub record: CkdRecord,
    /// Key id and signature, when signed.
    pub signature: Option<([u8; KEY_ID_LEN], [u8; SIGNATURE_LEN])>,
    /// The bytes the signature covers.
    pub signed_len: usize,
    /// [`VERSION`] or [`LEGACY_VERSION`].
    pub version: u8,
}

/// Days since 1900-01-01 (covers every birth date and the next 150 years).
pub fn day_number(date: NaiveDate) -> Option<u16> {
    let base = NaiveDate::from_ymd_opt(1900, 1, 1)?;
    u16::try_from((date - base).num_days()).ok()
}

fn from_day_number(days: u16) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1900, 1, 1)?.checked_add_days(chrono::Days::new(u64::from(days)))
}

/// Encodes the record's header and fields (without key id and signature) when
/// `key_id` is `None`, or with the key id ready for signing.
pub fn encode_unsigned(record: &CkdRecord, key_id: Option<[u8; KEY_ID_LEN]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(200);
    // Unsigned codes keep the version every kiosk reads: only the
    // signature's form changed.
    out.push(if key_id.is_some() {
        VERSION
    } else {
        LEGACY_VERSION
    });
    out.push(if key_id.is_some() { FLAG_SIGNED } else { 0 });
    let secs = (record.issued_at.timestamp() - EPOCH).clamp(0, i64::from(u32::MAX));
    out.extend(u32::try_from(secs).unwrap_or(0).to_be_bytes());
    if let Some(id) = key_id {
        out.extend(id);
    }
    for field in &record.fields {
        put_field(&mut out, field);
    }
    out
}

fn put(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    // Values are bounded by the record's own limits; a longer one is cut, never wrapped.
    let len = value.len().min(255);
    out.push(tag);
    out.push(len as u8);
    out.extend_from_slice(&value[..len]);
}

fn put_text(out: &mut Vec<u8>, tag: u8, text: &str) {
    if let Some(packed) = pack_digits(text) {
        put(out, tag | DIGITS_BIT, &packed);
    } else if let Some(bytes) = super::charset::encode(text).filter(|b| b.len() < text.len()) {
        put(out, tag | VIET_BIT, &bytes);
    } else {
        put(out, tag, text.as_bytes());
    }
}

fn put_field(out: &mut Vec<u8>, field: &Field) {
    use Field::*;
    match field {
        FullName(s) => put_text(out, 1, s),
        DocumentNumber(s) => put_text(out, 2, s),
        DocumentKind(k) => put(out, 3, &[*k]),
        BirthDate(d) => put(out, 4, &day_number(*d).unwrap_or(0).to_be_bytes()),
        BirthYear(y) => put(out, 5, &y.to_be_bytes()),
        Gender(g) => put(out, 6, &[*g]),
        Nationality(s) => put_text(out, 7, s),
        Phone(s) => put_text(out, 8, s),
        ProvinceCode(s) => put_text(out, 9, s),
        WardCode(s) => put_text(out, 10, s),
        Street(s) => put_text(out, 11, s),
        AddressText(s) => put_text(out, 12, s),
        Answers(answers) => {
            // One byte each: the question number, high bit set for yes.
            let bytes: Vec<u8> = answers
                .iter()
                .map(|(q, yes)| (q & 0x7F) | if *yes { 0x80 } else { 0 })
                .collect();
            put(out, 13, &bytes);
        }
        AnswerText(q, s) => {
            let mut bytes = vec![*q];
            bytes.extend_from_slice(s.as_bytes());
            put(out, 14, &bytes);
        }
        Vaccination { doses, last_dose } => {
            let mut bytes = vec![*doses];
            if let Some(day) = last_dose.and_then(day_number) {
                bytes.extend(day.to_be_bytes());
            }
            put(out, 15, &bytes);
        }
        DeclarantName(s) => put_text(out, 16, s),
        DeclarantPhone(s) => put_text(out, 17, s),
        Consent(yes) => put(out, 18, &[u8::from(*yes)]),
        Language(s) => put_text(out, 19, s),
        MadeBy(who) => put(out, 20, &[*who]),
        Unknown(tag, bytes) => put(out, *tag, bytes),
    }
}

/// Decimal digits, two per byte, `F` padding: "0912345678" → 5 bytes.
fn pack_digits(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nibbles: Vec<u8> = text
        .bytes()
        .map(|b| b - b'0')
        .chain(std::iter::once(0xF))
        .collect();
    Some(
        nibbles
            .chunks(2)
            .filter(|pair| pair[0] != 0xF)
            .map(|pair| (pair[0] << 4) | pair.get(1).copied().unwrap_or(0xF))
            .collect(),
    )
}

fn unpack_digits(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 2);
    for (i, b) in bytes.iter().enumerate() {
        for (j, nibble) in [b >> 4, b & 0x0F].into_iter().enumerate() {
            match nibble {
                0..=9 => out.push(char::from(b'0' + nibble)),
                // Padding only in the very last nibble.
                0xF if i + 1 == bytes.len() && j == 1 => {}
                _ => return None,
            }
        }
    }
    Some(out)
}

/// Decodes bytes into a frame; every length is checked against what is left.
pub fn decode(bytes: &[u8]) -> Result<Frame, PayloadError> {
    let malformed = PayloadError::CkdMalformed;
    let (&version, rest) = bytes.split_first().ok_or(PayloadError::CkdMalformed)?;
    if version != VERSION && version != LEGACY_VERSION {
        return Err(PayloadError::CkdVersion { version });
    }
    let (&flags, rest) = rest.split_first().ok_or(PayloadError::CkdMalformed)?;
    let secs: [u8; 4] = rest
        .get(..4)
        .and_then(|s| s.try_into().ok())
        .ok_or(PayloadError::CkdMalformed)?;
    let issued_at = DateTime::<Utc>::from_timestamp(EPOCH + i64::from(u32::from_be_bytes(secs)), 0)
        .ok_or(PayloadError::CkdMalformed)?;
    let mut pos = HEADER_LEN;
    let signed = flags & FLAG_SIGNED != 0;
    let (end, signature) = if signed {
        let key_id: [u8; KEY_ID_LEN] = bytes
            .get(pos..pos + KEY_ID_LEN)
            .and_then(|s| s.try_into().ok())
            .ok_or(PayloadError::CkdMalformed)?;
        pos += KEY_ID_LEN;
        let end = bytes
            .len()
            .checked_sub(SIGNATURE_LEN)
            .filter(|end| *end >= pos)
            .ok_or(PayloadError::CkdMalformed)?;
        let sig: [u8; SIGNATURE_LEN] = bytes[end..]
            .try_into()
            .map_err(|_| PayloadError::CkdMalformed)?;
        (end, Some((key_id, sig)))
    } else {
        (bytes.len(), None)
    };
    let mut fields = Vec::new();
    while pos < end {
        let tag = bytes[pos];
        let len = usize::from(*bytes.get(pos + 1).ok_or(PayloadError::CkdMalformed)?);
        let value = bytes
            .get(pos + 2..pos + 2 + len)
            .filter(|_| pos + 2 + len <= end)
            .ok_or(PayloadError::CkdMalformed)?;
        fields.push(read_field(tag, value).ok_or(malformed.clone())?);
        pos += 2 + len;
    }
    Ok(Frame {
        record: CkdRecord { issued_at, fields },
        signature,
        signed_len: end,
        version,
    })
}

fn read_field(tag: u8, value: &[u8]) -> Option<Field> {
    let text = || -> Option<String> {
        match tag & (DIGITS_BIT | VIET_BIT) {
            DIGITS_BIT => unpack_digits(value),
            VIET_BIT => super::charset::decode(value),
            0 => std::str::from_utf8(value)
                .ok()
                .map(crate::payload::text::nfc),
            _ => None,
        }
    };
    let u16_at =
        |v: &[u8]| -> Option<u16> { Some(u16::from_be_bytes(v.get(..2)?.try_into().ok()?)) };
    Some(match tag & ID_MASK {
        1 => Field::FullName(text()?),
        2 => Field::DocumentNumber(text()?),
        3 => Field::DocumentKind(*value.first()?),
        4 => Field::BirthDate(from_day_number(u16_at(value)?)?),
        5 => Field::BirthYear(u16_at(value)?),
        6 => Field::Gender(*value.first()?),
        7 => Field::Nationality(text()?),
        8 => Field::Phone(text()?),
        9 => Field::ProvinceCode(text()?),
        10 => Field::WardCode(text()?),
        11 => Field::Street(text()?),
        12 => Field::AddressText(text()?),
        13 => Field::Answers(value.iter().map(|b| (b & 0x7F, b & 0x80 != 0)).collect()),
        14 => {
            let (q, rest) = value.split_first()?;
            Field::AnswerText(
                *q,
                crate::payload::text::nfc(std::str::from_utf8(rest).ok()?),
            )
        }
        15 => Field::Vaccination {
            doses: *value.first()?,
            last_dose: match value.len() {
                1 => None,
                3 => Some(from_day_number(u16_at(&value[1..])?)?),
                _ => return None,
            },
        },
        16 => Field::DeclarantName(text()?),
        17 => Field::DeclarantPhone(text()?),
        18 => Field::Consent(*value.first()? != 0),
        19 => Field::Language(text()?),
        20 => Field::MadeBy(*value.first()?),
        // A newer kiosk's field: kept, not understood.
        _ => Field::Unknown(tag, value.to_vec()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_pack_two_per_byte_and_keep_leading_zeros() {
        for s in ["0", "01", "00004", "001098012345", "0912345678"] {
            let packed = pack_digits(s).unwrap();
            assert_eq!(packed.len(), s.len().div_ceil(2));
            assert_eq!(unpack_digits(&packed).as_deref(), Some(s));
        }
        assert_eq!(pack_digits("+84"), None);
        assert_eq!(unpack_digits(&[0xF1]), None);
    }
}
