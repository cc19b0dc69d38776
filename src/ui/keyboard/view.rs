//! How the keyboard looks: big keys in rows, the Vietnamese row only on the
//! Vietnamese form, a number pad for digits. Every key is tagged `osk-…`
//! (`osk-a`, `osk-ê`, `osk-tone-acute`, `osk-7`, `osk-backspace`) for tests.

use iced::widget::{Row, button, column, container, text};
use iced::{Alignment, Element, Length};

use super::{Layout, Message, State, Tone};
use crate::ui::theme::{self, Sizes};
use crate::ui::widget::{tagged, tr};
use checkpoint_i18n::{Lang, fl};

const LETTER_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const VIETNAMESE: &str = "ăâđêôơư";
const NUMBER_ROWS: [&str; 3] = ["123", "456", "789"];
/// The key beside each row of the number pad.
const NUMBER_SIDE: [char; 3] = ['/', '-', '+'];

/// One key: `portion` of the row's width.
struct Key {
    id: String,
    label: String,
    message: Message,
    portion: u16,
    accent: bool,
    lit: bool,
}

impl Key {
    fn new(id: impl Into<String>, label: impl Into<String>, message: Message) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            message,
            portion: 2,
            accent: false,
            lit: false,
        }
    }

    fn char(c: char, capital: bool) -> Self {
        let label = if capital {
            c.to_uppercase().collect()
        } else {
            c.to_string()
        };
        Self::new(format!("osk-{c}"), label, Message::Char(c))
    }

    fn wide(mut self, portion: u16) -> Self {
        self.portion = portion;
        self
    }

    fn accent(mut self) -> Self {
        self.accent = true;
        self
    }

    fn lit(mut self, lit: bool) -> Self {
        self.lit = lit;
        self
    }

    fn view<'a>(self, sizes: Sizes) -> Element<'a, Message> {
        let face = text(self.label)
            .size(sizes.button() * 1.1)
            .font(theme::FONT_SEMIBOLD)
            .align_x(Alignment::Center)
            .align_y(Alignment::Center)
            .width(Length::Fill)
            .height(Length::Fill);
        container(tagged(
            self.id,
            button(face)
                .width(Length::Fill)
                .height(Length::Fixed(key_height(sizes)))
                .padding(2)
                .on_press(self.message)
                .style(theme::keyboard_key(self.accent, self.lit)),
        ))
        .width(Length::FillPortion(self.portion))
        .into()
    }
}

fn key_height(sizes: Sizes) -> f32 {
    theme::TOUCH * 1.05 * sizes.scale
}

fn row_of<'a>(keys: Vec<Key>, sizes: Sizes) -> Element<'a, Message> {
    Row::with_children(keys.into_iter().map(|k| k.view(sizes)))
        .spacing(6)
        .width(Length::Fill)
        .into()
}

/// The keyboard for `current` (the target field's text), in `lang`.
pub fn view<'a>(state: &State, current: &str, lang: Lang, sizes: Sizes) -> Element<'a, Message> {
    let t = |id| tr(lang, id);
    let done = Key::new("osk-hide", t(fl!("osk-done")), Message::Hide).wide(3);
    let backspace = Key::new("osk-backspace", t(fl!("osk-delete")), Message::Backspace).wide(3);
    let rows: Vec<Element<'a, Message>> = match state.layout() {
        Layout::Letters => {
            let capital = state.capital_next(current);
            let mut rows: Vec<Element<'a, Message>> = Vec::new();
            let letters = |s: &str| s.chars().map(|c| Key::char(c, capital)).collect::<Vec<_>>();
            rows.push(row_of(letters(LETTER_ROWS[0]), sizes));
            let mut second = letters(LETTER_ROWS[1]);
            second.push(backspace);
            rows.push(row_of(second, sizes));
            let mut third = vec![
                Key::new("osk-shift", t(fl!("osk-shift")), Message::Shift)
                    .wide(3)
                    .lit(capital),
            ];
            third.extend(letters(LETTER_ROWS[2]));
            third.extend(['-', '.', ','].map(|c| Key::char(c, false)));
            rows.push(row_of(third, sizes));
            if lang == Lang::Vi {
                let mut vietnamese: Vec<Key> = VIETNAMESE
                    .chars()
                    .map(|c| Key::char(c, capital).accent())
                    .collect();
                vietnamese.extend(Tone::MARKS.map(|tone| {
                    let sample = if capital {
                        tone.sample().to_uppercase().collect()
                    } else {
                        tone.sample().to_string()
                    };
                    Key::new(
                        format!("osk-tone-{}", tone.key()),
                        sample,
                        Message::Tone(tone),
                    )
                    .accent()
                }));
                rows.push(row_of(vietnamese, sizes));
            }
            rows.push(row_of(
                vec![
                    Key::new("osk-layout", t(fl!("osk-numbers")), Message::Layout).wide(3),
                    Key::new("osk-space", t(fl!("osk-space")), Message::Space).wide(10),
                    Key::char(':', false),
                    Key::char('/', false),
                    done,
                ],
                sizes,
            ));
            rows
        }
        Layout::Numbers => {
            let mut rows: Vec<Element<'a, Message>> = NUMBER_ROWS
                .iter()
                .zip(NUMBER_SIDE)
                .map(|(digits, side)| {
                    let mut keys: Vec<Key> = digits.chars().map(|c| Key::char(c, false)).collect();
                    keys.push(Key::char(side, false));
                    row_of(keys, sizes)
                })
                .collect();
            rows.push(row_of(
                vec![
                    Key::new("osk-layout", t(fl!("osk-letters")), Message::Layout),
                    Key::char('0', false),
                    backspace.wide(2),
                    done.wide(2),
                ],
                sizes,
            ));
            rows
        }
    };
    let width = match state.layout() {
        Layout::Letters => 1400.0,
        Layout::Numbers => 560.0,
    };
    let keys = column(rows).spacing(8).max_width(width * sizes.scale);
    container(container(keys).center_x(Length::Fill))
        .padding([10, 12])
        .width(Length::Fill)
        .style(theme::keyboard_tray)
        .into()
}
