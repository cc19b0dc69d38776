//! The staff screen's "Connect to a hub": the hub this kiosk sends to, and
//! joining one with an enrolment code held to the camera, scanned by a
//! handheld scanner, or typed.

use iced::widget::{Column, column, container, qr_code, row};
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{banner, big_button, body, heading, input, tagged, touch_field, tr};
use checkpoint_i18n::{Message as Text, fl};

pub const CODE_ID: &str = "enrol-code";

/// Which hub the kiosk sends to now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// Empty: none.
    pub server: String,
    pub kiosk_id: String,
    /// Only the pinned certificate is trusted.
    pub pinned: bool,
    /// When the hub issued the configuration in use (its settings replace
    /// the kiosk's own); `None`: none received.
    pub fleet_issued: Option<String>,
    /// The phone page of this kiosk's checkpoint (declare before arriving).
    pub phone_page: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub connection: Connection,
    /// The code as typed or scanned.
    pub code: String,
    /// A request is with the hub.
    pub busy: bool,
    pub outcome: Option<(Tone, Text)>,
    /// The phone page's address as a QR code, for visitors in the queue.
    pub phone_qr: Option<std::sync::Arc<qr_code::Data>>,
    /// The poster is being fetched from the hub.
    pub poster_busy: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Code(String),
    Connect,
    /// Save the checkpoint's A4 poster where exports go.
    SavePoster,
    Focus(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    None,
    /// Enrol with this code.
    Enrol(String),
    /// Fetch the poster and save it.
    SavePoster,
}

impl State {
    pub fn new(connection: Connection) -> Self {
        let phone_qr = connection.phone_page.as_deref().and_then(|url| {
            qr_code::Data::with_error_correction(url, qr_code::ErrorCorrection::Medium)
                .ok()
                .map(std::sync::Arc::new)
        });
        Self {
            connection,
            phone_qr,
            ..Self::default()
        }
    }

    pub fn update(&mut self, message: Message) -> Event {
        match message {
            Message::Code(code) => {
                self.code = code;
                self.outcome = None;
            }
            Message::Connect if !self.busy && !self.code.trim().is_empty() => {
                self.busy = true;
                self.outcome = None;
                return Event::Enrol(self.code.trim().to_owned());
            }
            Message::SavePoster if !self.poster_busy && self.phone_qr.is_some() => {
                self.poster_busy = true;
                self.outcome = None;
                return Event::SavePoster;
            }
            Message::Connect | Message::SavePoster | Message::Focus(_) => {}
        }
        Event::None
    }

    /// A code read by the camera or a scanner while this tab is open.
    pub fn scanned(&mut self, text: String) -> Event {
        self.code = text;
        self.update(Message::Connect)
    }

    /// The poster was saved (where) or not (why).
    pub fn poster_saved(&mut self, outcome: Result<Text, Text>) {
        self.poster_busy = false;
        self.outcome = Some(match outcome {
            Ok(said) => (Tone::Good, said),
            Err(problem) => (Tone::Error, problem),
        });
    }

    /// The hub answered (or not).
    pub fn finished(&mut self, outcome: Result<(Connection, Text), Text>) {
        self.busy = false;
        self.outcome = Some(match outcome {
            Ok((connection, said)) => {
                *self = Self {
                    outcome: None,
                    ..Self::new(connection)
                };
                self.code.clear();
                (Tone::Good, said)
            }
            Err(problem) => (Tone::Error, problem),
        });
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let c = &self.connection;
        let now = if c.server.is_empty() {
            Text::new(fl!("ui-hub-none"))
        } else {
            Text::new(if c.pinned {
                fl!("ui-hub-connected-pinned")
            } else {
                fl!("ui-hub-connected")
            })
            .arg("server", &c.server)
            .arg("kiosk", &c.kiosk_id)
        };
        let mut page = Column::new().spacing(14);
        page = page.push(heading(tr(lang, fl!("ui-hub-heading")), sizes));
        page = page.push(body(now.render(lang), sizes));
        if let Some(issued) = &c.fleet_issued {
            let said = Text::new(fl!("ui-hub-fleet")).arg("issued", issued);
            page = page.push(body(said.render(lang), sizes));
        }
        if let (Some(url), Some(qr)) = (&c.phone_page, &self.phone_qr) {
            let poster = url.replacen("/declare/?", "/declare/poster?", 1);
            let said = Text::new(fl!("ui-hub-phone-page"))
                .arg("url", url)
                .arg("poster", poster);
            page = page.push(tagged(
                "hub-phone-page",
                row![
                    qr_code(qr).cell_size(5),
                    container(body(said.render(lang), sizes)).width(Length::Fill)
                ]
                .spacing(16)
                .align_y(iced::Alignment::Center),
            ));
            let label = if self.poster_busy {
                fl!("ui-hub-poster-saving")
            } else {
                fl!("ui-hub-poster-save")
            };
            page = page.push(tagged(
                "hub-save-poster",
                big_button(
                    tr(lang, label),
                    (!self.poster_busy).then_some(Message::SavePoster),
                    theme::secondary,
                    sizes,
                )
                .width(Length::Fixed(520.0 * sizes.scale)),
            ));
        }
        page = page.push(body(tr(lang, fl!("ui-hub-how")), sizes));
        page = page.push(
            container(touch_field(
                input(
                    CODE_ID,
                    "CKENROL:1:…",
                    &self.code,
                    (!self.busy).then_some(Message::Code),
                    false,
                    sizes,
                ),
                Message::Focus(CODE_ID),
            ))
            .width(Length::Fill),
        );
        let label = if self.busy {
            fl!("ui-hub-connecting")
        } else {
            fl!("ui-hub-connect")
        };
        page = page.push(tagged(
            "hub-connect",
            big_button(
                tr(lang, label),
                (!self.busy && !self.code.trim().is_empty()).then_some(Message::Connect),
                theme::primary,
                sizes,
            )
            .width(Length::Fixed(320.0 * sizes.scale)),
        ));
        if let Some((tone, said)) = &self.outcome {
            page = page.push(banner(*tone, vec![said.render(lang)], sizes));
        }
        column![page].into()
    }
}
