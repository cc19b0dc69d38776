//! Welcome / scan: the live picture, what to do in both languages, the
//! "enter by hand" and "report" buttons, and what the last scan said when it
//! could not be used.

use std::time::Instant;

use iced::widget::{Column, button, column, container, row, text};
use iced::{Alignment, Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::preview::{self, Outline, Picture};
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{banner, big_button, tagged, tr};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message as Text};

/// What the welcome screen shows besides the picture.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The last scan could not be used: why (until the next scan or visitor).
    pub notice: Option<(Tone, Vec<Text>)>,
    /// A code read from the demo frames: offered, never started on its own
    /// (a kiosk without a camera must stay free for scanners and hands).
    pub demo_code: Option<Vec<u8>>,
}

/// What the visitor can do here.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Fill the form without a code.
    EnterByHand,
    /// Open the report (phản ánh) form.
    Report,
    /// Staff want their screen (asks the PIN).
    Staff,
    /// Fill the form from the code read on the demo frames.
    TryDemo,
}

/// What the app passes in to draw the screen.
#[derive(Debug)]
pub struct Scene<'a> {
    pub picture: Option<&'a Picture>,
    pub outline: Option<Outline>,
    pub now: Instant,
    /// "No camera: showing demo frames" and the like.
    pub source_note: Option<Text>,
    /// The store cannot keep records: ask for staff instead.
    pub store_problem: Option<&'a Text>,
}

pub fn view<'a>(state: &'a State, ctx: Ctx, scene: Scene<'a>) -> Element<'a, Message> {
    let sizes = ctx.sizes;
    let other = ctx.lang.other();
    let picture: Element<'a, Message> = match scene.picture {
        Some(p) => preview::view(p, scene.outline, scene.now),
        None => container(
            text(tr(ctx.lang, fl!("ui-welcome-no-picture")))
                .size(sizes.body())
                .align_x(Alignment::Center),
        )
        .center(Length::Fill)
        .style(theme::card)
        .into(),
    };

    let mut side = Column::new().spacing(18).width(Length::FillPortion(2));
    side = side.push(
        text(tr(ctx.lang, fl!("ui-welcome-scan")))
            .size(sizes.title())
            .font(theme::FONT_BOLD),
    );
    side = side.push(
        text(tr(other, fl!("ui-welcome-scan")))
            .size(sizes.heading())
            .color(theme::EDGE),
    );
    side = side.push(text(tr(ctx.lang, fl!("ui-welcome-kinds"))).size(sizes.body()));
    if let Some((tone, lines)) = &state.notice {
        side = side.push(banner(
            *tone,
            lines.iter().map(|m| m.render(ctx.lang)).collect(),
            sizes,
        ));
    }
    if state.demo_code.is_some() {
        side = side.push(tagged(
            "try-demo",
            big_button(
                tr(ctx.lang, fl!("ui-demo-try")),
                Some(Message::TryDemo),
                theme::secondary,
                sizes,
            )
            .width(Length::Fill),
        ));
    }
    if let Some(problem) = scene.store_problem {
        side = side.push(banner(
            Tone::Error,
            vec![
                tr(ctx.lang, fl!("ui-store-unavailable")),
                problem.render(ctx.lang),
            ],
            sizes,
        ));
    }
    side = side.push(tagged(
        "enter-by-hand",
        big_button(
            two_lines(ctx.lang, fl!("ui-enter-by-hand")),
            Some(Message::EnterByHand),
            theme::primary,
            sizes,
        )
        .width(Length::Fill),
    ));
    side = side.push(tagged(
        "open-report",
        big_button(
            two_lines(ctx.lang, fl!("ui-open-report")),
            Some(Message::Report),
            theme::secondary,
            sizes,
        )
        .width(Length::Fill),
    ));

    let mut left = column![picture].spacing(8).width(Length::FillPortion(3));
    if let Some(note) = scene.source_note {
        left = left.push(banner(Tone::Warning, vec![note.render(ctx.lang)], sizes));
    }
    let staff = tagged(
        "open-staff",
        button(text(tr(ctx.lang, fl!("ui-staff"))).size(sizes.small()))
            .padding([12, 16])
            .on_press(Message::Staff)
            .style(theme::quiet),
    );
    column![
        row![left, side].spacing(24).height(Length::Fill),
        row![iced::widget::space::horizontal(), staff]
    ]
    .spacing(4)
    .into()
}

/// A label in the visitor's language with the other language under it, for
/// the first buttons a visitor sees.
fn two_lines(lang: Lang, id: &str) -> String {
    format!("{}\n{}", tr(lang, id), tr(lang.other(), id))
}
