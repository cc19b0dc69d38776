//! Contact codes: vCard (2.1/3.0/4.0) and MECARD. Name and phone pre-fill the form.

use serde::Serialize;

use super::text;

/// Which contact format the code used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactFormat {
    VCard,
    MeCard,
}

/// A contact card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub format: ContactFormat,
    pub name: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// Whether the text is a contact card.
pub fn looks_like_contact(text: &str) -> bool {
    let head = text.trim_start();
    starts_with_ignore_case(head, "BEGIN:VCARD") || starts_with_ignore_case(head, "MECARD:")
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// Parses a vCard or MECARD; `None` when it is neither.
pub fn parse(text: &str) -> Option<Contact> {
    let head = text.trim_start();
    if starts_with_ignore_case(head, "MECARD:") {
        Some(parse_mecard(&head["MECARD:".len()..]))
    } else if starts_with_ignore_case(head, "BEGIN:VCARD") {
        Some(parse_vcard(head))
    } else {
        None
    }
}

fn parse_mecard(body: &str) -> Contact {
    let mut contact = empty(ContactFormat::MeCard);
    for field in split_escaped(body, ';') {
        let Some((key, value)) = field.split_once(':') else {
            continue;
        };
        let value = unescape(value);
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_uppercase().as_str() {
            // "Family,Given".
            "N" => {
                let parts: Vec<String> = split_escaped(&value, ',')
                    .into_iter()
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect();
                contact.name = Some(text::nfc(&parts.join(" ")));
            }
            "TEL" => contact.phones.push(clean_phone(&value)),
            "EMAIL" => contact.email = Some(value),
            "ADR" => contact.address = Some(text::nfc(&value.replace(',', ", "))),
            _ => {}
        }
    }
    contact
}

fn parse_vcard(body: &str) -> Contact {
    let mut contact = empty(ContactFormat::VCard);
    let mut structured_name = None;
    for line in unfold(body) {
        let Some((head, value)) = line.split_once(':') else {
            continue;
        };
        let mut params = head.split(';');
        let name = params.next().unwrap_or_default();
        // Grouped properties: "item1.TEL".
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        let quoted_printable = params.any(|p| p.to_ascii_uppercase().contains("QUOTED-PRINTABLE"));
        let value = if quoted_printable {
            decode_quoted_printable(value)
        } else {
            value.to_owned()
        };
        match name.as_str() {
            "FN" => contact.name = Some(text::nfc(unescape(&value).trim())),
            "N" => {
                // family;given;additional;prefix;suffix
                let parts: Vec<String> = split_escaped(&value, ';')
                    .into_iter()
                    .map(|p| unescape(&p).trim().to_owned())
                    .collect();
                let family = parts.first().cloned().unwrap_or_default();
                let given = parts.get(1).cloned().unwrap_or_default();
                let middle = parts.get(2).cloned().unwrap_or_default();
                let joined = [family, middle, given]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                structured_name = Some(text::nfc(&joined));
            }
            "TEL" => {
                let phone = clean_phone(value.trim_start_matches("tel:"));
                if !phone.is_empty() {
                    contact.phones.push(phone);
                }
            }
            "EMAIL" => contact.email = Some(unescape(&value)),
            "ADR" => {
                let parts: Vec<String> = split_escaped(&value, ';')
                    .into_iter()
                    .map(|p| unescape(&p).trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect();
                if !parts.is_empty() {
                    contact.address = Some(text::nfc(&parts.join(", ")));
                }
            }
            _ => {}
        }
    }
    if contact.name.as_deref().is_none_or(str::is_empty) {
        contact.name = structured_name.filter(|n| !n.is_empty());
    }
    contact
}

fn empty(format: ContactFormat) -> Contact {
    Contact {
        format,
        name: None,
        phones: Vec::new(),
        email: None,
        address: None,
    }
}

/// Joins folded lines (a line starting with a space or tab continues the previous one).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.trim_end_matches('\r');
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(raw.to_owned()),
        }
    }
    lines
}

/// Splits on `sep` unless escaped with a backslash.
fn split_escaped(text: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in text.chars() {
        let current = parts.last_mut();
        match (escaped, c, current) {
            (false, '\\', Some(cur)) => {
                cur.push('\\');
                escaped = true;
            }
            (false, c, _) if c == sep => parts.push(String::new()),
            (_, c, Some(cur)) => {
                cur.push(c);
                escaped = false;
            }
            (_, _, None) => {}
        }
    }
    parts
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn clean_phone(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// `=XX` escapes (vCard 2.1); the bytes are then read strictly as UTF-8.
fn decode_quoted_printable(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'=', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mecard() {
        let c = parse("MECARD:N:Nguyễn,Văn An;TEL:+84 912 345 678;EMAIL:an@example.org;;").unwrap();
        assert_eq!(c.format, ContactFormat::MeCard);
        assert_eq!(c.name.as_deref(), Some("Nguyễn Văn An"));
        assert_eq!(c.phones, vec!["+84912345678"]);
        assert_eq!(c.email.as_deref(), Some("an@example.org"));
    }

    #[test]
    fn reads_vcard_with_folding_and_quoted_printable() {
        let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Tr=E1=BA=A7n;Th=E1=BB=8B B=C3=ADch\r\nTEL;CELL:0912-345-678\r\nADR:;;S\u{1ed1} 1,\r\n  Ph\u{1ed1} Hu\u{1ebf};;;;\r\nEND:VCARD";
        let c = parse(card).unwrap();
        assert_eq!(c.name.as_deref(), Some("Trần Thị Bích"));
        assert_eq!(c.phones, vec!["0912345678"]);
        assert_eq!(c.address.as_deref(), Some("Số 1, Phố Huế"));
    }

    #[test]
    fn formatted_name_wins_over_structured() {
        let c = parse("BEGIN:VCARD\nVERSION:3.0\nN:Lê;Hồng;;;\nFN:Lê Thị Hồng\nitem1.TEL;type=CELL:+84901234567\nEND:VCARD").unwrap();
        assert_eq!(c.name.as_deref(), Some("Lê Thị Hồng"));
        assert_eq!(c.phones, vec!["+84901234567"]);
    }
}
