//! The building blocks every screen uses: localised text, big buttons, yes/no
//! answers, checklist chips, labelled fields with their problem and source,
//! and search-as-you-type pickers. Each interactive piece sits in a container
//! with a stable id, which the window tests click.

use iced::widget::{Column, Row, button, column, container, row, text, text_input};
use iced::{Alignment, Element, Length};

use super::theme::{self, Sizes, Tone};
use checkpoint_domain::declaration::{Provenance, SourceKind};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Localizer, Message as Text};

/// Text of a Fluent id in `lang`.
pub fn tr(lang: Lang, id: &str) -> String {
    Localizer::global().text(lang, id)
}

/// A localised message in `lang`.
pub fn say(lang: Lang, message: &Text) -> String {
    message.render(lang)
}

/// A paragraph of body text.
pub fn body<'a, M: 'a>(content: impl text::IntoFragment<'a>, sizes: Sizes) -> Element<'a, M> {
    text(content).size(sizes.body()).into()
}

/// A section heading.
pub fn heading<'a, M: 'a>(content: impl text::IntoFragment<'a>, sizes: Sizes) -> Element<'a, M> {
    text(content)
        .size(sizes.heading())
        .font(theme::FONT_BOLD)
        .into()
}

/// A button with centred text, at least touch-target tall.
pub fn big_button<'a, M: Clone + 'a>(
    label: impl text::IntoFragment<'a>,
    on_press: Option<M>,
    style: impl Fn(&iced::Theme, button::Status) -> button::Style + 'a,
    sizes: Sizes,
) -> button::Button<'a, M> {
    button(
        text(label)
            .size(sizes.button())
            .font(theme::FONT_SEMIBOLD)
            .align_x(Alignment::Center)
            .width(Length::Fill),
    )
    .padding([sizes.pad(), 22.0])
    .on_press_maybe(on_press)
    .style(style)
}

/// Wraps a widget with an id the tests (and screen readers of the future) find it by.
pub fn tagged<'a, M: 'a>(
    id: impl Into<String>,
    content: impl Into<Element<'a, M>>,
) -> Element<'a, M> {
    container(content).id(id.into()).into()
}

/// The Có / Không pair for one question. Nothing is chosen until the visitor
/// taps: a question is never pre-answered by the kiosk.
pub fn yes_no<'a, M: Clone + 'a>(
    lang: Lang,
    id: &str,
    answer: Option<bool>,
    on_answer: impl Fn(bool) -> M,
    sizes: Sizes,
) -> Element<'a, M> {
    let pick = |value: bool, label_id: &str| {
        tagged(
            format!("{id}-{}", if value { "yes" } else { "no" }),
            big_button(
                tr(lang, label_id),
                Some(on_answer(value)),
                theme::choice(answer == Some(value)),
                sizes,
            )
            .width(Length::Fixed(140.0 * sizes.scale)),
        )
    };
    row![pick(true, fl!("decl-yes")), pick(false, fl!("decl-no"))]
        .spacing(12)
        .into()
}

/// One checklist item (or the "none of these" item): a wide toggle.
pub fn chip<'a, M: Clone + 'a>(
    id: impl Into<String>,
    label: String,
    selected: bool,
    on_press: M,
    sizes: Sizes,
) -> Element<'a, M> {
    tagged(
        id,
        button(
            row![
                tick_box(selected, sizes),
                text(label).size(sizes.body()).width(Length::Fill)
            ]
            .spacing(12)
            .align_y(Alignment::Center),
        )
        .padding([sizes.pad(), 16.0])
        .width(Length::Fixed(330.0 * sizes.scale))
        .on_press(on_press)
        .style(theme::choice(selected)),
    )
}

/// The square of a checklist item, ticked with the check mark of iced's own
/// icon font (the text font has no check mark).
pub fn tick_box<'a, M: 'a>(ticked: bool, sizes: Sizes) -> Element<'a, M> {
    let side = 28.0 * sizes.scale;
    let mark = text(if ticked { '\u{f00c}' } else { ' ' })
        .font(iced::Font::with_name("Iced-Icons"))
        .size(side * 0.7)
        .color(theme::BLUE);
    container(mark)
        .center(side)
        .style(move |_| iced::widget::container::Style {
            background: Some(iced::Background::Color(theme::PAPER)),
            border: iced::Border {
                color: theme::INK,
                width: 2.0,
                radius: 4.0.into(),
            },
            ..Default::default()
        })
        .into()
}

/// A row of mutually exclusive options (gender, document kind, doses).
pub fn options<'a, T: Copy + PartialEq + 'a, M: Clone + 'a>(
    id: &str,
    items: &[(T, String)],
    chosen: Option<T>,
    on_choose: impl Fn(T) -> M,
    enabled: bool,
    sizes: Sizes,
) -> Element<'a, M> {
    let mut r = Row::new().spacing(10);
    for (i, (value, label)) in items.iter().enumerate() {
        r = r.push(tagged(
            format!("{id}-{i}"),
            button(text(label.clone()).size(sizes.button()))
                .padding([sizes.pad(), 18.0])
                .on_press_maybe(enabled.then(|| on_choose(*value)))
                .style(theme::choice(chosen == Some(*value))),
        ));
    }
    r.wrap().vertical_spacing(10).into()
}

/// The Fluent id naming a source.
pub fn source_id(source: SourceKind) -> &'static str {
    match source {
        SourceKind::IdCard => fl!("ui-source-id-card"),
        SourceKind::Dcc => fl!("ui-source-dcc"),
        SourceKind::Ckd => fl!("ui-source-ckd"),
        SourceKind::Contact => fl!("ui-source-contact"),
        SourceKind::Scanner => fl!("ui-source-scanner"),
        SourceKind::Visitor => fl!("ui-source-visitor"),
    }
}

/// "From the vaccination certificate · verified" beside a pre-filled field;
/// "verified" only where a signature was checked. An ID card's code carries
/// none, so its fields say "read from the card".
pub fn source_badge<'a, M: 'a>(
    lang: Lang,
    provenance: Option<&Provenance>,
    sizes: Sizes,
) -> Option<Element<'a, M>> {
    let p = provenance?;
    let status = if p.signature_checked {
        fl!("ui-source-verified")
    } else if p.locked {
        fl!("ui-source-read")
    } else {
        fl!("ui-source-unverified")
    };
    let label = format!("{} · {}", tr(lang, source_id(p.source)), tr(lang, status));
    Some(
        container(text(label).size(sizes.small()).font(theme::FONT_SEMIBOLD))
            .padding([4, 12])
            .style(theme::badge(p.signature_checked))
            .into(),
    )
}

/// A problem under its field, in the visitor's language, marked so "Next"
/// can scroll to the first one ([`crate::ui::scroll`]).
pub fn problem_text<'a, M: 'a>(
    lang: Lang,
    problem: Option<&Text>,
    sizes: Sizes,
) -> Option<Element<'a, M>> {
    problem.map(|m| {
        tagged(
            crate::ui::scroll::PROBLEM_ANCHOR,
            text(m.render(lang))
                .size(sizes.body())
                .color(theme::RED)
                .font(theme::FONT_SEMIBOLD),
        )
    })
}

/// A labelled field: label and source badge, then the control, then its problem.
pub fn labelled<'a, M: 'a>(
    label: String,
    badge: Option<Element<'a, M>>,
    control: Element<'a, M>,
    problem: Option<Element<'a, M>>,
    sizes: Sizes,
) -> Element<'a, M> {
    let head = row![text(label).size(sizes.body()).font(theme::FONT_SEMIBOLD)]
        .push(badge)
        .spacing(12)
        .align_y(Alignment::Center);
    column![head, control].push(problem).spacing(6).into()
}

/// A text field with the kiosk's look; `None` for `on_input` shows it read-only.
pub fn input<'a, M: Clone + 'a>(
    id: &str,
    placeholder: &str,
    value: &str,
    on_input: Option<impl Fn(String) -> M + 'a>,
    has_error: bool,
    sizes: Sizes,
) -> text_input::TextInput<'a, M> {
    text_input(placeholder, value)
        .id(id.to_owned())
        .on_input_maybe(on_input)
        .size(sizes.body())
        .line_height(theme::INPUT_LINE_HEIGHT)
        .padding([8, 12])
        .style(theme::field(has_error))
}

/// A text field that says when it is tapped, so the on-screen keyboard
/// types into it (iced's text input keeps its focus to itself).
pub fn touch_field<'a, M: Clone + 'a>(
    field: impl Into<Element<'a, M>>,
    on_tap: M,
) -> Element<'a, M> {
    iced::widget::mouse_area(field).on_release(on_tap).into()
}

/// A banner across the screen.
pub fn banner<'a, M: 'a>(tone: Tone, lines: Vec<String>, sizes: Sizes) -> Element<'a, M> {
    let mut col = Column::new().spacing(4);
    for (i, line) in lines.into_iter().enumerate() {
        let t = text(line).size(sizes.body());
        col = col.push(if i == 0 {
            t.font(theme::FONT_SEMIBOLD)
        } else {
            t
        });
    }
    container(col)
        .padding([10, 16])
        .width(Length::Fill)
        .style(theme::banner(tone))
        .into()
}

/// The main action of a page: its id, its label and its message.
#[derive(Debug)]
pub struct Action<M> {
    pub id: &'static str,
    pub label: String,
    pub message: M,
}

/// A page of a form: the content scrolling (centred, lines kept readable on
/// wide screens), and under it, always in reach, "back" on the left, any
/// `extra` buttons, and the main action on the right.
pub fn form_page<'a, M: Clone + 'a>(
    lang: Lang,
    sizes: Sizes,
    scroll_id: &'static str,
    content: Column<'a, M>,
    back: M,
    extra: Option<Element<'a, M>>,
    action: Action<M>,
) -> Element<'a, M> {
    let scroll =
        iced::widget::scrollable(container(content.max_width(1400)).center_x(Length::Fill))
            .id(scroll_id)
            .height(Length::Fill);
    let nav = row![tagged(
        "back",
        big_button(
            tr(lang, fl!("ui-back")),
            Some(back),
            theme::secondary,
            sizes
        )
        .width(Length::Fixed(200.0 * sizes.scale)),
    )]
    .push(extra)
    .push(iced::widget::space::horizontal())
    .push(tagged(
        action.id,
        big_button(action.label, Some(action.message), theme::primary, sizes)
            .width(Length::Fixed(320.0 * sizes.scale)),
    ))
    .spacing(16);
    column![scroll, row![nav].padding([0, 16])]
        .spacing(12)
        .into()
}

/// A list of candidates to tap (picker results).
pub fn candidates<'a, M: Clone + 'a>(
    id: &str,
    items: Vec<(String, M)>,
    sizes: Sizes,
) -> Element<'a, M> {
    let mut col = Column::new().spacing(6);
    for (i, (label, msg)) in items.into_iter().enumerate() {
        col = col.push(tagged(
            format!("{id}-{i}"),
            button(text(label).size(sizes.body()).width(Length::Fill))
                .padding([sizes.pad(), 16.0])
                .width(Length::Fill)
                .on_press(msg)
                .style(theme::secondary),
        ));
    }
    col.into()
}

/// "Previous · Page 2 of 5 · Next" under a paged list of `total` items,
/// `per_page` a page; `None` when everything fits on one page. The buttons
/// are tagged `{id}-previous` and `{id}-next`.
pub fn pager<'a, M: Clone + 'a>(
    id: &str,
    page: usize,
    total: u64,
    per_page: usize,
    on_page: impl Fn(usize) -> M,
    lang: Lang,
    sizes: Sizes,
) -> Option<Element<'a, M>> {
    let pages = usize::try_from(total)
        .unwrap_or(usize::MAX)
        .div_ceil(per_page.max(1))
        .max(1);
    if pages < 2 {
        return None;
    }
    let last = pages - 1;
    let step = |key: &str, label_id: &str, target: Option<usize>| {
        tagged(
            format!("{id}-{key}"),
            big_button(
                tr(lang, label_id),
                target.map(&on_page),
                theme::secondary,
                sizes,
            )
            .width(Length::Fixed(220.0 * sizes.scale)),
        )
    };
    Some(
        row![
            step("previous", fl!("ui-flagged-previous"), page.checked_sub(1)),
            body(
                Text::new(fl!("ui-flagged-page"))
                    .arg("page", page + 1)
                    .arg("pages", pages)
                    .render(lang),
                sizes,
            ),
            step(
                "next",
                fl!("ui-flagged-next"),
                (page < last).then_some(page + 1)
            ),
        ]
        .spacing(16)
        .align_y(Alignment::Center)
        .into(),
    )
}
