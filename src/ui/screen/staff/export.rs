//! The staff screen's export: a date range, CSV or XLSX, and where to
//! (the kiosk's own exports folder or a USB stick that is plugged in).

use std::path::PathBuf;

use chrono::{Local, NaiveDate};
use iced::widget::{Column, column, container, text};
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::theme;
use crate::ui::widget::{big_button, body, heading, input, options, tagged, touch_field, tr};
use checkpoint_export::Format;
use checkpoint_i18n::{Message as Text, fl};

#[derive(Debug, Clone)]
pub struct State {
    /// First and last day, inclusive, as typed (YYYY-MM-DD).
    pub from: String,
    pub to: String,
    pub format: Format,
    pub destinations: Vec<PathBuf>,
    pub chosen: usize,
    pub problem: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    From(String),
    To(String),
    Format(Format),
    Choose(usize),
    Refresh,
    Export,
    /// A date field was tapped (the on-screen keyboard types into it).
    Focus(&'static str),
}

pub const FROM_ID: &str = "export-from";
pub const TO_ID: &str = "export-to";

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    None,
    /// Look again for USB sticks.
    Refresh,
    /// Export `[from, to]` (local days, inclusive) in `format` into `dir`.
    Export {
        from: NaiveDate,
        to: NaiveDate,
        format: Format,
        dir: PathBuf,
    },
}

impl State {
    /// Today only, XLSX, to the first destination.
    pub fn new(destinations: Vec<PathBuf>) -> Self {
        let today = Local::now().date_naive().format("%Y-%m-%d").to_string();
        Self {
            from: today.clone(),
            to: today,
            format: Format::Xlsx,
            destinations,
            chosen: 0,
            problem: None,
        }
    }

    pub fn update(&mut self, message: Message) -> Event {
        self.problem = None;
        match message {
            Message::From(s) => self.from = s,
            Message::To(s) => self.to = s,
            Message::Format(f) => self.format = f,
            Message::Choose(i) => self.chosen = i.min(self.destinations.len().saturating_sub(1)),
            Message::Refresh => return Event::Refresh,
            Message::Export => return self.checked(),
            Message::Focus(_) => {}
        }
        Event::None
    }

    fn checked(&mut self) -> Event {
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let (Some(from), Some(to)) = (day(&self.from), day(&self.to)) else {
            self.problem = Some(Text::new(fl!("ui-export-bad-date")));
            return Event::None;
        };
        if to < from {
            self.problem = Some(Text::new(fl!("ui-export-bad-range")));
            return Event::None;
        }
        let Some(dir) = self.destinations.get(self.chosen).cloned() else {
            return Event::None;
        };
        Event::Export {
            from,
            to,
            format: self.format,
            dir,
        }
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let mut page = Column::new().spacing(14);
        page = page.push(heading(tr(lang, fl!("ui-export-heading")), sizes));
        page = page.push(body(tr(lang, fl!("ui-export-range")), sizes));
        page = page.push(
            iced::widget::row![
                container(touch_field(
                    input(
                        FROM_ID,
                        "YYYY-MM-DD",
                        &self.from,
                        Some(Message::From),
                        false,
                        sizes
                    ),
                    Message::Focus(FROM_ID)
                ))
                .width(Length::Fixed(260.0 * sizes.scale)),
                text("–").size(sizes.heading()),
                container(touch_field(
                    input(
                        TO_ID,
                        "YYYY-MM-DD",
                        &self.to,
                        Some(Message::To),
                        false,
                        sizes
                    ),
                    Message::Focus(TO_ID)
                ))
                .width(Length::Fixed(260.0 * sizes.scale)),
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
        );
        page = page.push(options(
            "export-format",
            &[
                (Format::Xlsx, tr(lang, fl!("ui-export-xlsx"))),
                (Format::Csv, tr(lang, fl!("ui-export-csv"))),
            ],
            Some(self.format),
            Message::Format,
            true,
            sizes,
        ));
        page = page.push(body(tr(lang, fl!("ui-export-where")), sizes));
        let places: Vec<(usize, String)> = self
            .destinations
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let label = if i == 0 {
                    tr(lang, fl!("ui-export-here"))
                } else {
                    p.display().to_string()
                };
                (i, label)
            })
            .collect();
        page = page.push(options(
            "export-dest",
            &places,
            Some(self.chosen),
            Message::Choose,
            true,
            sizes,
        ));
        if self.destinations.len() < 2 {
            page = page.push(body(tr(lang, fl!("ui-export-no-usb")), sizes));
        }
        if let Some(p) = &self.problem {
            page = page.push(text(p.render(lang)).size(sizes.body()).color(theme::RED));
        }
        page = page.push(
            iced::widget::row![
                tagged(
                    "export-go",
                    big_button(
                        tr(lang, fl!("ui-export-go")),
                        Some(Message::Export),
                        theme::primary,
                        sizes
                    )
                    .width(Length::Fixed(300.0 * sizes.scale)),
                ),
                tagged(
                    "export-refresh",
                    big_button(
                        tr(lang, fl!("ui-export-refresh")),
                        Some(Message::Refresh),
                        theme::secondary,
                        sizes
                    )
                    .width(Length::Fixed(300.0 * sizes.scale)),
                ),
            ]
            .spacing(16),
        );
        column![page].into()
    }
}
