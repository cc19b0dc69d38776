//! The result: green "thank you", or red "please wait for staff" when triage
//! flagged the visitor; the saved-declaration code for next time. Green goes
//! back to the welcome screen by itself after a few seconds; red stays until
//! staff acknowledge it with the PIN, or for `flag_hold_secs`, after which
//! the visitor waits on the staff screen's list.

use std::time::{Duration, Instant};

use iced::widget::{column, container, qr_code, row, text};
use iced::{Alignment, Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{big_button, tagged, tr};
use checkpoint_i18n::fl;

#[derive(Debug)]
pub struct State {
    pub flagged: bool,
    /// The signed saved-declaration code, drawn as a QR.
    pub code: Option<qr_code::Data>,
    /// When the screen returns to welcome.
    pub until: Instant,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// The visitor is done: next, please.
    Finish,
    /// Staff have seen the flagged visitor (the PIN, then their list).
    Acknowledge,
}

impl State {
    pub fn new(flagged: bool, code_text: Option<&str>, stay: Duration, now: Instant) -> Self {
        Self {
            flagged,
            code: code_text.and_then(|t| {
                qr_code::Data::with_error_correction(t, qr_code::ErrorCorrection::Medium)
                    .map_err(|e| tracing::warn!(error = %e, "receipt code not drawn"))
                    .ok()
            }),
            until: now + stay,
        }
    }

    /// Seconds until the screen goes back to welcome.
    pub fn seconds_left(&self, now: Instant) -> u64 {
        self.until
            .saturating_duration_since(now)
            .as_secs_f32()
            .ceil() as u64
    }

    pub fn view(&self, ctx: Ctx, now: Instant) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let (tone, title_id, detail_id) = if self.flagged {
            (
                Tone::Error,
                fl!("ui-done-staff"),
                fl!("ui-done-staff-detail"),
            )
        } else {
            (Tone::Good, fl!("ui-done-ok"), fl!("ui-done-ok-detail"))
        };
        let mut words = column![
            text(tr(lang, title_id))
                .size(sizes.huge())
                .font(theme::FONT_BOLD),
            text(tr(lang.other(), title_id)).size(sizes.title()),
            text(tr(lang, detail_id)).size(sizes.heading()),
        ]
        .spacing(14)
        .width(Length::FillPortion(3));
        if self.flagged {
            // Only staff end a red result: the visitor is asked to wait.
            words = words.push(tagged(
                "acknowledge",
                big_button(
                    tr(lang, fl!("ui-done-acknowledge")),
                    Some(Message::Acknowledge),
                    theme::secondary,
                    sizes,
                )
                .width(Length::Fixed(480.0 * sizes.scale)),
            ));
        } else {
            words = words.push(
                text(
                    checkpoint_i18n::Message::new(fl!("ui-done-countdown"))
                        .arg("seconds", self.seconds_left(now))
                        .render(lang),
                )
                .size(sizes.body()),
            );
            words = words.push(tagged(
                "finish",
                big_button(
                    tr(lang, fl!("ui-finish")),
                    Some(Message::Finish),
                    theme::secondary,
                    sizes,
                )
                .width(Length::Fixed(260.0 * sizes.scale)),
            ));
        }
        let mut content = row![words].spacing(32).align_y(Alignment::Center);
        if let Some(code) = &self.code {
            content = content.push(
                container(
                    column![
                        qr_code(code).cell_size(4),
                        text(tr(lang, fl!("ui-done-code")))
                            .size(sizes.body())
                            .color(theme::INK)
                            .width(Length::Fixed(300.0))
                    ]
                    .spacing(10)
                    .align_x(Alignment::Center),
                )
                .padding(20)
                .style(|_| iced::widget::container::Style {
                    background: Some(iced::Background::Color(theme::PAPER)),
                    border: iced::Border {
                        radius: 12.0.into(),
                        ..Default::default()
                    },
                    ..Default::default()
                }),
            );
        }
        container(container(content).max_width(1200))
            .padding(40)
            .center(Length::Fill)
            .style(theme::result_panel(tone))
            .into()
    }
}
