//! Text folding for matching Vietnamese place names: diacritics, case, spacing,
//! "đ", leading zeros and the type words people put before a name
//! ("Tỉnh", "TP.", "Q.1", "P12", "Xã").
//!
//! Two views of a text are used: the *key* (ASCII letters and digits only,
//! "Thị trấn Đông Anh" -> "thitrandonganh"), which is what matching compares,
//! and the *accented* form (lower case with diacritics, letters and digits
//! only), which only breaks ties between names that fold to the same key
//! ("Sa Pa" / "Sa Pả"). The key must stay identical to `fold()` in
//! `crates/domain/assets/admin-units/regenerate.py`, which folds the alias keys.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

/// The type word written before a name. Which levels it may stand for is
/// decided by the `fits_*` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// Tỉnh.
    Tinh,
    /// Thành phố, TP: a province-level or a district-level city.
    ThanhPho,
    /// Quận, Q.
    Quan,
    /// Huyện, H.
    Huyen,
    /// Thị xã, TX.
    ThiXa,
    /// Phường, P.
    Phuong,
    /// Xã, X.
    Xa,
    /// Thị trấn, TT.
    ThiTran,
    /// Đặc khu.
    DacKhu,
}

impl Prefix {
    pub(crate) fn is_province_level(self) -> bool {
        matches!(self, Prefix::Tinh | Prefix::ThanhPho)
    }

    pub(crate) fn is_district_level(self) -> bool {
        matches!(
            self,
            Prefix::ThanhPho | Prefix::Quan | Prefix::Huyen | Prefix::ThiXa
        )
    }

    pub(crate) fn is_ward_level(self) -> bool {
        matches!(
            self,
            Prefix::Phuong | Prefix::Xa | Prefix::ThiTran | Prefix::DacKhu
        )
    }
}

/// How a prefix is written. Unaccented forms ("xa") may be the first syllable
/// of a name instead: matching falls back to [`NamePart::whole_key`].
struct PrefixForm {
    words: &'static [&'static str],
    prefix: Prefix,
}

/// Longest forms first, so "thành phố" wins over a shorter form.
const PREFIX_FORMS: &[PrefixForm] = &[
    pf(&["thành", "phố"], Prefix::ThanhPho),
    pf(&["thanh", "pho"], Prefix::ThanhPho),
    pf(&["thị", "xã"], Prefix::ThiXa),
    pf(&["thi", "xa"], Prefix::ThiXa),
    pf(&["thị", "trấn"], Prefix::ThiTran),
    pf(&["thi", "tran"], Prefix::ThiTran),
    pf(&["đặc", "khu"], Prefix::DacKhu),
    pf(&["dac", "khu"], Prefix::DacKhu),
    pf(&["tỉnh"], Prefix::Tinh),
    pf(&["tinh"], Prefix::Tinh),
    pf(&["tp"], Prefix::ThanhPho),
    pf(&["quận"], Prefix::Quan),
    pf(&["quan"], Prefix::Quan),
    pf(&["q"], Prefix::Quan),
    pf(&["huyện"], Prefix::Huyen),
    pf(&["huyen"], Prefix::Huyen),
    pf(&["h"], Prefix::Huyen),
    pf(&["tx"], Prefix::ThiXa),
    pf(&["phường"], Prefix::Phuong),
    pf(&["phuong"], Prefix::Phuong),
    pf(&["p"], Prefix::Phuong),
    pf(&["xã"], Prefix::Xa),
    pf(&["xa"], Prefix::Xa),
    pf(&["x"], Prefix::Xa),
    pf(&["tt"], Prefix::ThiTran),
];

const fn pf(words: &'static [&'static str], prefix: Prefix) -> PrefixForm {
    PrefixForm { words, prefix }
}

/// One name as written, split into its optional type word and the name proper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamePart {
    /// The type word, if the text started with one and something followed it.
    pub prefix: Option<Prefix>,
    /// Folded key of the name after the type word.
    pub key: String,
    /// Accented lower-case form of the name after the type word.
    pub accented: String,
    /// Folded key of the whole text, type word included (for names that
    /// merely look like they start with one: "Xà Phìn" written "Xa Phin").
    pub whole_key: String,
    /// Accented lower-case form of the whole text.
    pub whole_accented: String,
    /// Folded words of the name after the type word (for the picker's search).
    pub words: Vec<String>,
}

impl NamePart {
    /// Splits `text` into type word and name.
    pub(crate) fn parse(text: &str) -> NamePart {
        let words = accented_words(text);
        let whole_key = fold_key(text);
        let (prefix, rest) = split_prefix(&words);
        let rest_text = rest.join(" ");
        let folded: Vec<String> = fold_words(&rest_text);
        NamePart {
            prefix,
            key: folded.concat(),
            accented: rest.concat(),
            whole_key,
            whole_accented: words.concat(),
            words: folded,
        }
    }
}

/// Lower-cased words with diacritics, split on anything that is not a letter
/// or digit; "Q1"/"P12" become two words ("q", "1").
fn accented_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for raw in text
        .nfc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        match split_letter_number(raw) {
            Some((letters, digits)) => {
                words.push(letters.to_owned());
                words.push(digits.to_owned());
            }
            None => words.push(raw.to_owned()),
        }
    }
    words
}

/// "q1" -> ("q", "1"), "p12" -> ("p", "12"), "tp1" -> None (no such form).
fn split_letter_number(word: &str) -> Option<(&str, &str)> {
    let at = word.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = word.split_at(at);
    let known = matches!(letters, "p" | "q" | "f");
    (known && digits.chars().all(|c| c.is_ascii_digit())).then_some((letters, digits))
}

fn split_prefix(words: &[String]) -> (Option<Prefix>, &[String]) {
    for form in PREFIX_FORMS {
        let n = form.words.len();
        if words.len() > n && words.iter().zip(form.words).all(|(w, f)| w == f) {
            return (Some(form.prefix), &words[n..]);
        }
    }
    // Saigon's colloquial "F.12" for Phường 12.
    if words.len() == 2 && words[0] == "f" && words[1].chars().all(|c| c.is_ascii_digit()) {
        return (Some(Prefix::Phuong), &words[1..]);
    }
    (None, words)
}

/// The folded key: ASCII letters and digits only, digit runs without leading
/// zeros. "Phường 01" -> "phuong1", "Đắk Lắk" -> "daklak".
pub(crate) fn fold_key(text: &str) -> String {
    fold_words(text).concat()
}

/// The folded words of `text`, split where a character is neither letter nor
/// digit (after folding).
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        match fold_char(c) {
            Some(folded) => word.push(folded),
            // A lone combining mark (decomposed input) belongs to the letter before it.
            None if is_combining_mark(c) => {}
            None => flush_word(&mut word, &mut words),
        }
    }
    flush_word(&mut word, &mut words);
    words
}

fn flush_word(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() {
        words.push(strip_leading_zeros(word));
        word.clear();
    }
}

/// "01" -> "1", "p007" -> "p7", "0" -> "0": "Phường 01" and "Phường 1" are one name.
fn strip_leading_zeros(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut in_number = false;
    let mut zeros = 0usize;
    for c in word.chars() {
        if c.is_ascii_digit() {
            if !in_number && c == '0' {
                zeros += 1;
                continue;
            }
            in_number = true;
        } else {
            if zeros > 0 && !in_number {
                out.push('0');
            }
            in_number = false;
        }
        zeros = 0;
        out.push(c);
    }
    if zeros > 0 && !in_number {
        out.push('0');
    }
    out
}

/// One character folded to an ASCII lower-case letter or digit, or None.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    if c == 'đ' || c == 'Đ' {
        return Some('d');
    }
    if c.is_ascii() {
        return None;
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() && d.is_ascii_alphanumeric() {
            base = Some(d.to_ascii_lowercase());
        }
    });
    base
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Lower case with diacritics, letters and digits only, NFC: the tie-breaker
/// between names whose keys are equal.
pub(crate) fn accented_key(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_case_and_d() {
        assert_eq!(fold_key("Thị trấn Đông Anh"), "thitrandonganh");
        assert_eq!(fold_key("ĐẮK LẮK"), "daklak");
        assert_eq!(fold_key("Bà Rịa - Vũng Tàu"), "bariavungtau");
        // Decomposed input (combining marks) folds the same as composed.
        assert_eq!(fold_key("Ha\u{0300} No\u{0323}\u{0302}i"), "hanoi");
    }

    #[test]
    fn leading_zeros_do_not_matter() {
        assert_eq!(fold_key("Phường 01"), fold_key("Phường 1"));
        assert_eq!(fold_key("Quận 10"), "quan10");
        assert_eq!(fold_key("0"), "0");
        assert_eq!(fold_key("Khu 007B"), "khu7b");
        assert_eq!(fold_key("00"), "0");
    }

    #[test]
    fn type_words_are_split_off() {
        let p = NamePart::parse("Thành phố Hồ Chí Minh");
        assert_eq!(p.prefix, Some(Prefix::ThanhPho));
        assert_eq!(p.key, "hochiminh");
        let p = NamePart::parse("TP.HCM");
        assert_eq!((p.prefix, p.key.as_str()), (Some(Prefix::ThanhPho), "hcm"));
        let p = NamePart::parse("Q1");
        assert_eq!((p.prefix, p.key.as_str()), (Some(Prefix::Quan), "1"));
        let p = NamePart::parse("P.12");
        assert_eq!((p.prefix, p.key.as_str()), (Some(Prefix::Phuong), "12"));
        let p = NamePart::parse("Xã Quỳnh Hoa");
        assert_eq!((p.prefix, p.key.as_str()), (Some(Prefix::Xa), "quynhhoa"));
        assert_eq!(p.accented, "quỳnhhoa");
    }

    #[test]
    fn a_type_word_alone_is_a_name() {
        let p = NamePart::parse("Xã");
        assert_eq!((p.prefix, p.key.as_str()), (None, "xa"));
        let p = NamePart::parse("");
        assert_eq!((p.prefix, p.key.as_str()), (None, ""));
    }

    #[test]
    fn accented_syllable_is_not_the_type_word() {
        // "Xà Phìn" starts with "xà", not the type word "xã".
        let p = NamePart::parse("Xà Phìn");
        assert_eq!((p.prefix, p.key.as_str()), (None, "xaphin"));
        assert_eq!(p.whole_key, "xaphin");
    }
}
