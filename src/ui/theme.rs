//! The kiosk's look: a light, high-contrast palette readable in glare, text
//! sizes that staff can scale, and the styles of the big touch targets.
//! Every colour pair used for text has a contrast of at least 7:1 (WCAG AAA).

use iced::widget::{button, container, text_input};
use iced::{Background, Border, Color, Font, Shadow, Theme, font};

/// Near-black ink on white: 17:1.
pub const INK: Color = Color::from_rgb8(0x11, 0x14, 0x18);
pub const PAPER: Color = Color::WHITE;
/// Deep blue, 8.6:1 on white: actions and selections.
pub const BLUE: Color = Color::from_rgb8(0x0a, 0x3d, 0x8f);
/// Dark green, 7.4:1 on white: all clear.
pub const GREEN: Color = Color::from_rgb8(0x0b, 0x5d, 0x2a);
/// Dark red, 7.6:1 on white: errors, "wait for staff".
pub const RED: Color = Color::from_rgb8(0x9e, 0x0b, 0x1f);
/// Dark amber, 7.0:1 on white: warnings.
pub const AMBER: Color = Color::from_rgb8(0x7a, 0x4a, 0x00);
/// Light tints behind banners (text on them stays INK or the strong colour).
pub const BLUE_TINT: Color = Color::from_rgb8(0xe6, 0xee, 0xfa);
pub const GREEN_TINT: Color = Color::from_rgb8(0xe3, 0xf4, 0xe8);
pub const RED_TINT: Color = Color::from_rgb8(0xfb, 0xe7, 0xea);
pub const AMBER_TINT: Color = Color::from_rgb8(0xfd, 0xf1, 0xd8);
pub const GREY_TINT: Color = Color::from_rgb8(0xf0, 0xf1, 0xf3);
/// Borders of idle controls: dark enough to see in glare (5.7:1).
pub const EDGE: Color = Color::from_rgb8(0x5c, 0x63, 0x6e);

/// The bundled font (SIL OFL): every Vietnamese glyph, clear at large sizes.
pub const FONT: Font = Font::with_name("Be Vietnam Pro");
pub const FONT_BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..FONT
};
pub const FONT_SEMIBOLD: Font = Font {
    weight: font::Weight::Semibold,
    ..FONT
};

/// The font files, loaded at start-up.
pub const FONT_FILES: [&[u8]; 3] = [
    include_bytes!("../../assets/fonts/BeVietnamPro-Regular.ttf"),
    include_bytes!("../../assets/fonts/BeVietnamPro-SemiBold.ttf"),
    include_bytes!("../../assets/fonts/BeVietnamPro-Bold.ttf"),
];

/// Line height of text fields: room for stacked capital diacritics (Ễ, Ấ),
/// which the default height clips.
pub const INPUT_LINE_HEIGHT: iced::widget::text::LineHeight =
    iced::widget::text::LineHeight::Relative(1.7);

/// Touch targets: at least 48 px; 56 leaves a margin for unsteady hands.
pub const TOUCH: f32 = 56.0;

/// The theme of the whole window.
pub fn theme() -> Theme {
    Theme::custom(
        "Checkpoint high contrast".to_owned(),
        iced::theme::Palette {
            background: PAPER,
            text: INK,
            primary: BLUE,
            success: GREEN,
            warning: AMBER,
            danger: RED,
        },
    )
}

/// Text sizes, scaled by the staff's text-size setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizes {
    pub scale: f32,
}

impl Sizes {
    /// Scale clamped to what the layouts are tested at.
    pub fn new(scale: f32) -> Self {
        Self {
            scale: if scale.is_finite() {
                scale.clamp(0.8, 1.6)
            } else {
                1.0
            },
        }
    }
    pub fn small(self) -> f32 {
        16.0 * self.scale
    }
    pub fn body(self) -> f32 {
        20.0 * self.scale
    }
    pub fn button(self) -> f32 {
        22.0 * self.scale
    }
    pub fn heading(self) -> f32 {
        26.0 * self.scale
    }
    pub fn title(self) -> f32 {
        34.0 * self.scale
    }
    pub fn huge(self) -> f32 {
        48.0 * self.scale
    }
    /// Padding inside buttons, so a one-line button is at least [`TOUCH`] tall.
    pub fn pad(self) -> f32 {
        ((TOUCH - self.button() * 1.3) / 2.0).max(10.0)
    }
}

impl Default for Sizes {
    fn default() -> Self {
        Self::new(1.0)
    }
}

fn border(color: Color, width: f32) -> Border {
    Border {
        color,
        width,
        radius: 8.0.into(),
    }
}

fn filled(bg: Color, fg: Color, status: button::Status) -> button::Style {
    let bg = match status {
        button::Status::Pressed => darken(bg),
        _ => bg,
    };
    button::Style {
        background: Some(Background::Color(bg)),
        text_color: fg,
        border: border(darken(bg), 2.0),
        shadow: Shadow::default(),
        snap: true,
    }
}

fn outlined(edge: Color, fg: Color, status: button::Status) -> button::Style {
    let bg = match status {
        button::Status::Hovered => GREY_TINT,
        button::Status::Pressed => BLUE_TINT,
        _ => PAPER,
    };
    button::Style {
        background: Some(Background::Color(bg)),
        text_color: fg,
        border: border(edge, 2.0),
        shadow: Shadow::default(),
        snap: true,
    }
}

fn darken(c: Color) -> Color {
    Color::from_rgb(c.r * 0.8, c.g * 0.8, c.b * 0.8)
}

fn disabled(mut style: button::Style) -> button::Style {
    style.background = Some(Background::Color(GREY_TINT));
    style.text_color = EDGE;
    style.border = border(GREY_TINT, 2.0);
    style
}

/// The main action of a screen (Next, Submit).
pub fn primary(_: &Theme, status: button::Status) -> button::Style {
    match status {
        button::Status::Disabled => disabled(filled(BLUE, PAPER, status)),
        _ => filled(BLUE, PAPER, status),
    }
}

/// A secondary action (Back, Cancel).
pub fn secondary(_: &Theme, status: button::Status) -> button::Style {
    outlined(BLUE, BLUE, status)
}

/// A destructive or alarming action (close the kiosk).
pub fn danger(_: &Theme, status: button::Status) -> button::Style {
    filled(RED, PAPER, status)
}

/// An answer or a checklist item: outlined until chosen, filled when chosen.
pub fn choice(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        if selected {
            let mut s = filled(BLUE, PAPER, status);
            s.border = border(INK, 3.0);
            s
        } else {
            outlined(EDGE, INK, status)
        }
    }
}

/// A quiet link-like button (header, staff entry).
pub fn quiet(_: &Theme, status: button::Status) -> button::Style {
    let mut s = outlined(Color::TRANSPARENT, INK, status);
    if matches!(status, button::Status::Active) {
        s.background = None;
    }
    s
}

/// Buttons on the blue header bar.
pub fn on_header(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        if selected {
            filled(PAPER, BLUE, status)
        } else {
            let mut s = outlined(PAPER, PAPER, status);
            s.background = Some(Background::Color(match status {
                button::Status::Hovered | button::Status::Pressed => darken(BLUE),
                _ => BLUE,
            }));
            s
        }
    }
}

/// The header bar.
pub fn header(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(BLUE)),
        text_color: Some(PAPER),
        ..container::Style::default()
    }
}

/// The status bar at the bottom.
pub fn status_bar(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(GREY_TINT)),
        text_color: Some(INK),
        border: Border {
            color: EDGE,
            width: 1.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// A group of questions.
pub fn card(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(PAPER)),
        border: border(EDGE, 1.0),
        ..container::Style::default()
    }
}

/// How serious a banner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warning,
    Error,
}

impl Tone {
    pub fn strong(self) -> Color {
        match self {
            Tone::Info => BLUE,
            Tone::Good => GREEN,
            Tone::Warning => AMBER,
            Tone::Error => RED,
        }
    }
    pub fn tint(self) -> Color {
        match self {
            Tone::Info => BLUE_TINT,
            Tone::Good => GREEN_TINT,
            Tone::Warning => AMBER_TINT,
            Tone::Error => RED_TINT,
        }
    }
}

/// A banner: tinted background, strong border, ink text.
pub fn banner(tone: Tone) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(Background::Color(tone.tint())),
        text_color: Some(INK),
        border: Border {
            color: tone.strong(),
            width: 3.0,
            radius: 8.0.into(),
        },
        ..container::Style::default()
    }
}

/// The full-screen result panel: white text on green or red.
pub fn result_panel(tone: Tone) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(Background::Color(tone.strong())),
        text_color: Some(PAPER),
        ..container::Style::default()
    }
}

/// The small label showing where a pre-filled value came from.
pub fn badge(verified: bool) -> impl Fn(&Theme) -> container::Style {
    move |_| {
        let tone = if verified { Tone::Good } else { Tone::Warning };
        container::Style {
            background: Some(Background::Color(tone.tint())),
            text_color: Some(tone.strong()),
            border: Border {
                color: tone.strong(),
                width: 1.5,
                radius: 12.0.into(),
            },
            ..container::Style::default()
        }
    }
}

/// A text field: thick border, red when the field has a problem.
pub fn field(has_error: bool) -> impl Fn(&Theme, text_input::Status) -> text_input::Style {
    move |_, status| {
        let edge = if has_error {
            RED
        } else {
            match status {
                text_input::Status::Focused { .. } => BLUE,
                _ => EDGE,
            }
        };
        let width = if matches!(status, text_input::Status::Focused { .. }) {
            3.0
        } else {
            2.0
        };
        text_input::Style {
            background: Background::Color(match status {
                text_input::Status::Disabled => GREY_TINT,
                _ => PAPER,
            }),
            border: border(edge, width),
            icon: INK,
            placeholder: EDGE,
            value: INK,
            selection: BLUE_TINT,
        }
    }
}

/// The tray of the on-screen keyboard: set apart from the page above it.
pub fn keyboard_tray(_: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::from_rgb8(0xd9, 0xdc, 0xe1))),
        border: Border {
            color: EDGE,
            width: 1.0,
            radius: 0.0.into(),
        },
        ..container::Style::default()
    }
}

/// A key of the on-screen keyboard: white with dark ink; `accent` for the
/// Vietnamese letters and tones, `lit` for Shift while it is on.
pub fn keyboard_key(accent: bool, lit: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |_, status| {
        if lit {
            return filled(BLUE, PAPER, status);
        }
        let mut s = outlined(EDGE, INK, status);
        if accent && matches!(status, button::Status::Active) {
            s.background = Some(Background::Color(BLUE_TINT));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(c: Color) -> f32 {
        let lin = |v: f32| {
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
    }

    fn contrast(a: Color, b: Color) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_colours_reach_aaa_contrast_on_their_backgrounds() {
        for strong in [INK, BLUE, GREEN, RED, AMBER] {
            assert!(contrast(strong, PAPER) >= 7.0, "{strong:?}");
        }
        for tone in [Tone::Info, Tone::Good, Tone::Warning, Tone::Error] {
            assert!(contrast(INK, tone.tint()) >= 7.0);
            assert!(contrast(tone.strong(), tone.tint()) >= 5.5, "{tone:?}");
        }
    }

    #[test]
    fn buttons_are_touch_sized_at_every_text_scale() {
        for scale in [0.8, 1.0, 1.3, 1.6] {
            let s = Sizes::new(scale);
            assert!(s.button() * 1.3 + 2.0 * s.pad() >= 48.0, "{scale}");
        }
        assert_eq!(Sizes::new(f32::NAN).scale, 1.0);
        assert_eq!(Sizes::new(9.0).scale, 1.6);
    }
}
