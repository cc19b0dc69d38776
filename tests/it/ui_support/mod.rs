//! Drives the real kiosk window without a display: `iced_test`'s simulator
//! for the views, the app's own `update` for the messages, a real encrypted
//! store in a temporary data folder. Shared by the window tests, the
//! screenshot writer and the window benchmark.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;
use checkpoint_kiosk::scan::{Code, DecoderName, Point, ScanEvent, ScanOrigin, ScanRead};
use checkpoint_kiosk::ui::app::{App, Message, Mode, Screen};
use checkpoint_kiosk::ui::services::Services;
use checkpoint_kiosk::ui::theme;
use checkpoint_store::Store;
use iced_test::{Simulator, selector};

/// A synthetic chip ID card code (the layout of the real card, fake values).
pub const CCCD: &str = "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội|25052021";

pub struct Kiosk {
    pub app: App,
    pub data: DataDir,
    pub config: Config,
    pub taps: usize,
    _dir: tempfile::TempDir,
}

impl Kiosk {
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    pub fn with_config(config: Config) -> Self {
        Self::with_services(config, |_| {})
    }

    /// A kiosk whose services are adjusted before the window starts.
    pub fn with_services(config: Config, adjust: impl FnOnce(&mut Services)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::portable(dir.path().join("data"));
        let mut services = Services::offline(data.clone(), config.clone());
        adjust(&mut services);
        assert!(
            services.kiosk.store.is_ok(),
            "store: {:?}",
            services.kiosk.store.as_ref().err()
        );
        let app = App::new(services, Mode { kiosk: false });
        Self {
            app,
            data,
            config,
            taps: 0,
            _dir: dir,
        }
    }

    pub fn simulator(app: &App) -> Simulator<'_, Message> {
        Self::simulator_sized(app, (1280.0, 3000.0))
    }

    /// The settings the window runs with: the bundled font as default.
    pub fn settings() -> iced::Settings {
        let mut settings = iced::Settings {
            default_font: theme::FONT,
            ..iced::Settings::default()
        };
        settings.fonts = theme::FONT_FILES
            .iter()
            .map(|f| std::borrow::Cow::Borrowed(*f))
            .collect();
        settings
    }

    pub fn simulator_sized(app: &App, size: (f32, f32)) -> Simulator<'_, Message> {
        Simulator::with_size(Self::settings(), size, app.view())
    }

    /// Taps the widget with this id, as a finger would, and runs the messages.
    pub fn tap(&mut self, id: &str) {
        let messages: Vec<Message> = {
            let mut ui = Self::simulator(&self.app);
            ui.click(selector::id(id.to_owned()))
                .unwrap_or_else(|e| panic!("no widget {id}: {e:?}"));
            ui.into_messages().collect()
        };
        assert!(!messages.is_empty(), "tapping {id} did nothing");
        self.taps += 1;
        for m in messages {
            let _ = self.app.update(m);
        }
    }

    /// Whether tapping the widget with this id (which must be there) does anything.
    pub fn answers_tap(&self, id: &str) -> bool {
        let mut ui = Self::simulator(&self.app);
        ui.click(selector::id(id.to_owned()))
            .unwrap_or_else(|e| panic!("no widget {id}: {e:?}"));
        ui.into_messages().next().is_some()
    }

    /// Types into a text field (tapping it first).
    pub fn type_into(&mut self, id: &str, text: &str) {
        let messages: Vec<Message> = {
            let mut ui = Self::simulator(&self.app);
            ui.click(selector::id(id.to_owned()))
                .unwrap_or_else(|e| panic!("no field {id}: {e:?}"));
            let _ = ui.typewrite(text);
            ui.into_messages().collect()
        };
        for m in messages {
            let _ = self.app.update(m);
        }
    }

    pub fn send(&mut self, m: Message) {
        let _ = self.app.update(m);
    }

    /// Whether this exact text is on screen.
    pub fn shows(&self, text: &str) -> bool {
        let mut ui = Self::simulator(&self.app);
        ui.find(text).is_ok()
    }

    pub fn scan(&mut self, payload: &str) {
        self.send(Message::Scan(ScanEvent::Read(ScanRead {
            code: Code {
                bytes: payload.as_bytes().to_vec(),
                text: Some(payload.to_owned()),
                utf8: true,
                decoder: DecoderName::Rqrr,
                pass: "direct",
                corners: [
                    Point { x: 10.0, y: 10.0 },
                    Point { x: 90.0, y: 10.0 },
                    Point { x: 90.0, y: 90.0 },
                    Point { x: 10.0, y: 90.0 },
                ],
            },
            origin: ScanOrigin::Live,
            frame_seq: Some(1),
            latency: Duration::from_millis(5),
        })));
    }

    pub fn form(&self) -> &checkpoint_domain::declaration::Declaration {
        match self.app.screen() {
            Screen::Declaration(s) => &s.form.declaration,
            Screen::Review(s) => &s.form.declaration,
            other => panic!("no form on screen: {other:?}"),
        }
    }

    pub fn store(&self) -> Store {
        checkpoint_kiosk::storage::open_store(&self.data, &self.config).unwrap()
    }

    /// A chip-ID-card visitor through the whole form: every answer "no" but
    /// `yes` (the id of an answer to tap, e.g. `symptom-fever`), consent, submit.
    pub fn declare(&mut self, yes: Option<&str>) {
        self.scan(CCCD);
        self.tap("next");
        self.answer_all_no();
        if let Some(id) = yes {
            self.tap(id);
        }
        self.tap("next");
        self.tap("consent");
        self.tap("submit");
    }

    /// Taps the default staff PIN (1234) and OK on the PIN pad.
    pub fn enter_default_pin(&mut self) {
        for d in ["1", "2", "3", "4", "ok"] {
            self.tap(&format!("pin-{d}"));
        }
    }

    /// Taps keys of the on-screen keyboard, by the id after `osk-`
    /// (`"a"`, `"ê"`, `"tone-acute"`, `"7"`, `"space"`).
    pub fn press_keys<S: AsRef<str>>(&mut self, keys: impl IntoIterator<Item = S>) {
        for key in keys {
            self.tap(&format!("osk-{}", key.as_ref()));
        }
    }

    /// Answers "no" to every question of the second page.
    pub fn answer_all_no(&mut self) {
        self.tap("travel-no");
        for q in [
            "contact_case",
            "contact_from_country",
            "contact_symptomatic",
        ] {
            self.tap(&format!("{q}-no"));
        }
        self.tap("symptoms-none");
        self.tap("conditions-none");
    }
}

/// Keeps a configuration signed by `hub` where the sync worker would.
pub fn keep_fleet(k: &Kiosk, hub: &ed25519_dalek::SigningKey, settings: &[(&str, &str)]) {
    let mut chosen = checkpoint_domain::fleet::FleetSettings::default();
    for (key, value) in settings {
        chosen.set(key, value).unwrap();
    }
    let doc = checkpoint_domain::fleet::FleetDocument {
        issued_at: chrono::Utc::now(),
        hub_key: checkpoint_domain::fleet::key_text(&hub.verifying_key()),
        settings: chosen,
        ..checkpoint_domain::fleet::FleetDocument::default()
    };
    let (document, signature) = checkpoint_domain::fleet::sign(
        &doc,
        hub,
        checkpoint_domain::fleet::SignatureForm::InContext,
    );
    let signed = checkpoint_wire::SignedFleet {
        document,
        signature: String::new(),
        signature_in_context: Some(signature),
    };
    let path = checkpoint_kiosk::fleet::file(&k.data);
    std::fs::write(&path, serde_json::to_string(&signed).unwrap()).unwrap();
    // As the sync worker does: the window hears it through its channel.
    k.app.fleet_announcer().send_replace(Some(doc.issued_at));
}
