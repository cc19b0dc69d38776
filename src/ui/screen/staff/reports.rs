//! The staff screen's reports (phản ánh): what citizens reported at this
//! kiosk, newest first, a page at a time.

use iced::widget::{Column, column, container, row, text};
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::theme;
use crate::ui::widget::{big_button, body, heading, tagged, tr};
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_i18n::{Message as Text, fl};
use checkpoint_store::ReportPage;

/// Reports a page.
pub const PER_PAGE: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct List {
    pub page: usize,
    pub shown: ReportPage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    Page(usize),
}

impl List {
    fn pages(&self) -> usize {
        usize::try_from(self.shown.total)
            .unwrap_or(usize::MAX)
            .div_ceil(PER_PAGE)
            .max(1)
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let mut list = Column::new()
            .spacing(12)
            .push(heading(tr(lang, fl!("ui-reports-heading")), sizes));
        if self.shown.reports.is_empty() {
            list = list.push(body(tr(lang, fl!("ui-reports-none")), sizes));
        }
        for r in &self.shown.reports {
            list = list.push(card(r, ctx));
        }
        if self.pages() > 1 {
            let last = self.pages() - 1;
            list = list.push(
                row![
                    tagged(
                        "reports-previous",
                        big_button(
                            tr(lang, fl!("ui-flagged-previous")),
                            (self.page > 0).then(|| Message::Page(self.page - 1)),
                            theme::secondary,
                            sizes,
                        )
                        .width(Length::Fixed(220.0 * sizes.scale)),
                    ),
                    body(
                        Text::new(fl!("ui-flagged-page"))
                            .arg("page", self.page + 1)
                            .arg("pages", last + 1)
                            .render(lang),
                        sizes,
                    ),
                    tagged(
                        "reports-next",
                        big_button(
                            tr(lang, fl!("ui-flagged-next")),
                            (self.page < last).then(|| Message::Page(self.page + 1)),
                            theme::secondary,
                            sizes,
                        )
                        .width(Length::Fixed(220.0 * sizes.scale)),
                    ),
                ]
                .spacing(16)
                .align_y(iced::Alignment::Center),
            );
        }
        list.into()
    }
}

fn card(r: &ReportRecord, ctx: Ctx) -> Element<'_, Message> {
    let (lang, sizes) = (ctx.lang, ctx.sizes);
    let rep = &r.report;
    let kinds = rep
        .kinds
        .iter()
        .map(|k| tr(lang, &k.text_id()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut c = column![
        text(
            r.submitted_at
                .with_timezone(&chrono::Local)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        )
        .size(sizes.body())
        .font(theme::FONT_SEMIBOLD),
        text(kinds).size(sizes.heading()).font(theme::FONT_BOLD),
    ]
    .spacing(4);
    for line in [&rep.details, &rep.place] {
        if !line.trim().is_empty() {
            c = c.push(text(line.as_str()).size(sizes.body()));
        }
    }
    container(c)
        .padding(14)
        .width(Length::Fill)
        .style(theme::card)
        .into()
}
