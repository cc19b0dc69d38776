//! Vietnamese tone marks for the on-screen keyboard: a tone key puts its
//! mark on the right vowel of the word being typed, whatever order the
//! visitor taps in. The letters with hats and horns (ă â ê ô ơ ư đ) are keys
//! of their own, so the only rule to know is where a tone sits.
//!
//! Placement follows the traditional style of names on ID cards ("Hòa",
//! "Thủy"): the vowel with a hat or horn takes it (the later one in "ươ");
//! otherwise a single vowel takes it; a cluster followed by a final
//! consonant puts it on its last vowel ("hoàn"); an open cluster of two on
//! its first ("mùa"), of three on its middle ("ngoài"). The "u" of "qu" and
//! the "i" of "gi" before another vowel are part of the consonant.

/// The five marks (and none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    None,
    /// huyền: à
    Grave,
    /// sắc: á
    Acute,
    /// hỏi: ả
    Hook,
    /// ngã: ã
    Tilde,
    /// nặng: ạ
    Dot,
}

impl Tone {
    /// The keys in the order Vietnamese keyboards show them.
    pub const MARKS: [Tone; 5] = [Tone::Acute, Tone::Grave, Tone::Hook, Tone::Tilde, Tone::Dot];

    fn column(self) -> usize {
        match self {
            Tone::None => 0,
            Tone::Grave => 1,
            Tone::Acute => 2,
            Tone::Hook => 3,
            Tone::Tilde => 4,
            Tone::Dot => 5,
        }
    }

    fn of_column(i: usize) -> Tone {
        [
            Tone::None,
            Tone::Grave,
            Tone::Acute,
            Tone::Hook,
            Tone::Tilde,
            Tone::Dot,
        ][i]
    }

    /// A stable name for widget ids.
    pub fn key(self) -> &'static str {
        match self {
            Tone::None => "none",
            Tone::Grave => "grave",
            Tone::Acute => "acute",
            Tone::Hook => "hook",
            Tone::Tilde => "tilde",
            Tone::Dot => "dot",
        }
    }

    /// The key's face: the mark on an "a".
    pub fn sample(self) -> char {
        mark('a', self)
    }
}

/// Each vowel with its tones, in the columns of [`Tone::column`].
const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// A vowel taken apart: its row in [`VOWELS`], its tone, its case.
#[derive(Debug, Clone, Copy)]
struct Vowel {
    row: usize,
    tone: Tone,
    upper: bool,
}

fn vowel(c: char) -> Option<Vowel> {
    let lower = c.to_lowercase().next()?;
    VOWELS.iter().enumerate().find_map(|(row, tones)| {
        tones.iter().position(|t| *t == lower).map(|col| Vowel {
            row,
            tone: Tone::of_column(col),
            upper: lower != c,
        })
    })
}

fn compose(v: Vowel, tone: Tone) -> char {
    let c = VOWELS[v.row][tone.column()];
    if v.upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// `c` with `tone` (its own tone replaced); `c` itself when not a vowel.
pub fn mark(c: char, tone: Tone) -> char {
    vowel(c).map_or(c, |v| compose(v, tone))
}

/// The vowel rows with a hat or a horn (ă â ê ô ơ ư).
fn is_modified(row: usize) -> bool {
    matches!(row, 1 | 2 | 4 | 7 | 8 | 10)
}

/// Where in `word` (char indices) the tone goes; `None` without a vowel.
fn tone_position(word: &[char]) -> Option<usize> {
    let vowels: Vec<(usize, Vowel)> = word
        .iter()
        .enumerate()
        .filter_map(|(i, c)| vowel(*c).map(|v| (i, v)))
        .collect();
    let (first, _) = *vowels.first()?;
    // The cluster: the first run of vowels (one syllable has one).
    let mut cluster: Vec<(usize, Vowel)> = vowels
        .iter()
        .copied()
        .take_while(|(i, _)| word_is_vowel_run(word, first, *i))
        .collect();
    let lower = |i: usize| word[i].to_lowercase().next().unwrap_or(word[i]);
    // "qu", "gi": their vowel belongs to the consonant when another follows.
    if cluster.len() > 1 && first == 1 {
        let (c0, c1) = (lower(0), lower(1));
        if (c0 == 'q' && c1 == 'u') || (c0 == 'g' && c1 == 'i') {
            cluster.remove(0);
        }
    }
    if let Some((i, _)) = cluster.iter().rev().find(|(_, v)| is_modified(v.row)) {
        return Some(*i);
    }
    let last = cluster.last()?.0;
    let closed = word.len() > last + 1;
    Some(match (cluster.len(), closed) {
        (1, _) | (_, true) => last,
        (2, false) => cluster[0].0,
        _ => cluster[1].0,
    })
}

fn word_is_vowel_run(word: &[char], from: usize, to: usize) -> bool {
    word[from..=to].iter().all(|c| vowel(*c).is_some())
}

/// The tone the word carries now, if any.
fn tone_of(word: &[char]) -> Tone {
    word.iter()
        .filter_map(|c| vowel(*c))
        .map(|v| v.tone)
        .find(|t| *t != Tone::None)
        .unwrap_or(Tone::None)
}

/// Puts `tone` on the word (no tone at all with [`Tone::None`]).
fn place(word: &mut [char], tone: Tone) {
    for c in word.iter_mut() {
        *c = mark(*c, Tone::None);
    }
    if tone != Tone::None
        && let Some(i) = tone_position(word)
    {
        word[i] = mark(word[i], tone);
    }
}

/// The last word of `text` (letters only) as its char range.
fn last_word(chars: &[char]) -> std::ops::Range<usize> {
    let end = chars.len();
    let start = chars
        .iter()
        .rposition(|c| !c.is_alphabetic())
        .map_or(0, |i| i + 1);
    start..end
}

/// A tone key on `text`: marks its last word, or takes the mark off when
/// the word already has this one. Text without a vowel at its end is kept.
pub fn apply_tone(text: &str, tone: Tone) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let range = last_word(&chars);
    let word = &mut chars[range];
    if tone_position(word).is_none() {
        return text.to_owned();
    }
    let new = if tone_of(word) == tone {
        Tone::None
    } else {
        tone
    };
    place(word, new);
    chars.into_iter().collect()
}

/// A letter typed at the end of `text`: the word's tone moves where the
/// longer word wants it ("hò" + "a" + "n" is "hoàn").
pub fn append_letter(text: &str, letter: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    chars.push(letter);
    let range = last_word(&chars);
    let word = &mut chars[range];
    let tone = tone_of(word);
    if tone != Tone::None {
        place(word, tone);
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(taps: &[&str]) -> String {
        let mut text = String::new();
        for tap in taps {
            text = match *tap {
                "'" => apply_tone(&text, Tone::Acute),
                "`" => apply_tone(&text, Tone::Grave),
                "?" => apply_tone(&text, Tone::Hook),
                "~" => apply_tone(&text, Tone::Tilde),
                "." => apply_tone(&text, Tone::Dot),
                letters => letters.chars().fold(text, |t, c| append_letter(&t, c)),
            };
        }
        text
    }

    #[test]
    fn names_come_out_right_whenever_the_tone_is_tapped() {
        assert_eq!(typed(&["Nguyên", "~"]), "Nguyễn");
        assert_eq!(typed(&["Nguyê", "~", "n"]), "Nguyễn");
        assert_eq!(typed(&["Thi", "."]), "Thị");
        assert_eq!(typed(&["Anh", "'"]), "Ánh");
        assert_eq!(typed(&["A", "'", "nh"]), "Ánh");
        assert_eq!(typed(&["Trân", "`", " Văn"]), "Trần Văn");
        assert_eq!(typed(&["Hoa", "`"]), "Hòa");
        assert_eq!(typed(&["ho", "`", "an"]), "hoàn");
        assert_eq!(typed(&["Thuy", "?"]), "Thủy");
        assert_eq!(typed(&["Qua", "?", "ng"]), "Quảng");
        assert_eq!(typed(&["gia", "'"]), "giá");
        assert_eq!(typed(&["gi", "`"]), "gì");
        assert_eq!(typed(&["ngoai", "`"]), "ngoài");
        assert_eq!(
            typed(&["người", "`"]),
            "ngươi",
            "the same tone again takes it off"
        );
        assert_eq!(typed(&["ngươi", "`"]), "người");
        assert_eq!(typed(&["rươu", "."]), "rượu");
        assert_eq!(typed(&["khuyu", "?"]), "khuỷu");
        assert_eq!(typed(&["Đăk", "'", " Lăk", "'"]), "Đắk Lắk");
        assert_eq!(typed(&["THU", "?"]), "THỦ");
    }

    #[test]
    fn the_same_tone_again_takes_it_off_and_another_replaces_it() {
        assert_eq!(typed(&["ma", "'", "'"]), "ma");
        assert_eq!(typed(&["ma", "'", "`"]), "mà");
        assert_eq!(typed(&["má", "~"]), "mã");
    }

    #[test]
    fn a_tone_without_a_vowel_changes_nothing() {
        assert_eq!(apply_tone("", Tone::Acute), "");
        assert_eq!(apply_tone("Nguyễn ", Tone::Acute), "Nguyễn ");
        assert_eq!(apply_tone("12", Tone::Dot), "12");
        assert_eq!(apply_tone("nh", Tone::Dot), "nh");
    }

    #[test]
    fn every_vowel_takes_every_tone_and_gives_it_back() {
        for row in VOWELS {
            for tone in Tone::MARKS {
                let c = mark(row[0], tone);
                assert_eq!(mark(c, Tone::None), row[0]);
                let upper = row[0].to_uppercase().next().unwrap();
                assert_eq!(
                    mark(upper, tone),
                    c.to_uppercase().next().unwrap(),
                    "{upper} {tone:?}"
                );
            }
        }
    }
}
