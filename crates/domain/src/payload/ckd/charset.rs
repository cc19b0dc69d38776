//! A one-byte character set for Vietnamese text in CKD fields: printable ASCII
//! as itself (0x20–0x7E); the 134 precomposed Vietnamese letters (lower case,
//! then upper case; vowels a ă â e ê i o ô ơ u ư y, each plain then with grave,
//! acute, hook, tilde, dot below, leaving out the plain ASCII ones; đ/Đ last)
//! numbered 0–133, letter n at byte n for n < 32 and at 0x80 + n − 32 after.
//! UTF-8 needs 2–3 bytes for each of those letters; names shrink by a quarter.

use std::sync::OnceLock;

const VOWELS: [char; 12] = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const TONES: [char; 6] = ['\0', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];
/// Letters 0–31 use the control bytes 0x00–0x1F; the rest start here.
const HIGH: u8 = 0x80;
const LOW_COUNT: usize = 32;

/// The letters of bytes 0x80.., in order.
fn letters() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let lower: Vec<char> = VOWELS
            .iter()
            .flat_map(|v| TONES.iter().map(move |t| (*v, *t)))
            .filter_map(|(v, t)| {
                let composed = if t == '\0' {
                    v.to_string()
                } else {
                    super::super::text::nfc(&format!("{v}{t}"))
                };
                let mut chars = composed.chars();
                let c = chars.next()?;
                (chars.next().is_none() && !c.is_ascii()).then_some(c)
            })
            .chain(std::iter::once('đ'))
            .collect();
        let upper: Vec<char> = lower
            .iter()
            .filter_map(|c| c.to_uppercase().next())
            .collect();
        lower.into_iter().chain(upper).collect()
    })
}

/// Encodes text when every character is in the set.
pub fn encode(text: &str) -> Option<Vec<u8>> {
    let table = letters();
    text.chars()
        .map(|c| {
            if (' '..='~').contains(&c) {
                Some(c as u8)
            } else {
                let i = table.iter().position(|l| *l == c)?;
                let byte = if i < LOW_COUNT {
                    i
                } else {
                    usize::from(HIGH) + i - LOW_COUNT
                };
                u8::try_from(byte).ok()
            }
        })
        .collect()
}

pub fn decode(bytes: &[u8]) -> Option<String> {
    let table = letters();
    bytes
        .iter()
        .map(|&b| match b {
            0x20..=0x7E => Some(char::from(b)),
            0x00..0x20 => table.get(usize::from(b)).copied(),
            HIGH.. => table.get(usize::from(b - HIGH) + LOW_COUNT).copied(),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_vietnamese_letter_once() {
        let table = letters();
        assert_eq!(table.len(), 134);
        let mut sorted = table.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 134);
        assert!(usize::from(HIGH) + table.len() - LOW_COUNT <= 256);
    }

    #[test]
    fn round_trips_vietnamese_and_refuses_the_rest() {
        for s in [
            "Nguyễn Thị Minh Khai",
            "Số 12 ngõ 34 Đại Cồ Việt",
            "ĐẶNG VĂN LÂM",
            "Quỳnh Phụ",
        ] {
            let bytes = encode(s).unwrap();
            assert_eq!(bytes.len(), s.chars().count());
            assert_eq!(decode(&bytes).as_deref(), Some(s));
        }
        assert_eq!(encode("中文"), None);
        assert_eq!(encode("tab\there"), None);
        assert_eq!(decode(&[0x7F]), None);
        assert_eq!(decode(&[0xFF]), None);
    }
}
