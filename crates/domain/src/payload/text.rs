//! Text from a QR code: strict UTF-8, NFC, and repair of the mojibake some
//! decoders produce when they guess Big5 or Shift_JIS for UTF-8 bytes.

use unicode_normalization::UnicodeNormalization;

/// Strict UTF-8 decoding (no replacement characters), then NFC.
pub fn utf8_nfc(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes).ok().map(nfc)
}

/// NFC normalisation: Vietnamese letters typed or encoded as base letter plus
/// combining marks compare equal to the precomposed ones afterwards.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Characters that never occur on a Vietnamese card but do appear when its UTF-8
/// bytes were decoded as Big5 or Shift_JIS: CJK ideographs, kana (full and half
/// width), CJK symbols and compatibility forms.
pub fn looks_like_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// Whether `text` contains characters of [`looks_like_cjk`].
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(looks_like_cjk)
}

/// Undoes a wrong Big5 or Shift_JIS decoding of UTF-8 bytes: encodes the text
/// back with that charset and decodes the bytes strictly as UTF-8. Returns the
/// repaired text only when the round trip is lossless and leaves no CJK
/// character behind; `None` means the text cannot be trusted.
pub fn repair_mojibake(text: &str) -> Option<String> {
    [encoding_rs::BIG5, encoding_rs::SHIFT_JIS]
        .into_iter()
        .find_map(|charset| {
            if text.contains('\u{FFFD}') {
                return None;
            }
            let (bytes, _, unmappable) = charset.encode(text);
            if unmappable {
                return None;
            }
            let repaired = utf8_nfc(&bytes)?;
            (!has_cjk(&repaired)).then_some(repaired)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_combining_marks() {
        // "ễ" as e + circumflex + tilde.
        assert_eq!(nfc("Nguye\u{302}\u{303}n"), "Nguyễn");
    }

    #[test]
    fn strict_utf8_refuses_invalid_bytes() {
        assert_eq!(utf8_nfc(b"ok"), Some("ok".to_owned()));
        assert_eq!(utf8_nfc(&[0x42, 0xE1, 0xBA]), None);
    }

    #[test]
    fn repairs_big5_and_shift_jis_mojibake() {
        assert_eq!(
            repair_mojibake("B羅i Xu璽n Thu廕要").as_deref(),
            Some("Bùi Xuân Thuận")
        );
        assert_eq!(
            repair_mojibake("Bﾃｹi Huy Tuy盻ハ").as_deref(),
            Some("Bùi Huy Tuyển")
        );
    }

    #[test]
    fn genuine_chinese_is_not_repaired_into_garbage() {
        assert_eq!(repair_mojibake("中文"), None);
        assert_eq!(repair_mojibake("Lỗi \u{FFFD}"), None);
    }
}
