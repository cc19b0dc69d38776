//! The kiosk window (iced). Screens, widgets and theme; the domain lives
//! elsewhere and is reached through [`services::Services`].

pub mod app;
pub mod chrome;
pub mod feeds;
pub mod form;
pub mod keys;
pub mod pin;
pub mod preview;
pub mod screen;
pub mod scroll;
pub mod services;
pub mod sound;
pub mod theme;
pub mod widget;

use std::process::ExitCode;

use crate::cli::{CmdResult, Context, WindowArgs};
use app::{App, Mode};
use services::{Services, StartOptions};

/// Opens the kiosk window and runs it until it is closed.
pub fn run(ctx: &Context, args: &WindowArgs) -> CmdResult {
    let data = ctx.data.clone();
    let mut config = ctx.config.clone();
    config.kiosk.lang = ctx.lang;
    let options = StartOptions {
        replay: args.replay.clone(),
        camera: args.camera.clone(),
        no_camera: args.no_camera,
        offline: false,
    };
    let mode = Mode { kiosk: args.kiosk };
    let config_problem = ctx
        .config_error
        .as_ref()
        .map(crate::config::ConfigError::message);
    let boot = move || {
        let mut services = Services::start(data.clone(), config.clone(), &options);
        if let Some(problem) = &config_problem {
            services.startup_notes.push(problem.clone());
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
        fullscreen: args.kiosk,
        decorations: !args.kiosk,
        exit_on_close_request: false,
        ..iced::window::Settings::default()
    };
    iced::application(boot, App::update, App::view)
        .title(|app: &App| crate::i18n::t(app.lang, crate::fl!("app-name")))
        .subscription(App::subscription)
        .theme(|_: &App| theme::theme())
        .settings(settings)
        .window(window)
        .run()
        .map_err(|e| anyhow::anyhow!("the window could not start: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
