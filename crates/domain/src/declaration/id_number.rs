//! Identity document numbers and phone numbers: their shapes, checked the way
//! the issuing authorities define them.

use super::model::DocumentKind;

/// Province codes that open a 12-digit CCCD number: the 63 provinces of the
/// list in force when the cards were designed (2016). Cards issued after the
/// 2025 merger keep using codes from this list.
pub const CCCD_PROVINCE_CODES: [&str; 63] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// Why a document number is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentProblem {
    /// CCCD: not 12 digits.
    CccdShape,
    /// CCCD: the first three digits are not a province code.
    CccdProvince,
    /// CMND: not 9 digits.
    CmndShape,
    /// Passport: not 6 to 9 letters and digits.
    PassportShape,
    /// Any kind: longer than any real document number.
    TooLong,
}

/// The number as people type it: spaces and dashes removed, letters upper-cased.
pub fn normalize_document(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Checks a document number (already normalised) against its kind.
pub fn check_document(kind: DocumentKind, number: &str) -> Result<(), DocumentProblem> {
    let digits = |n: usize| number.len() == n && number.bytes().all(|b| b.is_ascii_digit());
    match kind {
        DocumentKind::Cccd if !digits(12) => Err(DocumentProblem::CccdShape),
        DocumentKind::Cccd if !CCCD_PROVINCE_CODES.contains(&&number[..3]) => {
            Err(DocumentProblem::CccdProvince)
        }
        DocumentKind::Cmnd if !digits(9) => Err(DocumentProblem::CmndShape),
        DocumentKind::Passport
            if !(6..=9).contains(&number.len())
                || !number.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            Err(DocumentProblem::PassportShape)
        }
        DocumentKind::Other if number.chars().count() > 40 => Err(DocumentProblem::TooLong),
        _ => Ok(()),
    }
}

/// A Vietnamese phone number in its canonical form (`0` + 9 digits), from
/// `0xxxxxxxxx` or `+84xxxxxxxxx`, with spaces, dots, dashes and brackets
/// allowed in between. `None` when it is not one.
pub fn normalize_phone(phone: &str) -> Option<String> {
    let compact: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    let national = match compact.strip_prefix("+84") {
        Some(rest) => rest,
        None => compact.strip_prefix('0')?,
    };
    // A leading 0 after +84 is a common slip ("+84 0912…"): not a valid number.
    (national.len() == 9
        && national.bytes().all(|b| b.is_ascii_digit())
        && !national.starts_with('0'))
    .then(|| format!("0{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cccd() {
        assert_eq!(check_document(DocumentKind::Cccd, "001098012345"), Ok(()));
        assert_eq!(check_document(DocumentKind::Cccd, "079304001234"), Ok(()));
        assert_eq!(
            check_document(DocumentKind::Cccd, "003098012345"),
            Err(DocumentProblem::CccdProvince)
        );
        assert_eq!(
            check_document(DocumentKind::Cccd, "0010980123"),
            Err(DocumentProblem::CccdShape)
        );
        assert_eq!(
            check_document(DocumentKind::Cccd, "00109801234a"),
            Err(DocumentProblem::CccdShape)
        );
        assert_eq!(
            check_document(DocumentKind::Cccd, "ÀÀÀÀÀÀÀÀÀÀÀÀ"),
            Err(DocumentProblem::CccdShape)
        );
    }

    #[test]
    fn cmnd_and_passport() {
        assert_eq!(check_document(DocumentKind::Cmnd, "012345678"), Ok(()));
        assert_eq!(
            check_document(DocumentKind::Cmnd, "01234567"),
            Err(DocumentProblem::CmndShape)
        );
        assert_eq!(check_document(DocumentKind::Passport, "C1234567"), Ok(()));
        assert_eq!(check_document(DocumentKind::Passport, "B123456"), Ok(()));
        assert_eq!(
            check_document(DocumentKind::Passport, "C12"),
            Err(DocumentProblem::PassportShape)
        );
        assert_eq!(
            check_document(DocumentKind::Passport, "C123456789"),
            Err(DocumentProblem::PassportShape)
        );
        assert_eq!(check_document(DocumentKind::Other, "anything 1/2"), Ok(()));
    }

    #[test]
    fn normalizes_typed_numbers() {
        assert_eq!(normalize_document(" 001 098-012 345 "), "001098012345");
        assert_eq!(normalize_document("c1234567"), "C1234567");
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("0912345678").as_deref(), Some("0912345678"));
        assert_eq!(
            normalize_phone("+84912345678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            normalize_phone("+84 91 234 5678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            normalize_phone("091.234.5678").as_deref(),
            Some("0912345678")
        );
        assert_eq!(normalize_phone("091234567"), None);
        assert_eq!(normalize_phone("09123456789"), None);
        assert_eq!(normalize_phone("+840912345678"), None);
        assert_eq!(normalize_phone("912345678"), None);
        assert_eq!(normalize_phone("+1 555 0100"), None);
        assert_eq!(normalize_phone("0912a45678"), None);
        assert_eq!(normalize_phone(""), None);
    }
}
