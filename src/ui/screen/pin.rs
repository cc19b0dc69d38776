//! The staff PIN pad: opens the staff screen, unlocks verified fields for one
//! visitor, or closes a kiosk-mode window. Digits by touch or keyboard.

use iced::widget::{Column, Row, column, container, row, text_input};
use iced::{Alignment, Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{banner, big_button, heading, tagged, tr};
use checkpoint_i18n::Message as Text;
use checkpoint_i18n::fl;

/// What the PIN is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    OpenStaff,
    /// The staff screen's flagged visitors (the red result's button, the
    /// "waiting for staff" badge).
    OpenFlagged,
    UnlockFields,
    CloseKiosk,
}

#[derive(Debug, Clone)]
pub struct State {
    pub purpose: Purpose,
    pub entered: String,
    pub error: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Digit(char),
    /// Typed on a keyboard.
    Typed(String),
    Erase,
    Confirm,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    None,
    /// Check this PIN.
    Check(String),
    Cancel,
}

/// The id of the hidden-text field, focused when the pad opens.
pub const INPUT_ID: &str = "pin-input";

impl State {
    pub fn new(purpose: Purpose) -> Self {
        Self {
            purpose,
            entered: String::new(),
            error: None,
        }
    }

    pub fn update(&mut self, message: Message) -> Event {
        match message {
            Message::Digit(d) => {
                if self.entered.len() < crate::ui::pin::MAX_LEN {
                    self.entered.push(d);
                }
            }
            Message::Typed(t) => {
                self.entered = t
                    .chars()
                    .filter(char::is_ascii_digit)
                    .take(crate::ui::pin::MAX_LEN)
                    .collect();
            }
            Message::Erase => {
                self.entered.pop();
            }
            Message::Confirm => {
                return Event::Check(std::mem::take(&mut self.entered));
            }
            Message::Cancel => return Event::Cancel,
        }
        Event::None
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let title = tr(
            lang,
            match self.purpose {
                Purpose::OpenStaff | Purpose::OpenFlagged => fl!("ui-pin-staff"),
                Purpose::UnlockFields => fl!("ui-pin-unlock"),
                Purpose::CloseKiosk => fl!("ui-pin-close"),
            },
        );
        let field = text_input("", &self.entered)
            .id(INPUT_ID)
            .secure(true)
            .line_height(theme::INPUT_LINE_HEIGHT)
            .on_input(Message::Typed)
            .on_submit(Message::Confirm)
            .size(sizes.title())
            .padding(12)
            .width(Length::Fixed(320.0))
            .style(theme::field(self.error.is_some()));
        let key = |label: &str, msg: Message, id: &str| {
            tagged(
                format!("pin-{id}"),
                big_button(label.to_owned(), Some(msg), theme::secondary, sizes)
                    .width(Length::Fixed(96.0 * sizes.scale)),
            )
        };
        let mut pad = Column::new().spacing(10);
        for digits in ["123", "456", "789"] {
            let mut r = Row::new().spacing(10);
            for d in digits.chars() {
                r = r.push(key(&d.to_string(), Message::Digit(d), &d.to_string()));
            }
            pad = pad.push(r);
        }
        pad = pad.push(
            row![
                key(&tr(lang, fl!("ui-pin-erase")), Message::Erase, "erase"),
                key("0", Message::Digit('0'), "0"),
                key(&tr(lang, fl!("ui-ok")), Message::Confirm, "ok"),
            ]
            .spacing(10),
        );
        let mut col = column![heading(title, sizes), field, pad]
            .spacing(18)
            .align_x(Alignment::Center);
        if let Some(err) = &self.error {
            col = col.push(banner(Tone::Error, vec![err.render(lang)], sizes));
        }
        col = col.push(tagged(
            "pin-cancel",
            big_button(
                tr(lang, fl!("ui-cancel")),
                Some(Message::Cancel),
                theme::quiet,
                sizes,
            )
            .width(Length::Fixed(320.0)),
        ));
        container(col.max_width(520)).center(Length::Fill).into()
    }
}
