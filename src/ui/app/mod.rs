//! The window's state and routing: which screen is shown, the top-level
//! message, and the dispatch of each message to a small method. Screens
//! report what they need through their `Event`s; this module does the
//! effects (store, sounds, timers) and moves the visitor's form between
//! screens, dropping it when the visit ends.

mod enrol;
mod poster;
mod staff;
mod status;
mod visit;

use std::time::{Duration, Instant};

use iced::widget::operation;
use iced::{Element, Subscription, Task, event, keyboard, mouse, time, touch, window};

use super::chrome::{self, Ctx, StatusLine};
use super::feeds::{self, Watched};
use super::form::Form;
use super::keyboard::{self as osk, Kind};
use super::keys::{Journal, KeyGuard, KeyOutcome, Press};
use super::pin;
use super::preview::{Outline, Picture};
use super::screen::declaration::{self, Page};
use super::screen::{done, pin as pin_pad, report, review, staff as staff_screen, welcome};
use super::services::{FrameOrigin, Services};
use super::theme::Sizes;
use super::widget::tr;
use crate::scan::ScanEvent;
use crate::sync::status::SyncStatus;
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message as Text};

/// The screen shown.
#[derive(Debug)]
pub enum Screen {
    Welcome(welcome::State),
    Declaration(declaration::State),
    Review(review::State),
    Done(done::State),
    Report(report::State),
    Pin(pin_pad::State),
    Staff(Box<staff_screen::State>),
}

impl Screen {
    /// A visitor's data is on this screen (the idle timeout applies).
    fn holds_visit(&self) -> bool {
        !matches!(self, Screen::Welcome(_))
    }

    /// The red result: it waits for staff, not for the next visitor.
    pub(crate) fn holds_flagged(&self) -> bool {
        matches!(self, Screen::Done(d) if d.flagged)
    }
}

/// Everything that can happen in the window.
#[derive(Debug, Clone)]
pub enum Message {
    /// Something on the welcome screen.
    Welcome(welcome::Message),
    /// Something on the declaration pages.
    Declaration(declaration::Message),
    /// Something on the review screen.
    Review(review::Message),
    /// Something on the result screen.
    Done(done::Message),
    /// Something on the report form.
    Report(report::Message),
    /// Something on the PIN pad.
    Pin(pin_pad::Message),
    /// Something on the staff screen.
    Staff(staff_screen::Message),
    /// The VI / EN switch.
    Lang(Lang),
    /// The scanner reported (a code, or the camera's state).
    Scan(ScanEvent),
    /// A new camera picture for the welcome screen.
    Picture(Picture),
    /// The sync worker's status changed.
    Sync(SyncStatus),
    /// A key was pressed, whatever has the focus.
    Key(Press),
    /// A tap or click somewhere (the visitor is still there).
    Activity,
    /// Once a second while a visitor's data is on screen: idle and result timers.
    Tick(Instant),
    /// Every few seconds: the status bar.
    StatusTick,
    /// While the scanner-burst detector holds keys.
    KeyTick,
    /// The window manager asked to close the window.
    CloseRequested(window::Id),
    /// The "visitors waiting for staff" badge was tapped.
    WaitingBadge,
    /// A key of the on-screen keyboard.
    Keyboard(osk::Message),
    /// The hub answered an enrolment code (staff screen, "Hub" tab).
    Enrolled(enrol::HubAnswer),
    /// The hub's poster of this checkpoint, stylesheet inlined (staff
    /// screen, "Hub" tab).
    PosterFetched(Result<String, checkpoint_i18n::Message>),
}

impl Message {
    /// The text field this message says was tapped.
    fn tapped_field(&self) -> Option<&'static str> {
        match self {
            Message::Declaration(declaration::Message::Focus(id))
            | Message::Report(report::Message::Focus(id)) => Some(id),
            Message::Staff(m) => m.focus(),
            _ => None,
        }
    }
}

/// How the window behaves, from the command line and configuration.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    /// Fullscreen; closing only through the staff PIN.
    pub kiosk: bool,
}

pub struct App {
    pub(crate) services: Services,
    pub(crate) lang: Lang,
    pub(crate) sizes: Sizes,
    pub(crate) screen: Screen,
    /// The screen put aside while the PIN pad or the staff screen is shown.
    suspended: Option<Screen>,
    picture: Option<Picture>,
    outline: Option<Outline>,
    status: StatusLine,
    sync_status: SyncStatus,
    camera_problem: Option<Text>,
    last_input: Instant,
    keys: KeyGuard,
    journal: Journal<Form>,
    pin_attempts: pin::Attempts,
    mode: Mode,
    /// Flagged visitors nobody has attended to yet (the badge).
    waiting_for_staff: u64,
    /// The on-screen keyboard and the field it types into.
    osk: osk::State,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("lang", &self.lang)
            .field("screen", &self.screen)
            .finish_non_exhaustive()
    }
}

impl App {
    pub fn new(services: Services, mode: Mode) -> Self {
        let now = Instant::now();
        let kiosk = &services.kiosk.config.kiosk;
        let lang = kiosk.lang;
        let sizes = Sizes::new(kiosk.text_scale);
        let keys = KeyGuard::new(services.kiosk.config.scan.wedge(), now);
        let osk = osk::State::new(kiosk.on_screen_keyboard.enabled(mode.kiosk));
        let sync_status = services
            .kiosk
            .sync
            .as_ref()
            .map(|s| s.status.borrow().clone())
            .unwrap_or_default();
        let mut app = Self {
            services,
            lang,
            sizes,
            screen: Screen::Welcome(welcome::State::default()),
            suspended: None,
            picture: None,
            outline: None,
            status: StatusLine::default(),
            sync_status,
            camera_problem: None,
            last_input: now,
            keys,
            journal: Journal::new(Duration::from_secs(2)),
            pin_attempts: pin::Attempts::default(),
            mode,
            waiting_for_staff: 0,
            osk,
        };
        app.refresh_status();
        app
    }

    pub(crate) fn ctx(&self) -> Ctx {
        Ctx {
            lang: self.lang,
            sizes: self.sizes,
        }
    }

    fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.services.kiosk.config.kiosk.idle_timeout_secs.max(10))
    }

    fn today(&self) -> chrono::NaiveDate {
        self.services
            .kiosk
            .now()
            .with_timezone(&chrono::Local)
            .date_naive()
    }

    /// The language on screen.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The screen shown now (tests look at it).
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The configuration in force (the kiosk's own with the hub's over it).
    pub fn config(&self) -> &crate::config::Config {
        &self.services.kiosk.config
    }

    /// Where the sync worker announces a newer fleet configuration, which
    /// the next status tick takes (tests stand in for the worker with it).
    pub fn fleet_announcer(
        &self,
    ) -> tokio::sync::watch::Sender<Option<chrono::DateTime<chrono::Utc>>> {
        self.services.kiosk.fleet_announcer()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let place = self.place();
        let task = self.dispatch(message);
        // Another screen or page: the keyboard has nothing to type into.
        if self.place() != place {
            self.osk.detach();
        }
        task
    }

    /// Where the visitor is: the screen, and the page or tab on it.
    fn place(&self) -> (std::mem::Discriminant<Screen>, u8) {
        let within = match &self.screen {
            Screen::Declaration(s) => s.page as u8,
            Screen::Staff(s) => s.tab as u8,
            _ => 0,
        };
        (std::mem::discriminant(&self.screen), within)
    }

    fn dispatch(&mut self, message: Message) -> Task<Message> {
        let now = Instant::now();
        if is_input(&message) {
            self.last_input = now;
        }
        if let Some(field) = message.tapped_field() {
            return self.type_into(field);
        }
        match message {
            Message::Welcome(m) => self.on_welcome(m),
            Message::Declaration(m) => self.on_declaration(m, now),
            Message::Review(m) => self.on_review(m),
            Message::Done(done::Message::Finish) => self.end_visit(),
            Message::Done(done::Message::Acknowledge) | Message::WaitingBadge => {
                self.ask_pin(pin_pad::Purpose::OpenFlagged)
            }
            Message::Report(m) => self.on_report(m),
            Message::Pin(m) => self.on_pin(m, now),
            Message::Staff(m) => self.on_staff(m),
            Message::Enrolled(answer) => self.enrol_finished(answer),
            Message::PosterFetched(page) => {
                self.poster_fetched(page);
                Task::none()
            }
            Message::Lang(lang) => self.set_lang(lang),
            Message::Scan(event) => self.on_scan(event, now),
            Message::Picture(p) => {
                // Once per process (CI's smoke test waits for it): the end of
                // each visit clears the picture, which is no new first one.
                static FIRST: std::sync::Once = std::sync::Once::new();
                FIRST.call_once(|| {
                    tracing::info!(
                        width = p.frame_width,
                        height = p.frame_height,
                        "first camera picture shown"
                    );
                });
                self.picture = Some(p);
                Task::none()
            }
            Message::Sync(status) => {
                self.sync_status = status;
                self.refresh_status();
                Task::none()
            }
            Message::Key(press) => {
                let outcomes = self.keys.press(press, now);
                self.on_keys(outcomes)
            }
            Message::KeyTick => {
                let outcomes = self.keys.tick(now);
                self.on_keys(outcomes)
            }
            Message::Activity | Message::StatusTick => {
                if matches!(message, Message::StatusTick) {
                    self.services.refresh_fleet();
                    self.refresh_status();
                    self.save_ble_hours();
                    self.purge_if_due();
                }
                Task::none()
            }
            Message::Tick(at) => self.on_tick(at),
            Message::CloseRequested(id) => self.on_close_requested(id),
            Message::Keyboard(key) => self.on_keyboard(key),
        }
    }

    /// The text of a field on screen and how it is typed.
    fn typed(&self, field: &str) -> Option<(String, Kind)> {
        match &self.screen {
            Screen::Declaration(s) => s.typed(field),
            Screen::Report(s) => s.typed(field),
            Screen::Staff(s) => s.typed(field),
            _ => None,
        }
    }

    /// The screen's message that sets a field to `text`.
    fn set_typed(&self, field: &str, text: String) -> Option<Message> {
        match &self.screen {
            Screen::Declaration(_) => {
                declaration::State::set_typed(field, text).map(Message::Declaration)
            }
            Screen::Report(_) => report::State::set_typed(field, text).map(Message::Report),
            Screen::Staff(_) => staff_screen::State::set_typed(field, text).map(Message::Staff),
            _ => None,
        }
    }

    /// A text field was tapped: the keyboard types into it, and the page
    /// scrolls so the field shows above the keyboard.
    fn type_into(&mut self, field: &'static str) -> Task<Message> {
        match self.typed(field) {
            Some((_, kind)) if self.osk.enabled() => {
                self.osk.attach(osk::Target { field, kind });
                super::scroll::reveal(field)
            }
            _ => Task::none(),
        }
    }

    fn on_keyboard(&mut self, key: osk::Message) -> Task<Message> {
        let Some(target) = self.osk.target() else {
            return Task::none();
        };
        let Some((current, _)) = self.typed(target.field) else {
            self.osk.detach();
            return Task::none();
        };
        match self.osk.press(key, &current) {
            osk::Outcome::Set(field, text) => {
                let Some(message) = self.set_typed(field, text) else {
                    return Task::none();
                };
                // The field keeps its caret, at the end where the keys type.
                Task::batch([
                    self.dispatch(message),
                    operation::focus(field),
                    operation::move_cursor_to_end(field),
                ])
            }
            osk::Outcome::None => Task::none(),
        }
    }

    fn on_welcome(&mut self, m: welcome::Message) -> Task<Message> {
        match m {
            welcome::Message::EnterByHand => {
                let form = Form::new(self.lang, self.services.kiosk.now());
                self.screen = Screen::Declaration(declaration::State::new(form));
                Task::none()
            }
            welcome::Message::Report => {
                self.screen = Screen::Report(report::State::new(self.lang));
                Task::none()
            }
            welcome::Message::Staff => self.ask_pin(pin_pad::Purpose::OpenStaff),
            welcome::Message::TryDemo => {
                let code = match &mut self.screen {
                    Screen::Welcome(w) => w.demo_code.take(),
                    _ => None,
                };
                match code {
                    Some(bytes) => self.on_code(&bytes, Instant::now()),
                    None => Task::none(),
                }
            }
        }
    }

    fn on_declaration(&mut self, m: declaration::Message, now: Instant) -> Task<Message> {
        let today = self.today();
        let Screen::Declaration(state) = &mut self.screen else {
            return Task::none();
        };
        if let declaration::Message::Edit(edit) = &m
            && edit.is_typing()
        {
            self.journal.record(now, state.form.clone());
        }
        let page_before = state.page;
        let checked = matches!(m, declaration::Message::Next);
        match state.update(m, today) {
            declaration::Event::None => {
                let id = state.page.scroll_id();
                // Problems to see: the first of them. A new page: its top.
                if checked && !state.form.problems.is_empty() {
                    return super::scroll::to_first_problem(id);
                }
                if state.page != page_before {
                    return operation::snap_to(id, operation::RelativeOffset::START);
                }
                Task::none()
            }
            declaration::Event::Review => {
                let form = take_form(&mut self.screen);
                self.screen =
                    Screen::Review(review::State::new(form, self.services.kiosk.config.triage));
                Task::none()
            }
            declaration::Event::Cancel => self.end_visit(),
            declaration::Event::Unlock => self.ask_pin(pin_pad::Purpose::UnlockFields),
        }
    }

    fn on_review(&mut self, m: review::Message) -> Task<Message> {
        let today = self.today();
        let Screen::Review(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(m, today) {
            review::Event::None => Task::none(),
            review::Event::Back => {
                let form = take_form(&mut self.screen);
                let mut state = declaration::State::new(form);
                state.page = Page::Questions;
                self.screen = Screen::Declaration(state);
                Task::none()
            }
            review::Event::Submit => self.submit(),
        }
    }

    fn set_lang(&mut self, lang: Lang) -> Task<Message> {
        self.lang = lang;
        // The declaration records the language the visitor used.
        match &mut self.screen {
            Screen::Declaration(s) => s.form.declaration.lang = lang,
            Screen::Review(s) => s.form.declaration.lang = lang,
            Screen::Report(s) => s.report.lang = lang,
            _ => {}
        }
        Task::none()
    }

    fn on_keys(&mut self, outcomes: Vec<KeyOutcome>) -> Task<Message> {
        let mut tasks = Vec::new();
        for outcome in outcomes {
            match outcome {
                KeyOutcome::Scanned { text, since } => {
                    // Undo what the burst typed into a field, then read it.
                    if let Some(before) = self.journal.take_before(since)
                        && let Screen::Declaration(state) = &mut self.screen
                    {
                        state.form = before;
                    }
                    tasks.push(self.on_code(text.as_bytes(), Instant::now()));
                }
                KeyOutcome::Key(Press::Enter) => {
                    if matches!(self.screen, Screen::Declaration(_)) {
                        tasks.push(self.on_declaration(declaration::Message::Next, Instant::now()));
                    }
                }
                KeyOutcome::Key(Press::Tab { back }) => tasks.push(if back {
                    operation::focus_previous()
                } else {
                    operation::focus_next()
                }),
                KeyOutcome::Key(_) => {}
            }
        }
        Task::batch(tasks)
    }

    fn on_tick(&mut self, now: Instant) -> Task<Message> {
        match &self.screen {
            Screen::Done(d) if now >= d.until => {
                if d.flagged {
                    tracing::info!("red result timed out: the visitor waits on the staff list");
                }
                self.end_visit()
            }
            // The result ends by its own timer, never by the idle timeout.
            Screen::Done(_) | Screen::Welcome(_) => Task::none(),
            _ if now.saturating_duration_since(self.last_input) >= self.idle_timeout() => {
                tracing::info!("idle timeout: the visit is cleared");
                self.end_visit()
            }
            _ => Task::none(),
        }
    }

    /// Back to the welcome screen, forgetting the visitor entirely.
    pub(crate) fn end_visit(&mut self) -> Task<Message> {
        self.screen = Screen::Welcome(welcome::State::default());
        self.suspended = None;
        self.journal.clear();
        self.outline = None;
        // The last picture may show the previous visitor: the next frame replaces it.
        self.picture = None;
        self.lang = self.services.kiosk.config.kiosk.lang;
        self.services.forget_recent_codes();
        self.refresh_status();
        Task::none()
    }

    fn on_close_requested(&mut self, id: window::Id) -> Task<Message> {
        if self.mode.kiosk {
            return self.ask_pin(pin_pad::Purpose::CloseKiosk);
        }
        self.services.shutdown();
        window::close(id)
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let mut subs = vec![
            event::listen_with(on_event),
            time::every(Duration::from_secs(5)).map(|_| Message::StatusTick),
            window::close_requests().map(Message::CloseRequested),
        ];
        if let Some(scan) = &self.services.scan {
            subs.push(feeds::scan_events(&scan.events).map(Message::Scan));
            if matches!(self.screen, Screen::Welcome(_)) {
                let feed = Watched::new("preview", scan.preview.clone());
                subs.push(feeds::pictures(&feed).map(Message::Picture));
            }
        }
        if let Some(serial) = &self.services.serial {
            subs.push(feeds::scan_events(&serial.events).map(Message::Scan));
        }
        if let Some(sync) = &self.services.kiosk.sync {
            let feed = Watched::new("sync", sync.status.clone());
            subs.push(feeds::sync_status(&feed).map(Message::Sync));
        }
        if self.screen.holds_visit() {
            subs.push(time::every(Duration::from_secs(1)).map(Message::Tick));
        }
        if self.keys.is_holding() {
            subs.push(time::every(Duration::from_millis(20)).map(|_| Message::KeyTick));
        }
        Subscription::batch(subs)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let ctx = self.ctx();
        let now = Instant::now();
        let (title, step) = self.titles(ctx);
        let badge = (self.waiting_for_staff > 0)
            .then(|| chrome::waiting_badge(ctx, self.waiting_for_staff, Message::WaitingBadge));
        let header = chrome::header(ctx, title, step, Message::Lang, badge);
        let status = chrome::status_bar(ctx, &self.status);
        let body: Element<'_, Message> = match &self.screen {
            Screen::Welcome(state) => welcome::view(
                state,
                ctx,
                welcome::Scene {
                    picture: self.picture.as_ref(),
                    outline: self.outline,
                    now,
                    source_note: (self.services.origin == FrameOrigin::Demo)
                        .then(|| Text::new(fl!("ui-demo-source"))),
                    store_problem: self.services.kiosk.store.as_ref().err(),
                },
            )
            .map(Message::Welcome),
            Screen::Declaration(state) => state.view(ctx).map(Message::Declaration),
            Screen::Review(state) => state.view(ctx).map(Message::Review),
            Screen::Done(state) => {
                // The result fills the window: no header or status bar to distract.
                return iced::widget::column![header, state.view(ctx, now).map(Message::Done)]
                    .into();
            }
            Screen::Report(state) => state.view(ctx).map(Message::Report),
            Screen::Pin(state) => state.view(ctx).map(Message::Pin),
            Screen::Staff(state) => state.view(ctx).map(Message::Staff),
        };
        let body = match self.keyboard_view(ctx) {
            Some(keys) => iced::widget::column![body, keys].spacing(8).into(),
            None => body,
        };
        chrome::frame(header, body, status)
    }

    /// The on-screen keyboard, under the page, while a field takes typing.
    fn keyboard_view(&self, ctx: Ctx) -> Option<Element<'_, Message>> {
        let target = self.osk.target()?;
        let (current, _) = self.typed(target.field)?;
        Some(osk::view(&self.osk, &current, ctx.lang, ctx.sizes).map(Message::Keyboard))
    }

    fn titles(&self, ctx: Ctx) -> (String, Option<String>) {
        let t = |id| tr(ctx.lang, id);
        match &self.screen {
            Screen::Welcome(_) => (t(fl!("app-name")), None),
            Screen::Declaration(s) => (t(fl!("decl-title")), Some(s.step(ctx))),
            Screen::Review(_) => (t(fl!("decl-title")), Some(t(fl!("ui-step-review")))),
            Screen::Done(_) => (t(fl!("decl-title")), None),
            Screen::Report(_) => (t(fl!("report-title")), None),
            Screen::Pin(_) | Screen::Staff(_) => (t(fl!("ui-staff-title")), None),
        }
    }
}

/// Takes the form out of the declaration or review screen (leaving a
/// welcome screen in its place until the caller puts the next screen).
fn take_form(screen: &mut Screen) -> Form {
    match std::mem::replace(screen, Screen::Welcome(welcome::State::default())) {
        Screen::Declaration(s) => s.form,
        Screen::Review(s) => s.form,
        _ => Form::new(Lang::Vi, chrono::Utc::now()),
    }
}

/// Whether a message is the visitor or staff doing something.
fn is_input(m: &Message) -> bool {
    !matches!(
        m,
        Message::Scan(_)
            | Message::Picture(_)
            | Message::Sync(_)
            | Message::Tick(_)
            | Message::StatusTick
            | Message::KeyTick
            | Message::CloseRequested(_)
    )
}

/// Window events the app listens to whatever has the focus.
fn on_event(event: iced::Event, _status: event::Status, _window: window::Id) -> Option<Message> {
    match event {
        iced::Event::Keyboard(k @ keyboard::Event::KeyPressed { .. }) => {
            Press::of(&k).map(Message::Key)
        }
        iced::Event::Mouse(mouse::Event::ButtonPressed(_))
        | iced::Event::Touch(touch::Event::FingerPressed { .. }) => Some(Message::Activity),
        _ => None,
    }
}
