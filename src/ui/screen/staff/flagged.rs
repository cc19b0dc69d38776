//! The staff screen's flagged visitors: every visitor triage flagged and
//! nobody has cleared, whenever they came, a page at a time; what flagged
//! them; and the follow-up step staff record (who, and which state).

use iced::widget::{Column, Row, column, container, row, text};
use iced::{Element, Length};
use uuid::Uuid;

use crate::ui::chrome::Ctx;
use crate::ui::theme;
use crate::ui::widget::{big_button, body, heading, input, pager, tagged, touch_field, tr};
use checkpoint_domain::declaration::{Record, Triage};
use checkpoint_i18n::{Lang, Message as Text, fl};
use checkpoint_store::{FlaggedPage, FlaggedVisitor};
use checkpoint_wire::FollowUpState;

/// Visitors a page: enough to see several at once on a small screen.
pub const PER_PAGE: usize = 8;

/// The id of the "your name or initials" field.
pub const BY_ID: &str = "follow-up-by";

#[derive(Debug, Clone, Default)]
pub struct List {
    pub page: usize,
    pub shown: FlaggedPage,
    /// The staff member's name or initials, kept while the staff screen is open.
    pub by: String,
    /// The by-field was empty when a state was chosen.
    pub by_missing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    By(String),
    Set(Uuid, FollowUpState),
    Page(usize),
    /// The name field was tapped (the on-screen keyboard types into it).
    Focus(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    None,
    /// Load page N (and audit that staff saw it).
    Load(usize),
    /// Record this step.
    Record {
        declaration: Uuid,
        state: FollowUpState,
        by: String,
    },
}

impl List {
    pub fn update(&mut self, message: Message) -> Event {
        match message {
            Message::Focus(_) => Event::None,
            Message::By(by) => {
                self.by = by;
                self.by_missing = false;
                Event::None
            }
            Message::Set(declaration, state) => {
                if self.by.trim().is_empty() {
                    self.by_missing = true;
                    return Event::None;
                }
                Event::Record {
                    declaration,
                    state,
                    by: self.by.trim().to_owned(),
                }
            }
            Message::Page(page) => Event::Load(page),
        }
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let mut list =
            column![heading(tr(lang, fl!("ui-staff-flagged-heading")), sizes)].spacing(12);
        list = list.push(body(
            Text::new(fl!("ui-flagged-summary"))
                .arg("open", self.shown.total)
                .arg("waiting", self.shown.waiting)
                .render(lang),
            sizes,
        ));
        let by = touch_field(
            input(
                BY_ID,
                &tr(lang, fl!("ui-flagged-by-placeholder")),
                &self.by,
                Some(Message::By),
                self.by_missing,
                sizes,
            ),
            Message::Focus(BY_ID),
        );
        list = list.push(
            column![
                text(tr(lang, fl!("ui-flagged-by")))
                    .size(sizes.body())
                    .font(theme::FONT_SEMIBOLD),
                container(by).max_width(420),
            ]
            .push(self.by_missing.then(|| {
                text(tr(lang, fl!("follow-up-by-missing")))
                    .size(sizes.body())
                    .color(theme::RED)
            }))
            .spacing(6),
        );
        if self.shown.visitors.is_empty() {
            list = list.push(body(tr(lang, fl!("ui-staff-flagged-none")), sizes));
        }
        for v in &self.shown.visitors {
            list = list.push(card(v, ctx));
        }
        list = list.push(pager(
            "flagged",
            self.page,
            self.shown.total,
            PER_PAGE,
            Message::Page,
            lang,
            sizes,
        ));
        list.into()
    }
}

/// One visitor: when, who, how to reach them, why flagged, where their
/// follow-up stands, and a button per next state.
fn card(v: &FlaggedVisitor, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let r = &v.record;
    let local = v.submitted_at.with_timezone(&chrono::Local);
    let mut info = Column::new().spacing(4).push(
        row![
            text(local.format("%d/%m %H:%M").to_string())
                .size(sizes.heading())
                .font(theme::FONT_BOLD),
            text(&r.declaration.identity.full_name)
                .size(sizes.heading())
                .font(theme::FONT_BOLD),
        ]
        .spacing(16),
    );
    info = info.push(text(contact_line(r, lang)).size(sizes.body()));
    info = info.push(text(reasons(r, lang)).size(sizes.body()).color(theme::RED));
    let state_line = match v.steps.last() {
        Some(step) => Text::new(fl!("ui-flagged-state-by"))
            .arg("state", tr(lang, v.state.label_id()))
            .arg("by", step.by.clone())
            .arg(
                "at",
                step.at
                    .with_timezone(&chrono::Local)
                    .format("%d/%m %H:%M")
                    .to_string(),
            )
            .render(lang),
        None => tr(lang, v.state.label_id()),
    };
    info = info.push(
        text(state_line)
            .size(sizes.body())
            .font(theme::FONT_SEMIBOLD),
    );
    let id = r.record_id;
    let mut actions = Row::new().spacing(10);
    for state in FollowUpState::ALL {
        if state == FollowUpState::New || state == v.state {
            continue;
        }
        actions = actions.push(tagged(
            format!("follow-up-{}-{}", state.as_str(), id),
            big_button(
                tr(lang, state.label_id()),
                Some(Message::Set(id, state)),
                if state == FollowUpState::Cleared {
                    theme::primary
                } else {
                    theme::secondary
                },
                sizes,
            )
            .width(Length::Fixed(250.0 * sizes.scale)),
        ));
    }
    container(column![info, actions.wrap().vertical_spacing(10)].spacing(12))
        .padding(14)
        .width(Length::Fill)
        .style(theme::card)
        .into()
}

/// Document and phone, whichever the visitor gave.
fn contact_line(r: &Record, lang: Lang) -> String {
    let id = &r.declaration.identity;
    let mut parts = Vec::new();
    if !id.document.number.trim().is_empty() {
        parts.push(format!(
            "{} {}",
            tr(lang, &format!("doc-kind-{}", id.document.kind.key())),
            id.document.number
        ));
    }
    if !id.phone.trim().is_empty() {
        parts.push(id.phone.clone());
    }
    parts.join(" · ")
}

/// Why triage flagged a record, in words.
fn reasons(r: &Record, lang: Lang) -> String {
    Triage::of_record(r)
        .reason_ids()
        .iter()
        .map(|id| tr(lang, id))
        .collect::<Vec<_>>()
        .join(", ")
}
