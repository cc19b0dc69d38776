//! The live camera picture on the welcome screen, with the outline of the
//! code just read. Frames are shrunk off the GUI thread (in the preview
//! subscription) to the size they are shown at, so drawing them stays cheap.

use std::time::{Duration, Instant};

use iced::widget::canvas::{self, Frame as Canvas, Path, Stroke};
use iced::widget::{image, stack};
use iced::{ContentFit, Element, Length, Rectangle, Renderer, Theme, mouse};

use super::theme;
use crate::scan::{Frame, Point};

/// Widest picture the window shows; larger frames are shrunk to this.
pub const MAX_WIDTH: u32 = 800;
/// How long the outline of a read code stays on the picture.
pub const OUTLINE_FOR: Duration = Duration::from_millis(1500);

/// A frame ready to draw.
#[derive(Debug, Clone)]
pub struct Picture {
    pub handle: image::Handle,
    /// Size of the original frame (outline corners are in its pixels).
    pub frame_width: u32,
    pub frame_height: u32,
    pub seq: u64,
}

impl Picture {
    /// Shrinks a frame to at most [`MAX_WIDTH`] wide (nearest pixel: a
    /// preview needs speed, not filtering).
    pub fn of(frame: &Frame) -> Self {
        let (w, h) = (frame.width().max(1), frame.height().max(1));
        let step = w.div_ceil(MAX_WIDTH).max(1);
        let (ow, oh) = (w / step, h / step);
        let src = frame.rgba.as_raw();
        let mut out = Vec::with_capacity((ow * oh * 4) as usize);
        for y in 0..oh {
            let row = (y * step * w) as usize * 4;
            for x in 0..ow {
                let i = row + (x * step) as usize * 4;
                out.extend_from_slice(src.get(i..i + 4).unwrap_or(&[0, 0, 0, 255]));
            }
        }
        Self {
            handle: image::Handle::from_rgba(ow, oh, out),
            frame_width: w,
            frame_height: h,
            seq: frame.seq,
        }
    }
}

/// The outline of the last code read, and until when to show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outline {
    pub corners: [Point; 4],
    pub frame_width: u32,
    pub frame_height: u32,
    pub until: Instant,
}

/// Draws the outline over the picture, fitted the way the image is (contain).
#[derive(Debug)]
struct OutlineLayer {
    outline: Outline,
}

impl<M> canvas::Program<M> for OutlineLayer {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        _theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<canvas::Geometry> {
        let o = self.outline;
        let (fw, fh) = (o.frame_width.max(1) as f32, o.frame_height.max(1) as f32);
        let scale = (bounds.width / fw).min(bounds.height / fh);
        let (dx, dy) = (
            (bounds.width - fw * scale) / 2.0,
            (bounds.height - fh * scale) / 2.0,
        );
        let at = |p: Point| iced::Point::new(dx + p.x * scale, dy + p.y * scale);
        let path = Path::new(|b| {
            b.move_to(at(o.corners[0]));
            for p in &o.corners[1..] {
                b.line_to(at(*p));
            }
            b.close();
        });
        let mut frame = Canvas::new(renderer, bounds.size());
        frame.stroke(
            &path,
            Stroke::default().with_color(theme::GREEN).with_width(8.0),
        );
        vec![frame.into_geometry()]
    }
}

/// The picture, with the outline while it is fresh.
pub fn view<'a, M: 'a>(
    picture: &Picture,
    outline: Option<Outline>,
    now: Instant,
) -> Element<'a, M> {
    // Nearest-pixel scaling: the CPU renderer draws the live picture at
    // half the cost of linear filtering, and a preview needs no smoothing.
    let img = image(picture.handle.clone())
        .filter_method(image::FilterMethod::Nearest)
        .content_fit(ContentFit::Contain)
        .width(Length::Fill)
        .height(Length::Fill);
    match outline.filter(|o| o.until > now) {
        Some(outline) => stack![
            img,
            canvas::Canvas::new(OutlineLayer { outline })
                .width(Length::Fill)
                .height(Length::Fill)
        ]
        .into(),
        None => img.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_720p_frame_is_shown_at_half_size() {
        let rgba = ::image::RgbaImage::from_pixel(1280, 720, ::image::Rgba([10, 20, 30, 255]));
        let p = Picture::of(&Frame::from_rgba(rgba, 7));
        assert_eq!((p.frame_width, p.frame_height, p.seq), (1280, 720, 7));
        match p.handle {
            image::Handle::Rgba {
                width,
                height,
                ref pixels,
                ..
            } => {
                assert_eq!((width, height), (640, 360));
                assert_eq!(&pixels[..4], &[10, 20, 30, 255]);
            }
            other => panic!("unexpected handle {other:?}"),
        }
    }

    #[test]
    fn small_and_odd_frames_are_kept_whole() {
        let rgba = ::image::RgbaImage::new(3, 1);
        let p = Picture::of(&Frame::from_rgba(rgba, 0));
        assert_eq!((p.frame_width, p.frame_height), (3, 1));
    }
}
