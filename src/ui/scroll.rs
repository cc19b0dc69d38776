//! "Next" with problems on the page scrolls to the first one, not to the
//! top: on the long question page the visitor would otherwise see the banner
//! and have to hunt for the question they missed.

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
    fn nothing_happens_without_a_problem_or_on_another_page() {
        let mut op = FirstProblem::new(Id::new("form-identity"));
        visit(&mut op, "form-identity", &[("chip", 900.0)]);
        assert!(matches!(op.finish(), Outcome::None));
        let mut op = FirstProblem::new(Id::new("form-identity"));
        visit(&mut op, "staff", &[(PROBLEM_ANCHOR, 900.0)]);
        assert!(matches!(op.finish(), Outcome::None));
    }
}
