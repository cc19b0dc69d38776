//! The on-screen keyboard of a touch kiosk. It types into the text field the
//! visitor last tapped (the "target"), which the screen names and keeps:
//! the keyboard only turns a key and the field's text into the new text.
//! Physical keyboards and scanners go on reaching the fields directly.
//!
//! Vietnamese is typed with a row of its own letters (ă â đ ê ô ơ ư) and
//! five tone keys that mark the word being typed (see [`tones`]): nothing to
//! learn, unlike Telex or VNI, whose double letters surprise anyone who has
//! not used them (and foreigners typing an address).

pub mod tones;
mod view;

pub use tones::Tone;
pub use view::view;

/// How a field is typed: which layout opens, and how letters are cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A person's name: each word starts with a capital.
    Name,
    /// Free text: letters as typed.
    Text,
    /// Document numbers that may hold letters (passports): capitals.
    Code,
    /// Digits first (ID number, year, date).
    Number,
    /// Digits and "+".
    Phone,
}

impl Kind {
    fn opens_numbers(self) -> bool {
        matches!(self, Kind::Number | Kind::Phone)
    }
}

/// Letters or the number pad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    Letters,
    Numbers,
}

/// The field being typed into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The field's widget id (the screen maps it to its value).
    pub field: &'static str,
    pub kind: Kind,
}

/// A key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    Char(char),
    Tone(Tone),
    Backspace,
    Space,
    Shift,
    /// Letters ⇄ number pad.
    Layout,
    /// Put the keyboard away.
    Hide,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    None,
    /// The target field's new text.
    Set(&'static str, String),
}

/// Whether the keyboard is on, and where it types.
#[derive(Debug, Clone, Default)]
pub struct State {
    enabled: bool,
    target: Option<Target>,
    layout: Layout,
    shift: bool,
}

impl State {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            ..Self::default()
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The field typed into while the keyboard is shown.
    pub fn target(&self) -> Option<Target> {
        self.target.filter(|_| self.enabled)
    }

    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The visitor tapped a field: type into it, on the layout it needs.
    pub fn attach(&mut self, target: Target) {
        if self.target.map(|t| t.field) != Some(target.field) {
            self.layout = if target.kind.opens_numbers() {
                Layout::Numbers
            } else {
                Layout::Letters
            };
            self.shift = false;
        }
        self.target = Some(target);
    }

    /// Another page or screen: nothing to type into.
    pub fn detach(&mut self) {
        self.target = None;
        self.shift = false;
    }

    /// Whether the next letter is a capital (the Shift key lights up).
    pub fn capital_next(&self, current: &str) -> bool {
        let Some(target) = self.target else {
            return false;
        };
        self.shift
            || target.kind == Kind::Code
            || (target.kind == Kind::Name
                && current
                    .chars()
                    .last()
                    .is_none_or(|c| c.is_whitespace() || c == '-'))
    }

    /// A key pressed while the target's text is `current`.
    pub fn press(&mut self, key: Message, current: &str) -> Outcome {
        let Some(target) = self.target() else {
            return Outcome::None;
        };
        let text = match key {
            Message::Char(c) => {
                let c = if c.is_alphabetic() && self.capital_next(current) {
                    c.to_uppercase().next().unwrap_or(c)
                } else {
                    c
                };
                self.shift = false;
                tones::append_letter(current, c)
            }
            Message::Tone(tone) => tones::apply_tone(current, tone),
            Message::Backspace => {
                let mut s = current.to_owned();
                s.pop();
                s
            }
            // One space between words is enough; none at the start.
            Message::Space if current.is_empty() || current.ends_with(' ') => return Outcome::None,
            Message::Space => format!("{current} "),
            Message::Shift => {
                self.shift = !self.shift;
                return Outcome::None;
            }
            Message::Layout => {
                self.layout = match self.layout {
                    Layout::Letters => Layout::Numbers,
                    Layout::Numbers => Layout::Letters,
                };
                return Outcome::None;
            }
            Message::Hide => {
                self.detach();
                return Outcome::None;
            }
        };
        Outcome::Set(target.field, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: Kind, keys: &[Message]) -> String {
        let mut state = State::new(true);
        state.attach(Target { field: "f", kind });
        let mut text = String::new();
        for key in keys {
            if let Outcome::Set(_, t) = state.press(*key, &text) {
                text = t;
            }
        }
        text
    }

    fn chars(s: &str) -> Vec<Message> {
        s.chars()
            .map(|c| {
                if c == ' ' {
                    Message::Space
                } else {
                    Message::Char(c)
                }
            })
            .collect()
    }

    #[test]
    fn a_name_gets_capitals_at_each_word_without_shift() {
        let mut keys = chars("nguyên");
        keys.push(Message::Tone(Tone::Tilde));
        keys.extend(chars(" thi"));
        keys.push(Message::Tone(Tone::Dot));
        keys.extend(chars(" anh"));
        keys.push(Message::Tone(Tone::Acute));
        assert_eq!(typed(Kind::Name, &keys), "Nguyễn Thị Ánh");
    }

    #[test]
    fn shift_capitalises_one_letter_and_codes_are_all_capitals() {
        let mut keys = vec![Message::Shift];
        keys.extend(chars("ha noi"));
        assert_eq!(typed(Kind::Text, &keys), "Ha noi");
        assert_eq!(typed(Kind::Code, &chars("b1234567")), "B1234567");
    }

    #[test]
    fn backspace_removes_one_letter_and_spaces_do_not_pile_up() {
        let mut keys = chars(" ab  c");
        keys.push(Message::Backspace);
        keys.push(Message::Backspace);
        assert_eq!(typed(Kind::Text, &keys), "ab");
    }

    #[test]
    fn numeric_fields_open_the_number_pad_and_hide_detaches() {
        let mut state = State::new(true);
        state.attach(Target {
            field: "phone",
            kind: Kind::Phone,
        });
        assert_eq!(state.layout(), Layout::Numbers);
        state.press(Message::Layout, "");
        assert_eq!(state.layout(), Layout::Letters);
        state.press(Message::Hide, "");
        assert_eq!(state.target(), None);
        assert_eq!(state.press(Message::Char('1'), ""), Outcome::None);
    }

    #[test]
    fn a_disabled_keyboard_never_types() {
        let mut state = State::new(false);
        state.attach(Target {
            field: "f",
            kind: Kind::Text,
        });
        assert_eq!(state.target(), None);
        assert_eq!(state.press(Message::Char('a'), ""), Outcome::None);
    }
}
