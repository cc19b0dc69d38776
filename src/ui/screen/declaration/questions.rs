//! Page two: the 14-day questions (travel, contacts, symptoms), current
//! conditions and vaccination. Yes/no questions start unanswered; the
//! checklists have an explicit "none of these".

use iced::widget::{Column, Row, column, container, row, text};
use iced::{Alignment, Element, Length};

use super::Message;
use crate::ui::chrome::Ctx;
use crate::ui::form::{Edit, Form};
use crate::ui::theme;
use crate::ui::widget::{
    body, chip, heading, input, labelled, options, problem_text, source_badge, touch_field, tr,
    yes_no,
};
use checkpoint_domain::declaration::{Condition, Contact, Symptom, field};
use checkpoint_i18n::fl;

/// A group of questions in a card.
fn card<'a>(content: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    container(content)
        .padding(18)
        .width(Length::Fill)
        .style(theme::card)
        .into()
}

/// A yes/no question: its text, the answer buttons, its problem.
fn question<'a>(
    form: &'a Form,
    ctx: Ctx,
    id: &str,
    key: &str,
    text_id: &str,
    answer: Option<bool>,
    on_answer: impl Fn(bool) -> Message,
) -> Element<'a, Message> {
    let q = row![
        text(tr(ctx.lang, text_id))
            .size(ctx.sizes.body())
            .width(Length::Fill),
        yes_no(ctx.lang, id, answer, on_answer, ctx.sizes)
    ]
    .spacing(16)
    .align_y(Alignment::Center);
    column![q]
        .push(problem_text(ctx.lang, form.problem(key), ctx.sizes))
        .spacing(6)
        .into()
}

pub fn view(form: &Form, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let d = &form.declaration;
    let mut page = Column::new().spacing(20);

    // Travel.
    let mut travel = column![
        heading(tr(lang, fl!("section-travel")), sizes),
        question(
            form,
            ctx,
            "travel",
            field::TRAVEL,
            fl!("q-travel_14d"),
            d.travel.answer,
            |yes| Message::Edit(Edit::Travel(yes)),
        )
    ]
    .spacing(10);
    if d.travel.answer == Some(true) {
        travel = travel.push(labelled(
            tr(lang, fl!("field-travel-places")),
            None,
            touch_field(
                input(
                    field::TRAVEL_PLACES,
                    "",
                    &d.travel.places,
                    Some(|v| Message::Edit(Edit::TravelPlaces(v))),
                    form.problem(field::TRAVEL_PLACES).is_some(),
                    sizes,
                ),
                Message::Focus(field::TRAVEL_PLACES),
            ),
            problem_text(lang, form.problem(field::TRAVEL_PLACES), sizes),
            sizes,
        ));
    }
    page = page.push(card(travel));

    // Contacts.
    let mut contacts = column![
        heading(tr(lang, fl!("section-contacts")), sizes),
        body(tr(lang, fl!("q-contacts-intro")), sizes)
    ]
    .spacing(10);
    for q in Contact::ALL {
        let q = *q;
        contacts = contacts.push(question(
            form,
            ctx,
            q.key(),
            &field::contact(q),
            &q.text_id(),
            d.contacts.get(&q).copied(),
            move |yes| Message::Edit(Edit::Contact(q, yes)),
        ));
    }
    page = page.push(card(contacts));

    // Symptoms.
    let mut ticks = Row::new().spacing(10);
    for s in Symptom::ALL {
        ticks = ticks.push(chip(
            format!("symptom-{}", s.key()),
            tr(lang, &s.text_id()),
            d.symptoms.selected.contains(s),
            Message::Edit(Edit::Symptom(*s)),
            sizes,
        ));
    }
    ticks = ticks.push(chip(
        "symptoms-none",
        tr(lang, fl!("decl-none-of-these")),
        d.symptoms.none,
        Message::Edit(Edit::NoSymptoms),
        sizes,
    ));
    page = page.push(card(
        column![
            heading(tr(lang, fl!("section-symptoms")), sizes),
            body(tr(lang, fl!("q-symptoms-intro")), sizes),
            ticks.wrap().vertical_spacing(10)
        ]
        .push(problem_text(lang, form.problem(field::SYMPTOMS), sizes))
        .spacing(10),
    ));

    // Conditions.
    let mut ticks = Row::new().spacing(10);
    for c in Condition::ALL {
        ticks = ticks.push(chip(
            format!("condition-{}", c.key()),
            tr(lang, &c.text_id()),
            d.conditions.selected.contains(c),
            Message::Edit(Edit::Condition(*c)),
            sizes,
        ));
    }
    ticks = ticks.push(chip(
        "conditions-none",
        tr(lang, fl!("decl-none-of-these-conditions")),
        d.conditions.none,
        Message::Edit(Edit::NoConditions),
        sizes,
    ));
    page = page.push(card(
        column![
            heading(tr(lang, fl!("section-conditions")), sizes),
            body(tr(lang, fl!("q-conditions-intro")), sizes),
            ticks.wrap().vertical_spacing(10)
        ]
        .push(problem_text(lang, form.problem(field::CONDITIONS), sizes))
        .spacing(10),
    ));

    page = page.push(card(vaccination(form, ctx)));
    page.into()
}

fn vaccination(form: &Form, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let v = &form.declaration.vaccination;
    let locked = form.is_locked(field::VACCINATION);
    let doses: Vec<(u8, String)> = (0..=5u8)
        .map(|n| {
            (
                n,
                if n == 5 {
                    "5+".to_owned()
                } else {
                    n.to_string()
                },
            )
        })
        .collect();
    let mut block = column![
        row![heading(tr(lang, fl!("section-vaccination")), sizes)]
            .push(source_badge(
                lang,
                form.declaration.sources.get(field::VACCINATION),
                sizes
            ))
            .spacing(12)
            .align_y(Alignment::Center),
        body(tr(lang, fl!("ui-vaccination-optional")), sizes),
        labelled(
            tr(lang, fl!("field-vaccine-doses")),
            None,
            options(
                "doses",
                &doses,
                v.doses.map(|n| n.min(5)),
                |n| Message::Edit(Edit::Doses(n)),
                !locked,
                sizes,
            ),
            problem_text(lang, form.problem(field::VACCINE_DOSES), sizes),
            sizes,
        )
    ]
    .spacing(10);
    if v.doses.is_some_and(|n| n > 0) {
        block = block.push(labelled(
            tr(lang, fl!("field-vaccine-last-dose")),
            None,
            touch_field(
                input(
                    field::VACCINE_LAST_DOSE,
                    &tr(lang, fl!("ui-date-format")),
                    &form.last_dose_text,
                    (!locked).then_some(|v| Message::Edit(Edit::LastDose(v))),
                    form.problem(field::VACCINE_LAST_DOSE).is_some(),
                    sizes,
                )
                .width(Length::Fixed(260.0 * sizes.scale)),
                Message::Focus(field::VACCINE_LAST_DOSE),
            ),
            problem_text(lang, form.problem(field::VACCINE_LAST_DOSE), sizes),
            sizes,
        ));
    }
    block.into()
}
