//! The staff screen's reports (phản ánh): what citizens reported at this
//! kiosk, newest first, a page at a time.

use iced::widget::{Column, column, container, text};
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::theme;
use crate::ui::widget::{body, heading, pager, tr};
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_i18n::fl;
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
        list = list.push(pager(
            "reports",
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
