//! The settings staff change at the kiosk: camera, default language,
//! retention, sync server, idle timeout, text size, sounds, whether a travel
//! yes flags, and the PIN. Those the hub sets are shown, marked, and not
//! changed here (nor written to the kiosk's file).

use iced::widget::{Column, column, container, row, text, text_input, toggler};
use iced::{Alignment, Element, Length};

use super::Message;
use crate::config::{Config, Setting};
use crate::ui::chrome::Ctx;
use crate::ui::keyboard::Kind;
use crate::ui::pin;
use crate::ui::theme;
use crate::ui::widget::{heading, input, labelled, options, tagged, touch_field, tr};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message as Text};

/// Idle timeouts staff can choose, in seconds.
pub const IDLE_CHOICES: [u64; 5] = [30, 60, 90, 120, 180];
/// Text sizes staff can choose.
pub const SCALE_CHOICES: [(u16, &str); 4] = [(90, "A-"), (100, "A"), (120, "A+"), (140, "A++")];

/// The settings as edited, before they are saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub camera: String,
    pub lang: Lang,
    pub retention_days: String,
    pub sync_server: String,
    pub idle_secs: u64,
    /// Text scale in percent.
    pub text_percent: u16,
    pub sounds: bool,
    pub travel_flags: bool,
    pub new_pin: String,
    pub new_pin_again: String,
    /// The settings the hub sets, by their names in the configuration file.
    pub hub_set: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DraftMessage {
    Camera(String),
    Lang(Lang),
    Retention(String),
    Server(String),
    Idle(u64),
    TextSize(u16),
    Sounds(bool),
    TravelFlags(bool),
    NewPin(String),
    NewPinAgain(String),
}

/// A settings text field: its id, how it is typed, the edit that sets it.
type Field = (&'static str, Kind, fn(String) -> DraftMessage);

const FIELDS: [Field; 5] = [
    ("set-retention", Kind::Number, DraftMessage::Retention),
    ("set-camera", Kind::Text, DraftMessage::Camera),
    ("set-server", Kind::Text, DraftMessage::Server),
    ("set-pin", Kind::Number, DraftMessage::NewPin),
    ("set-pin-again", Kind::Number, DraftMessage::NewPinAgain),
];

impl Draft {
    /// The text of a setting's field and how it is typed.
    pub fn typed(&self, id: &str) -> Option<(String, Kind)> {
        let (_, kind, _) = FIELDS.iter().find(|(f, ..)| *f == id)?;
        let text = match id {
            "set-retention" => &self.retention_days,
            "set-camera" => &self.camera,
            "set-server" => &self.sync_server,
            "set-pin" => &self.new_pin,
            _ => &self.new_pin_again,
        };
        Some((text.clone(), *kind))
    }

    /// The edit that sets a setting's field to `text`.
    pub fn set_typed(id: &str, text: String) -> Option<DraftMessage> {
        FIELDS
            .iter()
            .find(|(f, ..)| *f == id)
            .map(|(_, _, edit)| edit(text))
    }

    /// The settings in force; `hub_set` names those the hub sets.
    pub fn of(config: &Config, hub_set: Vec<&'static str>) -> Self {
        Self {
            camera: config.scan.camera.clone(),
            lang: config.kiosk.lang,
            retention_days: config.store.retention_days.to_string(),
            sync_server: config.sync.server.clone(),
            idle_secs: config.kiosk.idle_timeout_secs,
            text_percent: (config.kiosk.text_scale * 100.0).round().clamp(80.0, 160.0) as u16,
            sounds: config.kiosk.sounds,
            travel_flags: config.triage.travel_flags,
            new_pin: String::new(),
            new_pin_again: String::new(),
            hub_set,
        }
    }

    pub fn update(&mut self, m: DraftMessage) {
        match m {
            DraftMessage::Camera(v) => self.camera = v,
            DraftMessage::Lang(l) => self.lang = l,
            DraftMessage::Retention(v) => {
                self.retention_days = v.chars().filter(char::is_ascii_digit).take(4).collect();
            }
            DraftMessage::Server(v) => self.sync_server = v.trim().to_owned(),
            DraftMessage::Idle(s) => self.idle_secs = s,
            DraftMessage::TextSize(p) => self.text_percent = p,
            DraftMessage::Sounds(on) => self.sounds = on,
            DraftMessage::TravelFlags(on) => self.travel_flags = on,
            DraftMessage::NewPin(v) => self.new_pin = digits(&v),
            DraftMessage::NewPinAgain(v) => self.new_pin_again = digits(&v),
        }
    }

    /// The first problem, if any.
    pub fn check(&self) -> Result<(), Text> {
        let days: u32 = self.retention_days.parse().unwrap_or(0);
        if !(1..=365).contains(&days) {
            return Err(Text::new(fl!("ui-settings-error-retention")));
        }
        let server = self.sync_server.trim();
        if !(server.is_empty() || server.starts_with("https://") || server.starts_with("http://")) {
            return Err(Text::new(fl!("ui-settings-error-server")));
        }
        if !self.new_pin.is_empty() || !self.new_pin_again.is_empty() {
            if !pin::is_acceptable(&self.new_pin) {
                return Err(Text::new(fl!("ui-settings-error-pin"))
                    .arg("min", pin::MIN_LEN)
                    .arg("max", pin::MAX_LEN));
            }
            if self.new_pin != self.new_pin_again {
                return Err(Text::new(fl!("ui-settings-error-pin-mismatch")));
            }
        }
        Ok(())
    }

    /// The settings to write (the PIN is hashed here; the PIN itself is never stored).
    pub fn settings(&self) -> Vec<Setting> {
        let mut out = self.all_settings();
        out.retain(|s| !self.by_hub(s.key));
        out
    }

    /// The hub sets this one (a name in the configuration file).
    pub fn by_hub(&self, key: &str) -> bool {
        self.hub_set.contains(&key)
    }

    fn all_settings(&self) -> Vec<Setting> {
        let s = |section, key, value| Setting {
            section,
            key,
            value,
        };
        let mut out = vec![
            s(
                "scan",
                "camera",
                toml::Value::String(self.camera.trim().to_owned()),
            ),
            s(
                "kiosk",
                "lang",
                toml::Value::String(self.lang.code().to_owned()),
            ),
            s(
                "store",
                "retention_days",
                toml::Value::Integer(self.retention_days.parse().unwrap_or(21)),
            ),
            s(
                "sync",
                "server",
                toml::Value::String(self.sync_server.trim().to_owned()),
            ),
            s(
                "kiosk",
                "idle_timeout_secs",
                toml::Value::Integer(i64::try_from(self.idle_secs).unwrap_or(60)),
            ),
            s(
                "kiosk",
                "text_scale",
                toml::Value::Float(f64::from(self.text_percent) / 100.0),
            ),
            s("kiosk", "sounds", toml::Value::Boolean(self.sounds)),
            s(
                "triage",
                "travel_flags",
                toml::Value::Boolean(self.travel_flags),
            ),
        ];
        if !self.new_pin.is_empty() {
            out.push(s(
                "kiosk",
                "staff_pin_hash",
                toml::Value::String(pin::hash(&self.new_pin)),
            ));
        }
        out
    }

    pub fn view<'a>(&'a self, ctx: Ctx) -> Element<'a, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let dm = |m: DraftMessage| Message::Draft(m);
        let langs = [
            (Lang::Vi, "Tiếng Việt".to_owned()),
            (Lang::En, "English".to_owned()),
        ];
        let idles: Vec<(u64, String)> = IDLE_CHOICES
            .iter()
            .map(|s| (*s, format!("{s} s")))
            .collect();
        let scales: Vec<(u16, String)> = SCALE_CHOICES
            .iter()
            .map(|(p, l)| (*p, (*l).to_owned()))
            .collect();
        let secure = |id: &'static str, value: &str, f: fn(String) -> DraftMessage| {
            touch_field(
                text_input("", value)
                    .id(id)
                    .secure(true)
                    .line_height(theme::INPUT_LINE_HEIGHT)
                    .on_input(move |v| Message::Draft(f(v)))
                    .size(sizes.body())
                    .padding(12)
                    .width(Length::Fixed(240.0))
                    .style(theme::field(false)),
                Message::Focus(id),
            )
        };
        // One setting: its label over its control, marked when the hub sets it.
        let setting = |label_id: &str, key: &str, control: Element<'a, Message>| {
            let badge = self.by_hub(key).then(|| hub_badge(lang, sizes));
            labelled(tr(lang, label_id), badge, control, None, sizes)
        };
        let free = |key: &str| !self.by_hub(key);
        let text_setting =
            |id: &'static str, hint: &str, value: &'a str, f: fn(String) -> DraftMessage| {
                input(id, hint, value, Some(move |v| dm(f(v))), false, sizes)
            };
        let tappable = |id: &'static str, field: text_input::TextInput<'a, Message>| {
            touch_field(field, Message::Focus(id))
        };
        let mut page = Column::new().spacing(16);
        page = page.push(heading(tr(lang, fl!("ui-staff-tab-settings")), sizes));
        page = page.push(setting(
            fl!("ui-settings-lang"),
            "lang",
            options(
                "set-lang",
                &langs,
                Some(self.lang),
                move |l| dm(DraftMessage::Lang(l)),
                free("lang"),
                sizes,
            ),
        ));
        page = page.push(setting(
            fl!("ui-settings-idle"),
            "idle_timeout_secs",
            options(
                "set-idle",
                &idles,
                Some(self.idle_secs),
                move |s| dm(DraftMessage::Idle(s)),
                free("idle_timeout_secs"),
                sizes,
            ),
        ));
        page = page.push(setting(
            fl!("ui-settings-text-size"),
            "text_scale",
            options(
                "set-scale",
                &scales,
                Some(self.text_percent),
                move |p| dm(DraftMessage::TextSize(p)),
                true,
                sizes,
            ),
        ));
        // A switch staff set, or (a greyed switch reads as "off") the hub's
        // choice in words.
        let switch =
            |id: &'static str, key: &str, on: bool, label: &str, f: fn(bool) -> DraftMessage| {
                let control: Element<'a, Message> = if free(key) {
                    toggler(on)
                        .label(tr(lang, label))
                        .size(36.0 * sizes.scale)
                        .text_size(sizes.body())
                        .on_toggle(move |on| dm(f(on)))
                        .into()
                } else {
                    let state = tr(lang, if on { fl!("decl-yes") } else { fl!("decl-no") });
                    text(format!("{}: {state}", tr(lang, label)))
                        .size(sizes.body())
                        .into()
                };
                let badge = self.by_hub(key).then(|| hub_badge(lang, sizes));
                tagged(
                    id,
                    row![control]
                        .push(badge)
                        .spacing(12)
                        .align_y(Alignment::Center),
                )
            };
        page = page.push(switch(
            "set-sounds",
            "sounds",
            self.sounds,
            fl!("ui-settings-sounds"),
            DraftMessage::Sounds,
        ));
        page = page.push(switch(
            "set-travel-flags",
            "travel_flags",
            self.travel_flags,
            fl!("ui-settings-travel-flags"),
            DraftMessage::TravelFlags,
        ));
        let retention = text_setting(
            "set-retention",
            "21",
            &self.retention_days,
            DraftMessage::Retention,
        )
        .width(Length::Fixed(160.0));
        page = page.push(setting(
            fl!("ui-settings-retention"),
            "retention_days",
            if free("retention_days") {
                tappable("set-retention", retention)
            } else {
                retention
                    .on_input_maybe(None::<fn(String) -> Message>)
                    .into()
            },
        ));
        let camera_hint = tr(lang, fl!("ui-settings-camera-hint"));
        page = page.push(setting(
            fl!("ui-settings-camera"),
            "camera",
            tappable(
                "set-camera",
                text_setting(
                    "set-camera",
                    &camera_hint,
                    &self.camera,
                    DraftMessage::Camera,
                ),
            ),
        ));
        page = page.push(setting(
            fl!("ui-settings-server"),
            "server",
            tappable(
                "set-server",
                text_setting(
                    "set-server",
                    "https://",
                    &self.sync_server,
                    DraftMessage::Server,
                ),
            ),
        ));
        page = page.push(setting(
            fl!("ui-settings-pin"),
            "staff_pin_hash",
            column![
                secure("set-pin", &self.new_pin, DraftMessage::NewPin),
                secure(
                    "set-pin-again",
                    &self.new_pin_again,
                    DraftMessage::NewPinAgain
                )
            ]
            .spacing(8)
            .into(),
        ));
        page = page.push(crate::ui::widget::body(
            tr(lang, fl!("ui-settings-restart-note")),
            sizes,
        ));
        page.into()
    }
}

/// "Set by the hub" beside a setting the hub's configuration sets.
fn hub_badge<'a>(lang: Lang, sizes: crate::ui::theme::Sizes) -> Element<'a, Message> {
    container(
        text(tr(lang, fl!("ui-settings-hub-set")))
            .size(sizes.small())
            .font(theme::FONT_SEMIBOLD),
    )
    .padding([4, 12])
    .style(theme::badge(false))
    .into()
}

fn digits(v: &str) -> String {
    v.chars()
        .filter(char::is_ascii_digit)
        .take(pin::MAX_LEN)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_of_the_defaults_is_valid_and_writes_no_pin() {
        let d = Draft::of(&Config::default(), Vec::new());
        assert_eq!(d.check(), Ok(()));
        assert!(d.settings().iter().all(|s| s.key != "staff_pin_hash"));
    }

    #[test]
    fn bad_values_are_refused_with_a_reason() {
        let mut d = Draft::of(&Config::default(), Vec::new());
        d.update(DraftMessage::Retention("0".into()));
        assert!(d.check().is_err());
        d.update(DraftMessage::Retention("30".into()));
        d.update(DraftMessage::Server("ftp://x".into()));
        assert!(d.check().is_err());
        d.update(DraftMessage::Server("https://hub:8443".into()));
        d.update(DraftMessage::NewPin("12".into()));
        assert!(d.check().is_err());
        d.update(DraftMessage::NewPin("2468".into()));
        d.update(DraftMessage::NewPinAgain("2469".into()));
        assert!(d.check().is_err());
        d.update(DraftMessage::NewPinAgain("2468".into()));
        assert_eq!(d.check(), Ok(()));
        let hash = d
            .settings()
            .into_iter()
            .find(|s| s.key == "staff_pin_hash")
            .and_then(|s| s.value.as_str().map(str::to_owned))
            .unwrap_or_default();
        assert!(pin::verify("2468", &hash));
    }
}
