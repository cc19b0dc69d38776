//! Review and consent: a summary of the answers, the legal warning, the
//! consent, and the submit button. A problem the store reports (a full
//! disk) is shown here and the answers stay, so nothing is lost.

use iced::widget::{Column, Row, checkbox, column, container, row, text};
use iced::{Alignment, Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::form::Form;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{Action, banner, form_page, heading, problem_text, tagged, tr};
use checkpoint_domain::address;
use checkpoint_domain::declaration::{
    Contact, Declaration, Symptom, TriageRules, country, field, triage,
};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message as Text};

#[derive(Debug, Clone)]
pub struct State {
    pub form: Form,
    /// The store could not keep the record: why.
    pub error: Option<Text>,
    /// The fleet's triage rules, to say before submitting that staff will see the visitor.
    pub rules: TriageRules,
}

impl State {
    pub fn new(form: Form, rules: TriageRules) -> Self {
        Self {
            form,
            error: None,
            rules,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Consent(bool),
    /// Back to the form to change an answer.
    Back,
    Submit,
}

/// What the app must do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    None,
    Back,
    /// Consent given: validate the whole form and store it.
    Submit,
}

impl State {
    pub fn update(&mut self, message: Message, today: chrono::NaiveDate) -> Event {
        match message {
            Message::Consent(yes) => {
                self.form.apply(crate::ui::form::Edit::Consent(yes));
                Event::None
            }
            Message::Back => Event::Back,
            Message::Submit => {
                if self.form.check_part(crate::ui::form::Part::Consent, today) {
                    Event::Submit
                } else {
                    Event::None
                }
            }
        }
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let d = &self.form.declaration;
        let mut body = Column::new().spacing(16).padding([0, 16]);
        body = body.push(heading(tr(lang, fl!("ui-review-heading")), sizes));
        // Declared at home on the phone page: say so, never "verified".
        if d.sources
            .values()
            .any(|p| p.source == checkpoint_domain::declaration::SourceKind::Visitor)
        {
            body = body.push(tagged(
                "declared-by-visitor",
                banner(
                    Tone::Info,
                    vec![
                        tr(lang, fl!("ui-source-visitor")),
                        tr(lang, fl!("ui-review-by-visitor")),
                    ],
                    sizes,
                ),
            ));
        }
        body = body.push(summary(d, &self.rules, lang, sizes.body()));
        body = body.push(banner(
            Tone::Error,
            vec![tr(lang, fl!("decl-warning"))],
            sizes,
        ));
        body = body.push(text(tr(lang, fl!("decl-privacy"))).size(sizes.body()));
        let consent = tagged(
            "consent",
            checkbox(d.consent)
                .label(tr(lang, fl!("decl-consent")))
                .size(34.0 * sizes.scale)
                .text_size(sizes.body())
                .spacing(16)
                .on_toggle(Message::Consent),
        );
        body = body.push(
            container(
                column![consent]
                    .push(problem_text(lang, self.form.problem(field::CONSENT), sizes))
                    .spacing(8),
            )
            .padding(16)
            .width(Length::Fill)
            .style(theme::card),
        );
        if let Some(err) = &self.error {
            body = body.push(banner(
                Tone::Error,
                vec![tr(lang, fl!("ui-save-failed")), err.render(lang)],
                sizes,
            ));
        }
        form_page(
            lang,
            sizes,
            "review",
            body,
            Message::Back,
            None,
            Action {
                id: "submit",
                label: tr(lang, fl!("decl-submit")),
                message: Message::Submit,
            },
        )
    }
}

/// The answers in two columns of "label: value" lines.
fn summary<'a, M: 'a>(
    d: &Declaration,
    rules: &TriageRules,
    lang: Lang,
    size: f32,
) -> Element<'a, M> {
    let yes_no = |v: Option<bool>| match v {
        Some(true) => tr(lang, fl!("decl-yes")),
        Some(false) => tr(lang, fl!("decl-no")),
        None => "-".to_owned(),
    };
    let id = &d.identity;
    let mut left: Vec<(String, String)> = vec![
        (tr(lang, fl!("field-full_name")), id.full_name.clone()),
        (
            tr(lang, fl!("field-document")),
            format!(
                "{} {}",
                tr(lang, &format!("doc-kind-{}", id.document.kind.key())),
                id.document.number
            ),
        ),
        (
            tr(lang, fl!("field-birth_year")),
            id.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        (
            tr(lang, fl!("field-gender")),
            id.gender
                .map(|g| tr(lang, &format!("gender-{}", g.key())))
                .unwrap_or_default(),
        ),
        (
            tr(lang, fl!("field-nationality")),
            tr(lang, &country::name_id(&id.nationality)),
        ),
        (tr(lang, fl!("field-phone")), id.phone.clone()),
        (tr(lang, fl!("field-address")), address_line(d)),
    ];
    if let Some(dec) = &d.on_behalf {
        left.push((
            tr(lang, fl!("field-declarant-name")),
            format!("{} ({})", dec.name, dec.phone),
        ));
    }
    let t = triage(d, rules);
    let mut right: Vec<(String, String)> = vec![(
        tr(lang, fl!("section-travel")),
        match d.travel.answer {
            Some(true) => format!("{}: {}", yes_no(Some(true)), d.travel.places),
            other => yes_no(other),
        },
    )];
    for q in Contact::ALL {
        right.push((tr(lang, &q.text_id()), yes_no(d.contacts.get(q).copied())));
    }
    right.push((
        tr(lang, fl!("section-symptoms")),
        list(
            lang,
            d.symptoms.selected.iter().map(|s: &Symptom| s.text_id()),
            d.symptoms.none,
        ),
    ));
    right.push((
        tr(lang, fl!("section-conditions")),
        list(
            lang,
            d.conditions.selected.iter().map(|c| c.text_id()),
            d.conditions.none,
        ),
    ));
    if let Some(n) = d.vaccination.doses {
        let last = d
            .vaccination
            .last_dose
            .map(|x| format!(", {}", x.format("%d/%m/%Y")))
            .unwrap_or_default();
        right.push((tr(lang, fl!("section-vaccination")), format!("{n}{last}")));
    }
    let column_of = |rows: Vec<(String, String)>| {
        let mut col = Column::new().spacing(6).width(Length::FillPortion(1));
        for (label, value) in rows {
            col = col.push(
                Row::new()
                    .push(
                        text(format!("{label}:"))
                            .size(size)
                            .font(theme::FONT_SEMIBOLD),
                    )
                    .push(text(value).size(size))
                    .spacing(8)
                    .wrap(),
            );
        }
        col
    };
    let mut out = column![row![column_of(left), column_of(right)].spacing(32)].spacing(8);
    if t.flagged() {
        // Travel flags only where the fleet chose so: say which answer it was.
        let said = if t.contacts.is_empty() && t.symptoms.is_empty() {
            fl!("ui-review-flagged-travel")
        } else {
            fl!("ui-review-flagged")
        };
        out = out.push(
            text(tr(lang, said))
                .size(size)
                .color(theme::RED)
                .font(theme::FONT_SEMIBOLD),
        );
    }
    container(out)
        .padding(16)
        .width(Length::Fill)
        .style(theme::card)
        .align_y(Alignment::Start)
        .into()
}

fn list(lang: Lang, ids: impl Iterator<Item = String>, none: bool) -> String {
    let items: Vec<String> = ids.map(|id| tr(lang, &id)).collect();
    if items.is_empty() {
        if none {
            tr(lang, fl!("ui-none"))
        } else {
            "-".to_owned()
        }
    } else {
        items.join(", ")
    }
}

/// Street, ward, province as one line (or the printed address when unmapped).
pub fn address_line(d: &Declaration) -> String {
    let a = &d.identity.address;
    let mut parts: Vec<String> = Vec::new();
    if !a.street.trim().is_empty() {
        parts.push(a.street.trim().to_owned());
    }
    if let Some(w) = address::ward(&a.ward) {
        parts.push(w.name.clone());
    }
    if let Some(p) = address::province(&a.province) {
        parts.push(p.name.clone());
    }
    if parts.is_empty() {
        a.printed.clone()
    } else {
        parts.join(", ")
    }
}
