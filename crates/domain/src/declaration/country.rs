//! ISO 3166-1 alpha-2 country codes, for the nationality field.

/// Every officially assigned alpha-2 code.
const ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ \
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT \
GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY \
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX \
MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS \
RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN \
TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Every code, upper case.
pub fn codes() -> impl Iterator<Item = &'static str> {
    ALPHA2.split_ascii_whitespace()
}

/// Whether `code` (any case) is an assigned alpha-2 code.
pub fn is_iso_alpha2(code: &str) -> bool {
    let code = code.trim();
    code.len() == 2 && codes().any(|c| c.eq_ignore_ascii_case(code))
}

/// The Fluent id of a country's name: `country-VN`.
pub fn name_id(code: &str) -> String {
    format!("country-{}", code.trim().to_ascii_uppercase())
}

/// Countries whose code or name (Vietnamese or English, with or without
/// diacritics) matches `query`, best first, at most `limit`: names that
/// start with it, then names that contain it. A visitor may type in either
/// language whatever the screen shows.
pub fn search(query: &str, limit: usize) -> Vec<&'static str> {
    use checkpoint_i18n::{Lang, Localizer};
    let q = crate::address::fold_key(query);
    if q.is_empty() {
        return Vec::new();
    }
    let l10n = Localizer::global();
    let mut hits: Vec<(u8, &'static str)> = codes()
        .filter_map(|code| {
            let id = name_id(code);
            let names = [l10n.text(Lang::Vi, &id), l10n.text(Lang::En, &id)];
            let keys = names.map(|n| crate::address::fold_key(&n));
            let rank = if code.eq_ignore_ascii_case(query.trim()) {
                0
            } else if keys.iter().any(|k| k.starts_with(&q)) {
                1
            } else if keys.iter().any(|k| k.contains(&q)) {
                2
            } else {
                return None;
            };
            Some((rank, code))
        })
        .collect();
    hits.sort_unstable();
    hits.into_iter().take(limit).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_found_in_either_language_without_diacritics() {
        assert_eq!(search("viet", 3).first(), Some(&"VN"));
        assert_eq!(search("han quoc", 3).first(), Some(&"KR"));
        assert!(search("korea", 3).contains(&"KR") && search("korea", 3).contains(&"KP"));
        assert_eq!(search("us", 5).first(), Some(&"US"));
        assert!(search("trung", 5).contains(&"CN"));
        assert!(search("", 5).is_empty());
        assert!(search("zzzz", 5).is_empty());
    }

    #[test]
    fn every_code_has_a_name_in_both_languages() {
        use checkpoint_i18n::{Lang, Localizer};
        for code in codes() {
            for lang in Lang::ALL {
                assert!(
                    Localizer::global().has(lang, &name_id(code)),
                    "{code} {lang}"
                );
            }
        }
    }

    #[test]
    fn the_list_is_complete_and_clean() {
        assert_eq!(codes().count(), 249);
        assert!(codes().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(is_iso_alpha2("VN") && is_iso_alpha2("us") && !is_iso_alpha2("UK"));
        assert!(!is_iso_alpha2("VNM") && !is_iso_alpha2(""));
    }
}
