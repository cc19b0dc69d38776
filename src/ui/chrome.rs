//! What frames every screen: the header with the title, the step and the
//! VI / EN switch, and the status bar with camera, queue, sync and Bluetooth.

use iced::widget::{Row, button, column, container, row, space, text};
use iced::{Alignment, Element, Length};

use super::theme::{self, Sizes};
use super::widget::{tagged, tr};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message as Text};

/// The view settings every screen draws with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ctx {
    pub lang: Lang,
    pub sizes: Sizes,
}

/// The header: title, where the visitor is, and the language switch.
pub fn header<'a, M: Clone + 'a>(
    ctx: Ctx,
    title: String,
    step: Option<String>,
    on_lang: impl Fn(Lang) -> M,
    extra: Option<Element<'a, M>>,
) -> Element<'a, M> {
    let sizes = ctx.sizes;
    let mut switch = Row::new().spacing(8);
    for lang in Lang::ALL {
        let label = match lang {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        };
        switch = switch.push(tagged(
            format!("lang-{}", lang.code()),
            button(text(label).size(sizes.button()).font(theme::FONT_SEMIBOLD))
                .padding([sizes.pad(), 18.0])
                .on_press(on_lang(lang))
                .style(theme::on_header(lang == ctx.lang)),
        ));
    }
    let mut titles = column![text(title).size(sizes.title()).font(theme::FONT_BOLD)];
    if let Some(step) = step {
        titles = titles.push(text(step).size(sizes.body()));
    }
    let bar = row![titles, space::horizontal()]
        .push(extra)
        .push(switch)
        .spacing(16)
        .align_y(Alignment::Center);
    container(bar)
        .padding([12, 24])
        .width(Length::Fill)
        .style(theme::header)
        .into()
}

/// "3 visitors waiting for staff": on every screen until each is
/// acknowledged; a tap asks for the PIN and opens the list.
pub fn waiting_badge<'a, M: Clone + 'a>(ctx: Ctx, count: u64, on_press: M) -> Element<'a, M> {
    let label = Text::new(fl!("ui-waiting-badge"))
        .arg("count", count)
        .render(ctx.lang);
    tagged(
        "waiting-badge",
        button(text(label).size(ctx.sizes.button()).font(theme::FONT_BOLD))
            .padding([ctx.sizes.pad(), 18.0])
            .on_press(on_press)
            .style(theme::danger),
    )
}

/// One part of the status bar and whether it needs attention.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusItem {
    pub text: Text,
    pub problem: bool,
}

/// The status bar's parts, refreshed by the app.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusLine {
    pub camera: Option<StatusItem>,
    pub queue: Option<StatusItem>,
    pub bluetooth: Option<StatusItem>,
    /// Only when the DCC trust list is missing or old.
    pub trust: Option<StatusItem>,
    /// Serial-mode scanners connected now.
    pub serial: Option<StatusItem>,
}

/// The status bar.
pub fn status_bar<'a, M: 'a>(ctx: Ctx, status: &StatusLine) -> Element<'a, M> {
    let mut r = Row::new().spacing(28).align_y(Alignment::Center);
    let items = [
        (fl!("ui-status-camera"), &status.camera),
        (fl!("ui-status-queue"), &status.queue),
        (fl!("ui-status-bluetooth"), &status.bluetooth),
        (fl!("ui-status-serial"), &status.serial),
        (fl!("ui-status-trust"), &status.trust),
    ];
    for (label, item) in items {
        if let Some(item) = item {
            let color = if item.problem { theme::RED } else { theme::INK };
            r = r.push(
                text(format!(
                    "{}: {}",
                    tr(ctx.lang, label),
                    item.text.render(ctx.lang)
                ))
                .size(ctx.sizes.small())
                .color(color),
            );
        }
    }
    container(r)
        .padding([8, 24])
        .width(Length::Fill)
        .style(theme::status_bar)
        .into()
}

/// A screen: header, body filling the space between, status bar.
pub fn frame<'a, M: 'a>(
    header: Element<'a, M>,
    body: Element<'a, M>,
    status: Element<'a, M>,
) -> Element<'a, M> {
    column![
        header,
        container(body)
            .width(Length::Fill)
            .height(Length::Fill)
            .padding([16, 24]),
        status
    ]
    .into()
}
