//! Ranked, diacritic- and case-insensitive search for the province and ward pickers.

use super::data::{Names, Province, ProvinceKind, Ward, WardKind, tables};
use super::fold::{NamePart, Prefix};

/// How well a name matches, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// The whole name or an alias ("hcm").
    Exact,
    /// The name starts with the query.
    NamePrefix,
    /// An alias starts with the query.
    AliasPrefix,
    /// Every query word starts a word of the name, in order ("chi minh").
    WordPrefixes,
    /// The query is somewhere inside the name.
    Inside,
    /// A province merged into this one in 2025 starts with the query.
    MergedName,
}

/// The query, read once per keystroke.
struct Query {
    part: NamePart,
    /// The query had diacritics: prefer names that have the same ones.
    accented: bool,
}

impl Query {
    fn new(text: &str) -> Self {
        let part = NamePart::parse(text);
        let accented = !part.accented.is_ascii();
        Query { part, accented }
    }

    fn is_empty(&self) -> bool {
        self.part.whole_key.is_empty()
    }

    /// The best tier of the name under either reading of the query: with its
    /// type word split off ("xa phin" -> "phin"), or whole ("xaphin").
    fn tier(&self, names: &Names) -> Option<Tier> {
        let stripped = tier_of(&self.part.key, &self.part.words, names);
        if self.part.prefix.is_none() {
            return stripped;
        }
        let whole = tier_of(&self.part.whole_key, &[], names);
        match (stripped, whole) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn same_accents(&self, names: &Names) -> bool {
        self.accented && names.accented.starts_with(&self.part.accented)
    }
}

fn tier_of(key: &str, words: &[String], names: &Names) -> Option<Tier> {
    if key.is_empty() {
        return None;
    }
    if names.key == key || names.aliases.iter().any(|a| a == key) {
        Some(Tier::Exact)
    } else if names.key.starts_with(key) {
        Some(Tier::NamePrefix)
    } else if names.aliases.iter().any(|a| a.starts_with(key)) {
        Some(Tier::AliasPrefix)
    } else if !words.is_empty() && words_in_order(words, &names.words) {
        Some(Tier::WordPrefixes)
    } else if contains_bytes(&names.key, key) {
        Some(Tier::Inside)
    } else if names.merged.iter().any(|m| m.starts_with(key)) {
        Some(Tier::MergedName)
    } else {
        None
    }
}

/// `needle` inside `hay`. Keys are a few ASCII bytes: a plain scan beats
/// setting up `str::contains`'s searcher for each of 3,321 names.
fn contains_bytes(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    !needle.is_empty()
        && hay.len() >= needle.len()
        && hay.windows(needle.len()).any(|w| w == needle)
}

/// Each query word starts a later word of the name than the one before it.
fn words_in_order(query: &[String], name: &[String]) -> bool {
    let mut rest = name.iter();
    query
        .iter()
        .all(|q| rest.by_ref().any(|w| w.starts_with(q.as_str())))
}

/// Ranks `names` against `query`; `kind_fits` says whether item `i` has the
/// type the query's type word asked for. Returns item indices, best first.
fn ranked(
    query: &Query,
    items: std::ops::Range<usize>,
    names: &[Names],
    kind_fits: impl Fn(usize, Prefix) -> bool,
    limit: usize,
) -> Vec<usize> {
    if query.is_empty() {
        return items.take(limit).collect();
    }
    // Best tier first; then the diacritics and the type word typed; then
    // alphabetical, which is what a person scanning a list expects.
    let mut hits: Vec<(Tier, bool, bool, &str, usize)> = items
        .filter_map(|i| {
            let n = &names[i];
            let tier = query.tier(n)?;
            let kind_miss = query.part.prefix.is_some_and(|p| !kind_fits(i, p));
            Some((tier, !query.same_accents(n), kind_miss, n.key.as_str(), i))
        })
        .collect();
    if hits.len() > limit {
        hits.select_nth_unstable(limit);
        hits.truncate(limit);
    }
    hits.sort_unstable();
    hits.into_iter().map(|h| h.4).collect()
}

/// Provinces whose name matches `query`, best first, at most `limit`.
/// An empty query lists every province in alphabetical order.
pub fn search_provinces(query: &str, limit: usize) -> Vec<&'static Province> {
    let t = tables();
    let query = Query::new(query);
    let order: Vec<usize> = if query.is_empty() {
        let mut all: Vec<usize> = (0..t.provinces.len()).collect();
        all.sort_by(|&a, &b| t.province_names[a].key.cmp(&t.province_names[b].key));
        all.truncate(limit);
        all
    } else {
        let fits = |i: usize, p: Prefix| province_kind_fits(t.provinces[i].kind, p);
        ranked(&query, 0..t.provinces.len(), &t.province_names, fits, limit)
    };
    order.into_iter().map(|i| &t.provinces[i]).collect()
}

/// Wards, communes and special zones whose name matches `query`, best first,
/// at most `limit`; only those of `province_code` when it is given.
/// An empty query lists them in alphabetical order.
pub fn search_wards(query: &str, province_code: Option<&str>, limit: usize) -> Vec<&'static Ward> {
    let t = tables();
    let range = match province_code {
        Some(code) => t.ward_ranges.get(code).cloned().unwrap_or(0..0),
        None => 0..t.wards.len(),
    };
    let query = Query::new(query);
    let order = if query.is_empty() && province_code.is_none() {
        let mut all: Vec<usize> = range.collect();
        all.sort_by(|&a, &b| t.ward_names[a].key.cmp(&t.ward_names[b].key));
        all.truncate(limit);
        all
    } else {
        let fits = |i: usize, p: Prefix| ward_kind_fits(t.wards[i].kind, p);
        ranked(&query, range, &t.ward_names, fits, limit)
    };
    order.into_iter().map(|i| &t.wards[i]).collect()
}

/// Whether a type word names this kind of province-level unit.
pub(crate) fn province_kind_fits(kind: ProvinceKind, prefix: Prefix) -> bool {
    matches!(
        (kind, prefix),
        (ProvinceKind::Province, Prefix::Tinh) | (ProvinceKind::City, Prefix::ThanhPho)
    )
}

/// Whether a type word names this kind of ward-level unit.
pub(crate) fn ward_kind_fits(kind: WardKind, prefix: Prefix) -> bool {
    matches!(
        (kind, prefix),
        (WardKind::Ward, Prefix::Phuong)
            | (WardKind::Commune, Prefix::Xa)
            | (WardKind::SpecialZone, Prefix::DacKhu)
            | (WardKind::Township, Prefix::ThiTran)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_province(q: &str) -> Option<String> {
        search_provinces(q, 5).first().map(|p| p.name.clone())
    }

    #[test]
    fn provinces_by_any_spelling() {
        for q in [
            "ha noi",
            "Hà Nội",
            "HANOI",
            "hn",
            "thanh pho ha noi",
            "TP. Hà Nội",
        ] {
            assert_eq!(
                first_province(q).as_deref(),
                Some("Thành phố Hà Nội"),
                "{q}"
            );
        }
        for q in [
            "ho chi minh",
            "hcm",
            "tp hcm",
            "TP.HCM",
            "tphcm",
            "Sài Gòn",
            "chi minh",
        ] {
            assert_eq!(
                first_province(q).as_deref(),
                Some("Thành phố Hồ Chí Minh"),
                "{q}"
            );
        }
        assert_eq!(first_province("dak lak").as_deref(), Some("Tỉnh Đắk Lắk"));
        assert_eq!(first_province("đồng"), first_province("dong"));
    }

    #[test]
    fn a_merged_province_finds_the_one_it_joined() {
        assert_eq!(
            first_province("thai binh").as_deref(),
            Some("Tỉnh Hưng Yên")
        );
        assert_eq!(
            first_province("Bình Dương").as_deref(),
            Some("Thành phố Hồ Chí Minh")
        );
        // Current names come first: "ha" lists Hà Nội before Tuyên Quang (ex-Hà Giang).
        let hits: Vec<_> = search_provinces("ha", 40)
            .iter()
            .map(|p| p.code.clone())
            .collect();
        let hanoi = hits.iter().position(|c| c == "01");
        let tuyen_quang = hits.iter().position(|c| c == "08");
        assert!(
            hanoi.is_some() && tuyen_quang.is_some() && hanoi < tuyen_quang,
            "{hits:?}"
        );
    }

    #[test]
    fn no_match_is_empty_and_empty_query_lists_all() {
        assert!(search_provinces("zzzz", 10).is_empty());
        assert_eq!(search_provinces("", 100).len(), 34);
        assert_eq!(search_provinces("", 3).len(), 3);
        assert!(search_provinces("ha", 0).is_empty());
    }

    #[test]
    fn prefix_ranks_before_inside() {
        let names: Vec<_> = search_provinces("an", 10)
            .iter()
            .map(|p| p.short_name.clone())
            .collect();
        assert_eq!(names.first().map(String::as_str), Some("An Giang"));
        // "Nghệ An" contains "an" only inside: it comes after the name prefixes.
        let pos_an_giang = names.iter().position(|n| n == "An Giang");
        let pos_nghe_an = names.iter().position(|n| n == "Nghệ An");
        assert!(pos_nghe_an.is_none() || pos_an_giang < pos_nghe_an);
    }

    #[test]
    fn wards_within_a_province() {
        let hits = search_wards("hoan kiem", Some("01"), 5);
        assert_eq!(
            hits.first().map(|w| w.name.as_str()),
            Some("Phường Hoàn Kiếm")
        );
        assert!(search_wards("hoan kiem", Some("79"), 5).is_empty());
        assert!(search_wards("anything", Some("nope"), 5).is_empty());
        assert_eq!(
            search_wards("", Some("01"), 1000).len(),
            tables().wards_of("01").len()
        );
    }

    #[test]
    fn accents_break_ties() {
        // Two communes of Hải Phòng fold to the same key.
        let grave = search_wards("Cẩm Giàng", Some("31"), 2);
        assert_eq!(
            grave.first().map(|w| w.short_name.as_str()),
            Some("Cẩm Giàng")
        );
        let plain = search_wards("Cẩm Giang", Some("31"), 2);
        assert_eq!(
            plain.first().map(|w| w.short_name.as_str()),
            Some("Cẩm Giang")
        );
    }

    #[test]
    fn type_word_prefers_that_kind() {
        // "Xã A Lưới 1" and its neighbours: the type word and the number both count.
        let hits = search_wards("xa a luoi 1", None, 3);
        assert_eq!(hits.first().map(|w| w.name.as_str()), Some("Xã A Lưới 1"));
    }
}
