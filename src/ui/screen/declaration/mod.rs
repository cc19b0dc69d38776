//! The declaration: two pages, identity then the health questions. Moving on
//! checks the page and shows every problem beside its field; the review
//! screen comes after.

mod identity;
mod questions;

use chrono::NaiveDate;
use iced::widget::column;
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::form::{Edit, Form, Part, part_of};
use crate::ui::keyboard::Kind;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{Action, banner, big_button, form_page, tagged, tr};
use checkpoint_i18n::fl;

/// Which page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Identity,
    Questions,
}

impl Page {
    /// The id of the page's scrollable. Each page has its own scroll
    /// position: the second starts at the top.
    pub fn scroll_id(self) -> &'static str {
        match self {
            Page::Identity => "form-identity",
            Page::Questions => "form-questions",
        }
    }
}

#[derive(Debug, Clone)]
pub struct State {
    pub form: Form,
    pub page: Page,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// The visitor changed an answer.
    Edit(Edit),
    /// Check this page and go on.
    Next,
    /// The previous page (or the welcome screen from the first).
    Back,
    /// Staff unlock the fields a document vouched for (asks the PIN).
    Unlock,
    /// A text field was tapped (the on-screen keyboard types into it).
    Focus(&'static str),
}

/// What the app must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    None,
    /// Both pages are complete: show the review.
    Review,
    /// The visitor left the form.
    Cancel,
    /// Ask the staff PIN, then unlock.
    Unlock,
}

impl State {
    pub fn new(form: Form) -> Self {
        Self {
            form,
            page: Page::Identity,
        }
    }

    pub fn update(&mut self, message: Message, today: NaiveDate) -> Event {
        match message {
            Message::Edit(edit) => {
                self.form.apply(edit);
                Event::None
            }
            Message::Next => match self.page {
                Page::Identity => {
                    if self.form.check_part(Part::Identity, today) {
                        self.form.picker = None;
                        self.page = Page::Questions;
                    }
                    Event::None
                }
                Page::Questions => {
                    if self.form.check_part(Part::Questions, today) {
                        Event::Review
                    } else {
                        Event::None
                    }
                }
            },
            Message::Back => match self.page {
                Page::Identity => Event::Cancel,
                Page::Questions => {
                    self.form.problems.clear();
                    self.page = Page::Identity;
                    Event::None
                }
            },
            Message::Unlock => Event::Unlock,
            Message::Focus(_) => Event::None,
        }
    }

    /// The text of a field on this page and how it is typed.
    pub fn typed(&self, id: &str) -> Option<(String, Kind)> {
        let on_page = match self.page {
            Page::Identity => part_of(id) == Part::Identity,
            Page::Questions => part_of(id) == Part::Questions,
        };
        on_page.then(|| self.form.typed(id)).flatten()
    }

    /// The message that sets a field to `text`.
    pub fn set_typed(id: &str, text: String) -> Option<Message> {
        Edit::typed(id, text).map(Message::Edit)
    }

    /// The step line of the header.
    pub fn step(&self, ctx: Ctx) -> String {
        tr(
            ctx.lang,
            match self.page {
                Page::Identity => fl!("ui-step-identity"),
                Page::Questions => fl!("ui-step-questions"),
            },
        )
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let sizes = ctx.sizes;
        let mut body = column![].spacing(18).padding([0, 16]);
        if !self.form.problems.is_empty() {
            body = body.push(banner(
                Tone::Error,
                vec![tr(ctx.lang, fl!("ui-fix-problems"))],
                sizes,
            ));
        }
        let page = match self.page {
            Page::Identity => identity::view(&self.form, ctx),
            Page::Questions => questions::view(&self.form, ctx),
        };
        body = body.push(page);
        let part = match self.page {
            Page::Identity => Part::Identity,
            Page::Questions => Part::Questions,
        };
        let unlock = self.form.has_locked_fields(part).then(|| {
            tagged(
                "unlock",
                big_button(
                    tr(ctx.lang, fl!("ui-staff-unlock")),
                    Some(Message::Unlock),
                    theme::secondary,
                    sizes,
                )
                .width(Length::Fixed(280.0 * sizes.scale)),
            )
        });
        form_page(
            ctx.lang,
            sizes,
            self.page.scroll_id(),
            body,
            Message::Back,
            unlock,
            Action {
                id: "next",
                label: tr(ctx.lang, fl!("ui-next")),
                message: Message::Next,
            },
        )
    }
}
