//! The chip ID card (CCCD, 2021; Căn cước, 2024) QR: one UTF-8 line,
//! `number|old number|name|birth ddmmyyyy|Nam or Nữ|address|issue ddmmyyyy[|more…]`.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::Gender;
use super::address_map::{AddressResolver, MappedAddress};
use super::cccd_number::{self, NumberInfo};
use super::error::{PayloadError, Warning};
use super::text;

/// Fields every layout seen so far has; a newer card may add more after them.
const KNOWN_FIELDS: usize = 7;

/// A read ID card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdCard {
    /// The 12-digit citizen number.
    pub number: String,
    /// The old 9-digit (CMND) number, when printed.
    pub old_number: Option<String>,
    /// As printed (capitals or title case), NFC.
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    /// `None` when the card prints no address.
    pub address: Option<CardAddress>,
    pub issue_date: NaiveDate,
    /// What the number's digits say.
    pub number_info: NumberInfo,
    /// Fields after the seventh, kept as they are.
    pub extra: Vec<String>,
}

/// The printed address, and where it lands on the current list (if unambiguous).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardAddress {
    pub printed: String,
    pub mapped: Option<MappedAddress>,
}

/// Whether a text has the shape of a card payload (so its errors are card errors).
pub fn looks_like_card(text: &str) -> bool {
    let text = trim_line_end(text);
    let mut fields = text.split('|');
    let first = fields.next().unwrap_or_default();
    text.matches('|').count() >= 4 && first.chars().all(|c| c.is_ascii_digit())
}

/// Scanners that type the code often add a line end.
fn trim_line_end(text: &str) -> &str {
    text.trim_end_matches(['\r', '\n'])
}

/// Parses a card payload given as text that is already valid UTF-8.
pub fn parse(
    text: &str,
    addresses: &dyn AddressResolver,
    warnings: &mut Vec<Warning>,
) -> Result<IdCard, PayloadError> {
    let text = repair_fields(trim_line_end(text), warnings)?;
    let fields: Vec<&str> = text.split('|').collect();
    if fields.len() < KNOWN_FIELDS {
        return Err(PayloadError::CardFieldCount {
            found: fields.len(),
        });
    }
    let number = fields[0].trim();
    let number_info = cccd_number::read(number).ok_or(PayloadError::CardNumber)?;
    let old_number = read_old_number(fields[1].trim(), warnings);
    let full_name = read_name(fields[2])?;
    let birth_date = read_date(fields[3]).ok_or(PayloadError::CardBirthDate)?;
    let gender = read_gender(fields[4]).ok_or(PayloadError::CardGender)?;
    let printed = collapse_spaces(fields[5]);
    let issue_date = read_date(fields[6]).ok_or(PayloadError::CardIssueDate)?;
    if issue_date < birth_date {
        return Err(PayloadError::CardIssueBeforeBirth);
    }
    check_number(&number_info, birth_date, gender, warnings);
    let address = (!printed.is_empty()).then(|| CardAddress {
        mapped: addresses.map_printed(&printed),
        printed,
    });
    Ok(IdCard {
        number: number.to_owned(),
        old_number,
        full_name,
        birth_date,
        gender,
        address,
        issue_date,
        number_info,
        extra: fields[KNOWN_FIELDS..]
            .iter()
            .map(|f| (*f).to_owned())
            .collect(),
    })
}

/// NFC, and the Big5/Shift_JIS mojibake repair, field by field: a decoder may
/// have garbled only some fields (or the payload reached us partly retyped).
/// Repair happens before NFC, which rewrites some CJK compatibility characters
/// and would break the byte round trip the repair relies on.
fn repair_fields(text: &str, warnings: &mut Vec<Warning>) -> Result<String, PayloadError> {
    if !text::has_cjk(text) {
        return Ok(text::nfc(text));
    }
    let mut out = Vec::new();
    for field in text.split('|') {
        if text::has_cjk(field) {
            out.push(text::repair_mojibake(field).ok_or(PayloadError::CardGarbled)?);
        } else {
            out.push(text::nfc(field));
        }
    }
    warnings.push(Warning::CardCharsetRepaired);
    Ok(out.join("|"))
}

fn read_old_number(field: &str, warnings: &mut Vec<Warning>) -> Option<String> {
    if field.is_empty() {
        return None;
    }
    let digits = field.chars().all(|c| c.is_ascii_digit());
    if digits && (field.len() == 9 || field.len() == 12) {
        Some(field.to_owned())
    } else {
        warnings.push(Warning::CardOldNumberIgnored);
        None
    }
}

fn read_name(field: &str) -> Result<String, PayloadError> {
    let name = collapse_spaces(field);
    if name.is_empty() {
        return Err(PayloadError::CardNameMissing);
    }
    let plausible = name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'));
    if plausible {
        Ok(name)
    } else {
        Err(PayloadError::CardNameInvalid)
    }
}

fn collapse_spaces(field: &str) -> String {
    field.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `ddmmyyyy`, a real calendar day: 31022000 is an error, never 2 March.
pub fn read_date(field: &str) -> Option<NaiveDate> {
    let field = field.trim();
    if field.len() != 8 || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day = field[0..2].parse().ok()?;
    let month = field[2..4].parse().ok()?;
    let year = field[4..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn read_gender(field: &str) -> Option<Gender> {
    match field.trim().to_lowercase().as_str() {
        "nam" | "male" => Some(Gender::Male),
        "nữ" | "nu" | "female" => Some(Gender::Female),
        _ => None,
    }
}

/// The number's digits against what is printed: warnings, never refusals.
fn check_number(info: &NumberInfo, birth: NaiveDate, gender: Gender, warnings: &mut Vec<Warning>) {
    if info.province_name.is_none() {
        warnings.push(Warning::CardProvinceUnknown {
            code: info.province_code.clone(),
        });
    }
    if info.birth_year != birth.year() {
        warnings.push(Warning::CardYearMismatch {
            from_number: info.birth_year,
            printed: birth.year(),
        });
    }
    if info.gender != gender {
        warnings.push(Warning::CardGenderMismatch);
    }
}
