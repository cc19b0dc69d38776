//! Masking of personal data for logs and lists: enough to tell records apart
//! at a glance, never enough to identify a visitor.
//!
//! `mask::name("NGUYỄN VĂN A")` gives `N***N V** A`; `mask::number("001098012345")`
//! gives `0010****2345`.

/// A person's name, word by word: a short word keeps its first letter, a long
/// one its first and last, with a fixed run of stars so the length stays hidden.
pub fn name(value: &str) -> String {
    value
        .split_whitespace()
        .map(word)
        .collect::<Vec<_>>()
        .join(" ")
}

fn word(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [only] => only.to_string(),
        [first, rest @ ..] if rest.len() <= 2 => {
            let mut s = first.to_string();
            s.extend(std::iter::repeat_n('*', rest.len()));
            s
        }
        [first, .., last] => format!("{first}***{last}"),
    }
}

/// An ID, passport or phone number: a third at each end stays (at most four
/// characters), the middle becomes stars. Numbers shorter than four characters
/// are hidden entirely.
pub fn number(value: &str) -> String {
    let chars: Vec<char> = value.chars().filter(|c| !c.is_whitespace()).collect();
    let n = chars.len();
    if n < 4 {
        return "*".repeat(n);
    }
    let keep = (n / 3).min(4);
    let mut s: String = chars[..keep].iter().collect();
    s.extend(std::iter::repeat_n('*', n - 2 * keep));
    s.extend(&chars[n - keep..]);
    s
}

/// Free text (street, places): only its length.
pub fn text(value: &str) -> String {
    format!("<{} chars>", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_initials_and_hide_length() {
        assert_eq!(name("NGUYỄN VĂN A"), "N***N V** A");
        assert_eq!(name("  Lê   Thị  Hồng "), "L* T** H***g");
        assert_eq!(name(""), "");
        // Four letters or eleven: the same mask.
        assert_eq!(name("Bartholomew"), "B***w");
        assert_eq!(name("Barw"), "B***w");
    }

    #[test]
    fn numbers_keep_a_third_at_each_end() {
        assert_eq!(number("001098012345"), "0010****2345");
        assert_eq!(number("0912345678"), "091****678");
        assert_eq!(number("123456789"), "123***789");
        assert_eq!(number("B1234567"), "B1****67");
        assert_eq!(number("123"), "***");
        assert_eq!(number("+84 912 345 678"), "+849****5678");
    }

    #[test]
    fn masking_never_reveals_the_middle() {
        for s in ["001098012345", "0912345678", "NGUYỄN VĂN ANH"] {
            let m = number(s);
            assert_ne!(m, s);
            assert!(m.contains('*'));
        }
        assert_eq!(text("Số 1 Đại Cồ Việt"), "<16 chars>");
    }
}
