//! The report form (phản ánh) of the Bluezone app: what was seen (one or
//! more kinds), details, and where. Confidential; stored and synced like a
//! declaration.

use iced::widget::{Column, Row, column, container, text};
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::keyboard::Kind;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{
    Action, banner, body, candidates, chip, form_page, heading, input, labelled, problem_text,
    touch_field, tr,
};
use checkpoint_domain::address;
use checkpoint_domain::declaration::Problem;
use checkpoint_domain::declaration::report::{Report, ReportKind, validate_report};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message as Text};

const ROWS: usize = 6;

#[derive(Debug, Clone, Default)]
pub struct State {
    pub report: Report,
    pub province_query: String,
    pub ward_query: String,
    pub problems: Vec<Problem>,
    /// The store could not keep it: why.
    pub error: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Kind(ReportKind),
    Details(String),
    ProvinceQuery(String),
    Province(String),
    WardQuery(String),
    Ward(String),
    Place(String),
    Back,
    Submit,
    /// A text field was tapped (the on-screen keyboard types into it).
    Focus(&'static str),
}

/// The ids of the report's text fields.
const DETAILS: &str = "report-details";
const PLACE: &str = "report-place";
const PROVINCE_SEARCH: &str = "report-province-search";
const WARD_SEARCH: &str = "report-ward-search";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    None,
    Cancel,
    /// Complete: store it.
    Submit,
}

impl State {
    pub fn new(lang: Lang) -> Self {
        Self {
            report: Report {
                lang,
                ..Report::default()
            },
            ..Self::default()
        }
    }

    /// The text of a field and how it is typed (the on-screen keyboard).
    pub fn typed(&self, id: &str) -> Option<(String, Kind)> {
        let text = match id {
            DETAILS => &self.report.details,
            PLACE => &self.report.place,
            PROVINCE_SEARCH => &self.province_query,
            WARD_SEARCH if !self.report.province.is_empty() => &self.ward_query,
            _ => return None,
        };
        Some((text.clone(), Kind::Text))
    }

    /// The message that sets a field to `text`.
    pub fn set_typed(id: &str, text: String) -> Option<Message> {
        Some(match id {
            DETAILS => Message::Details(text),
            PLACE => Message::Place(text),
            PROVINCE_SEARCH => Message::ProvinceQuery(text),
            WARD_SEARCH => Message::WardQuery(text),
            _ => return None,
        })
    }

    pub fn update(&mut self, message: Message) -> Event {
        let r = &mut self.report;
        match message {
            Message::Focus(_) => {}
            Message::Kind(k) => {
                if !r.kinds.remove(&k) {
                    r.kinds.insert(k);
                }
            }
            Message::Details(v) => r.details = v,
            Message::ProvinceQuery(q) => self.province_query = q,
            Message::Province(code) => {
                r.province = code;
                r.ward.clear();
                self.province_query.clear();
            }
            Message::WardQuery(q) => self.ward_query = q,
            Message::Ward(code) => {
                r.ward = code;
                self.ward_query.clear();
            }
            Message::Place(v) => r.place = v,
            Message::Back => return Event::Cancel,
            Message::Submit => {
                return match validate_report(r) {
                    Ok(()) => Event::Submit,
                    Err(problems) => {
                        self.problems = problems;
                        Event::None
                    }
                };
            }
        }
        Event::None
    }

    fn problem(&self, key: &str) -> Option<&Text> {
        self.problems
            .iter()
            .find(|p| p.field == key)
            .map(|p| &p.message)
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let r = &self.report;
        let mut page = Column::new().spacing(18).padding([0, 16]);
        page = page.push(heading(tr(lang, fl!("report-intro")), sizes));
        page = page.push(body(tr(lang, fl!("report-confidential")), sizes));
        let mut kinds = Row::new().spacing(10);
        for k in ReportKind::ALL {
            kinds = kinds.push(chip(
                format!("report-{}", k.key()),
                tr(lang, &k.text_id()),
                r.kinds.contains(&k),
                Message::Kind(k),
                sizes,
            ));
        }
        page = page.push(
            column![kinds.wrap().vertical_spacing(10)]
                .push(problem_text(lang, self.problem("kinds"), sizes))
                .spacing(6),
        );
        page = page.push(labelled(
            tr(lang, fl!("report-details")),
            None,
            touch_field(
                input(
                    DETAILS,
                    "",
                    &r.details,
                    Some(Message::Details),
                    self.problem("details").is_some(),
                    sizes,
                ),
                Message::Focus(DETAILS),
            ),
            problem_text(lang, self.problem("details"), sizes),
            sizes,
        ));
        page = page.push(self.place_pickers(ctx));
        page = page.push(labelled(
            tr(lang, fl!("report-place")),
            None,
            touch_field(
                input(
                    PLACE,
                    "",
                    &r.place,
                    Some(Message::Place),
                    self.problem("place").is_some(),
                    sizes,
                ),
                Message::Focus(PLACE),
            ),
            problem_text(lang, self.problem("place"), sizes),
            sizes,
        ));
        if let Some(err) = &self.error {
            page = page.push(banner(
                Tone::Error,
                vec![tr(lang, fl!("ui-save-failed")), err.render(lang)],
                sizes,
            ));
        }
        form_page(
            lang,
            sizes,
            "report",
            page,
            Message::Back,
            None,
            Action {
                id: "submit-report",
                label: tr(lang, fl!("ui-report-submit")),
                message: Message::Submit,
            },
        )
    }

    fn place_pickers(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let r = &self.report;
        let chosen = |name: Option<String>| {
            name.map(|n| {
                container(text(n).size(sizes.body()).font(theme::FONT_SEMIBOLD))
                    .padding(12)
                    .width(Length::Fill)
                    .style(theme::card)
            })
        };
        let province_matches = if self.province_query.trim().is_empty() {
            Vec::new()
        } else {
            address::search_provinces(&self.province_query, ROWS)
                .into_iter()
                .map(|p| (p.name.clone(), Message::Province(p.code.clone())))
                .collect()
        };
        let mut province = column![]
            .push(chosen(
                address::province(&r.province).map(|p| p.name.clone()),
            ))
            .push(touch_field(
                input(
                    PROVINCE_SEARCH,
                    &tr(lang, fl!("ui-type-to-search")),
                    &self.province_query,
                    Some(Message::ProvinceQuery),
                    false,
                    sizes,
                ),
                Message::Focus(PROVINCE_SEARCH),
            ))
            .spacing(8);
        province = province.push(candidates("report-province-match", province_matches, sizes));
        let mut block = column![labelled(
            tr(lang, fl!("field-province")),
            None,
            province.into(),
            None,
            sizes
        )]
        .spacing(12);
        if !r.province.is_empty() {
            let ward_matches = if self.ward_query.trim().is_empty() {
                Vec::new()
            } else {
                address::search_wards(&self.ward_query, Some(&r.province), ROWS)
                    .into_iter()
                    .map(|w| (w.name.clone(), Message::Ward(w.code.clone())))
                    .collect()
            };
            let ward = column![]
                .push(chosen(address::ward(&r.ward).map(|w| w.name.clone())))
                .push(touch_field(
                    input(
                        WARD_SEARCH,
                        &tr(lang, fl!("ui-type-to-search")),
                        &self.ward_query,
                        Some(Message::WardQuery),
                        false,
                        sizes,
                    ),
                    Message::Focus(WARD_SEARCH),
                ))
                .push(candidates("report-ward-match", ward_matches, sizes))
                .spacing(8);
            block = block.push(labelled(
                tr(lang, fl!("field-ward")),
                None,
                ward.into(),
                None,
                sizes,
            ));
        }
        block.into()
    }
}
