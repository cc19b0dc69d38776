//! The kiosk window (iced). Screens, widgets and theme; the domain lives
//! elsewhere and is reached through [`services::Services`].

pub mod app;
pub mod chrome;
pub mod feeds;
pub mod form;
pub mod keyboard;
pub mod keys;
pub mod pin;
pub mod preview;
pub mod screen;
pub mod scroll;
pub mod services;
pub mod sound;
pub mod theme;
pub mod widget;

use checkpoint_i18n::Message;

use crate::config::Config;
use crate::paths::DataDir;
use app::{App, Mode};
use services::{Services, StartOptions};

/// Everything the window needs to start, decided by whoever starts it.
#[derive(Debug, Clone)]
pub struct Launch {
    pub data: DataDir,
    /// The configuration, its language already the one to start in.
    pub config: Config,
    pub options: StartOptions,
    /// Fullscreen, no decorations, closing only through the staff PIN.
    pub kiosk: bool,
    /// A problem with the configuration file, shown on the staff screen.
    pub config_problem: Option<Message>,
}

/// Opens the kiosk window and runs it until it is closed.
pub fn run(launch: Launch) -> Result<(), iced::Error> {
    let Launch {
        data,
        config,
        options,
        kiosk,
        config_problem,
    } = launch;
    let mode = Mode { kiosk };
    let boot = move || {
        let mut services = Services::start(data.clone(), config.clone(), &options);
        if let Some(problem) = &config_problem {
            services.kiosk.startup_notes.push(problem.clone());
        }
        App::new(services, mode)
    };
    let mut settings = iced::Settings {
        default_font: theme::FONT,
        default_text_size: iced::Pixels(20.0),
        // Only the code outline is a mesh; MSAA for it would cost every frame memory and CPU.
        antialiasing: false,
        ..iced::Settings::default()
    };
    settings.fonts = theme::FONT_FILES
        .iter()
        .map(|f| std::borrow::Cow::Borrowed(*f))
        .collect();
    let window = iced::window::Settings {
        size: iced::Size::new(1280.0, 800.0),
        min_size: Some(iced::Size::new(1024.0, 700.0)),
        fullscreen: kiosk,
        decorations: !kiosk,
        exit_on_close_request: false,
        ..iced::window::Settings::default()
    };
    iced::application(boot, App::update, App::view)
        .title(|app: &App| checkpoint_i18n::t(app.lang, checkpoint_i18n::fl!("app-name")))
        .subscription(App::subscription)
        .theme(|_: &App| theme::theme())
        .settings(settings)
        .window(window)
        .run()
}
