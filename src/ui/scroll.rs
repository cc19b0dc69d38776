//! Scrolling the page to what the visitor must see. "Next" with problems on
//! the page scrolls to the first one, not to the top: on the long question
//! page the visitor would otherwise see the banner and have to hunt for the
//! question they missed. A field tapped for the on-screen keyboard is
//! scrolled into the part of the page the keyboard leaves.

use iced::Task;
use iced::advanced::widget::operation::{Operation, Outcome, Scrollable};
use iced::advanced::widget::{Id, operate};
use iced::widget::operation::{AbsoluteOffset, RelativeOffset, scroll_to, snap_to};
use iced::{Rectangle, Vector};

/// The id every problem line under a field carries (ids need not be unique:
/// the first on the page is the one that counts).
pub const PROBLEM_ANCHOR: &str = "field-problem";

/// Shows the top of the page (its banner) at once, then scrolls to the
/// first problem line when the page has one.
pub fn to_first_problem<M: Send + 'static>(page: &'static str) -> Task<M> {
    snap_to(page, RelativeOffset::START).chain(operate(FirstProblem::new(Id::new(page))).then(
        |(page, y)| {
            scroll_to(
                page,
                AbsoluteOffset {
                    x: None,
                    y: Some(y),
                },
            )
        },
    ))
}

/// Finds how far down the page's scrollable content the first problem line
/// sits, and the scroll offset that puts it two thirds of the way down the
/// view: the line sits under its field or checklist, so what it is about
/// (down to a section's heading) stays in sight above it.
struct FirstProblem {
    page: Id,
    anchor: Id,
    /// Top of the scrollable's content and height of its view.
    content: Option<(f32, f32)>,
    first: Option<f32>,
}

impl FirstProblem {
    fn new(page: Id) -> Self {
        Self {
            page,
            anchor: Id::new(PROBLEM_ANCHOR),
            content: None,
            first: None,
        }
    }
}

impl Operation<(Id, f32)> for FirstProblem {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation<(Id, f32)>)) {
        operate(self);
    }

    fn scrollable(
        &mut self,
        id: Option<&Id>,
        bounds: Rectangle,
        content_bounds: Rectangle,
        _translation: Vector,
        _state: &mut dyn Scrollable,
    ) {
        if id == Some(&self.page) {
            self.content = Some((content_bounds.y, bounds.height));
        }
    }

    fn container(&mut self, id: Option<&Id>, bounds: Rectangle) {
        // Only anchors inside the page's scrollable count.
        if self.content.is_some() && id == Some(&self.anchor) {
            self.first = Some(self.first.map_or(bounds.y, |y| y.min(bounds.y)));
        }
    }

    fn finish(&self) -> Outcome<(Id, f32)> {
        match (self.content, self.first) {
            (Some((top, view)), Some(y)) => {
                Outcome::Some((self.page.clone(), (y - top - view * 2.0 / 3.0).max(0.0)))
            }
            _ => Outcome::None,
        }
    }
}

/// Room kept above a revealed field for its label.
const LABEL_ROOM: f32 = 72.0;

/// Scrolls the page holding text field `field` so the field shows, with
/// its label, in the page's view (which the keyboard shortened).
pub fn reveal<M: Send + 'static>(field: &'static str) -> Task<M> {
    operate(Reveal::new(Id::new(field))).then(|(page, y)| {
        scroll_to(
            page,
            AbsoluteOffset {
                x: None,
                y: Some(y),
            },
        )
    })
}

/// The scroll offset that shows a field whose top is `field_top` down the
/// content (and `field_height` tall) in a view of `view` pixels now
/// scrolled to `offset`; `None` when it shows already.
pub fn offset_revealing(field_top: f32, field_height: f32, view: f32, offset: f32) -> Option<f32> {
    let top = (field_top - LABEL_ROOM).max(0.0);
    let bottom = field_top + field_height;
    if top >= offset && bottom <= offset + view {
        return None;
    }
    Some(top)
}

/// A scrollable seen while looking for the field: its id, where its content
/// starts, its view height and how far it is scrolled.
#[derive(Debug, Clone)]
struct Page {
    id: Id,
    content: Rectangle,
    view: f32,
    offset: f32,
}

/// Finds the field and the scrollable (with an id) whose content holds it.
struct Reveal {
    field: Id,
    pages: Vec<Page>,
    found: Option<(Id, f32)>,
}

impl Reveal {
    fn new(field: Id) -> Self {
        Self {
            field,
            pages: Vec::new(),
            found: None,
        }
    }
}

impl Operation<(Id, f32)> for Reveal {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation<(Id, f32)>)) {
        operate(self);
    }

    fn scrollable(
        &mut self,
        id: Option<&Id>,
        bounds: Rectangle,
        content_bounds: Rectangle,
        translation: Vector,
        _state: &mut dyn Scrollable,
    ) {
        if let Some(id) = id {
            self.pages.push(Page {
                id: id.clone(),
                content: content_bounds,
                view: bounds.height,
                offset: translation.y,
            });
        }
    }

    fn focusable(
        &mut self,
        id: Option<&Id>,
        bounds: Rectangle,
        _state: &mut dyn iced::advanced::widget::operation::Focusable,
    ) {
        if id != Some(&self.field) || self.found.is_some() {
            return;
        }
        let Some(page) = self
            .pages
            .iter()
            .rev()
            .find(|p| p.content.y <= bounds.y && bounds.y <= p.content.y + p.content.height)
        else {
            return;
        };
        let top = bounds.y - page.content.y;
        if let Some(y) = offset_revealing(top, bounds.height, page.view, page.offset) {
            self.found = Some((page.id.clone(), y));
        }
    }

    fn finish(&self) -> Outcome<(Id, f32)> {
        match &self.found {
            Some(found) => Outcome::Some(found.clone()),
            None => Outcome::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoScroll;
    impl Scrollable for NoScroll {
        fn snap_to(&mut self, _: RelativeOffset<Option<f32>>) {}
        fn scroll_to(&mut self, _: AbsoluteOffset<Option<f32>>) {}
        fn scroll_by(&mut self, _: AbsoluteOffset, _: Rectangle, _: Rectangle) {}
    }

    fn at(y: f32) -> Rectangle {
        Rectangle::new(iced::Point::new(0.0, y), iced::Size::new(600.0, 30.0))
    }

    fn visit(op: &mut FirstProblem, page: &str, anchors: &[(&str, f32)]) {
        let content = Rectangle::new(
            iced::Point::new(0.0, 100.0),
            iced::Size::new(1200.0, 3000.0),
        );
        let view = Rectangle::new(iced::Point::new(0.0, 100.0), iced::Size::new(1200.0, 600.0));
        op.scrollable(
            Some(&Id::from(page.to_owned())),
            view,
            content,
            Vector::ZERO,
            &mut NoScroll,
        );
        for (id, y) in anchors {
            op.container(Some(&Id::from(id.to_string())), at(*y));
        }
    }

    #[test]
    fn the_topmost_problem_is_put_two_thirds_down_the_view() {
        let mut op = FirstProblem::new(Id::new("form-questions"));
        visit(
            &mut op,
            "form-questions",
            &[
                ("chip", 500.0),
                (PROBLEM_ANCHOR, 2100.0),
                (PROBLEM_ANCHOR, 1600.0),
            ],
        );
        match op.finish() {
            // 1600 on the page, content from 100, two thirds of a 600 px view above it.
            Outcome::Some((page, y)) => {
                assert_eq!(page, Id::new("form-questions"));
                assert_eq!(y, 1100.0);
            }
            _ => panic!("a problem was on the page"),
        }
    }

    #[test]
    fn a_problem_near_the_top_scrolls_to_the_top() {
        let mut op = FirstProblem::new(Id::new("form-identity"));
        visit(&mut op, "form-identity", &[(PROBLEM_ANCHOR, 450.0)]);
        assert!(matches!(op.finish(), Outcome::Some((_, 0.0))));
    }

    #[test]
    fn a_field_below_the_view_is_scrolled_up_with_room_for_its_label() {
        // View 280 px (the keyboard took the rest), at the top of the page.
        assert_eq!(offset_revealing(600.0, 56.0, 280.0, 0.0), Some(528.0));
        // Already in view: no scroll.
        assert_eq!(offset_revealing(150.0, 56.0, 280.0, 0.0), None);
        // Above the view (scrolled past it): back up to it.
        assert_eq!(offset_revealing(100.0, 56.0, 280.0, 400.0), Some(28.0));
        // Near the top of the page: never a negative offset.
        assert_eq!(offset_revealing(30.0, 56.0, 40.0, 10.0), Some(0.0));
    }

    #[test]
    fn the_revealed_field_is_found_in_the_scrollable_that_holds_it() {
        let mut op = Reveal::new(Id::new("phone"));
        let view = Rectangle::new(iced::Point::new(0.0, 100.0), iced::Size::new(1200.0, 280.0));
        let content = Rectangle::new(
            iced::Point::new(0.0, 100.0),
            iced::Size::new(1200.0, 1500.0),
        );
        op.scrollable(
            Some(&Id::new("form-identity")),
            view,
            content,
            Vector::ZERO,
            &mut NoScroll,
        );
        op.focusable(Some(&Id::new("full_name")), at(200.0), &mut Focus);
        op.focusable(Some(&Id::new("phone")), at(700.0), &mut Focus);
        match op.finish() {
            Outcome::Some((page, y)) => {
                assert_eq!(page, Id::new("form-identity"));
                assert_eq!(y, 528.0);
            }
            _ => panic!("the phone field was below the view"),
        }
    }

    struct Focus;
    impl iced::advanced::widget::operation::Focusable for Focus {
        fn is_focused(&self) -> bool {
            false
        }
        fn focus(&mut self) {}
        fn unfocus(&mut self) {}
    }

    #[test]
    fn nothing_happens_without_a_problem_or_on_another_page() {
        let mut op = FirstProblem::new(Id::new("form-identity"));
        visit(&mut op, "form-identity", &[("chip", 900.0)]);
        assert!(matches!(op.finish(), Outcome::None));
        let mut op = FirstProblem::new(Id::new("form-identity"));
        visit(&mut op, "staff", &[(PROBLEM_ANCHOR, 900.0)]);
        assert!(matches!(op.finish(), Outcome::None));
    }
}
