//! The staff screen (behind the PIN): today's figures, the visitors who need
//! attention, queue and sync, Bluetooth, and the settings.

pub mod export;
pub mod flagged;
pub mod hub;
pub mod reports;
mod settings;

pub use settings::{Draft, DraftMessage};

use iced::widget::{Column, Row, column, container, row, scrollable, text};
use iced::{Element, Length};

use crate::ui::chrome::Ctx;
use crate::ui::keyboard::Kind;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::{banner, big_button, body, heading, tagged, tr};
use checkpoint_i18n::Message as Text;
use checkpoint_i18n::fl;
use checkpoint_store::PeriodCounts;
use checkpoint_wire::FollowUpState;
use uuid::Uuid;

/// The tabs of the staff screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Flagged,
    Reports,
    Export,
    Hub,
    Settings,
}

/// The figures the app gathers when the screen opens or refreshes.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub today: PeriodCounts,
    /// The sync line (e.g. "Waiting to be sent: 3").
    pub sync: Option<Text>,
    /// A sync server is configured (the "send now" button shows).
    pub sync_enabled: bool,
    /// Details of the last sync error, if any.
    pub sync_error: Option<Text>,
    pub rejected: u64,
    pub bluetooth: Option<Text>,
    /// Bluezone phones / all phones seen in the window.
    pub phones: Option<(u32, u32)>,
    /// Share of today's check-ins with a Bluezone phone near the kiosk.
    pub adoption_today: Option<f64>,
    /// Problems found at start-up or since (configuration, trust list, store).
    pub notes: Vec<Text>,
    /// The trust list in use ("Trust list: 120 signers, from …").
    pub trust: Option<Text>,
    /// What is wrong with it (missing, old, unreadable).
    pub trust_warning: Option<Text>,
    /// Trust-list files found on USB sticks, to import.
    pub trust_files: Vec<std::path::PathBuf>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub tab: Tab,
    pub figures: Figures,
    pub flagged: flagged::List,
    pub reports: reports::List,
    pub export: export::State,
    pub hub: hub::State,
    pub draft: Draft,
    pub notice: Option<(Tone, Text)>,
    /// The window is in kiosk mode (closing needs this screen).
    pub kiosk_mode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Tab(Tab),
    Flagged(flagged::Message),
    Reports(reports::Message),
    Export(export::Message),
    Hub(hub::Message),
    Draft(DraftMessage),
    Save,
    SyncNow,
    Back,
    CloseKiosk,
    ImportTrust(std::path::PathBuf),
    /// A settings field was tapped (the on-screen keyboard types into it).
    Focus(&'static str),
}

impl Message {
    /// The text field this message says was tapped.
    pub fn focus(&self) -> Option<&'static str> {
        match self {
            Message::Flagged(flagged::Message::Focus(id))
            | Message::Export(export::Message::Focus(id))
            | Message::Hub(hub::Message::Focus(id))
            | Message::Focus(id) => Some(id),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Import this trust-list file.
    ImportTrust(std::path::PathBuf),
    None,
    /// Load page N of the flagged visitors (and audit that staff saw them).
    LoadFlagged(usize),
    /// Record a step of a flagged visitor's follow-up.
    FollowUp {
        declaration: Uuid,
        state: FollowUpState,
        by: String,
    },
    /// Load page N of the reports (and audit that staff read them).
    LoadReports(usize),
    /// Look for USB sticks again.
    RefreshDestinations,
    /// Export a range of local days into a folder.
    Export {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        format: checkpoint_export::Format,
        dir: std::path::PathBuf,
    },
    /// Join the hub this enrolment code names.
    Enrol(String),
    /// Fetch this checkpoint's poster from the hub and save it.
    SavePoster,
    /// Write these settings.
    Save(Box<Draft>),
    SyncNow,
    Back,
    CloseKiosk,
}

impl State {
    pub fn new(
        figures: Figures,
        draft: Draft,
        kiosk_mode: bool,
        destinations: Vec<std::path::PathBuf>,
    ) -> Self {
        Self {
            tab: Tab::Overview,
            figures,
            flagged: flagged::List::default(),
            reports: reports::List::default(),
            export: export::State::new(destinations),
            hub: hub::State::default(),
            draft,
            notice: None,
            kiosk_mode,
        }
    }

    /// The text of a field on the open tab and how it is typed.
    pub fn typed(&self, id: &str) -> Option<(String, Kind)> {
        match (self.tab, id) {
            (Tab::Flagged, flagged::BY_ID) => Some((self.flagged.by.clone(), Kind::Name)),
            (Tab::Export, export::FROM_ID) => Some((self.export.from.clone(), Kind::Number)),
            (Tab::Export, export::TO_ID) => Some((self.export.to.clone(), Kind::Number)),
            (Tab::Hub, hub::CODE_ID) => Some((self.hub.code.clone(), Kind::Name)),
            (Tab::Settings, _) => self.draft.typed(id),
            _ => None,
        }
    }

    /// The message that sets a field to `text`.
    pub fn set_typed(id: &str, text: String) -> Option<Message> {
        Some(match id {
            flagged::BY_ID => Message::Flagged(flagged::Message::By(text)),
            export::FROM_ID => Message::Export(export::Message::From(text)),
            export::TO_ID => Message::Export(export::Message::To(text)),
            hub::CODE_ID => Message::Hub(hub::Message::Code(text)),
            _ => Message::Draft(Draft::set_typed(id, text)?),
        })
    }

    pub fn update(&mut self, message: Message) -> Event {
        match message {
            Message::Tab(tab) => {
                self.tab = tab;
                self.notice = None;
                match tab {
                    Tab::Flagged => return Event::LoadFlagged(0),
                    Tab::Reports => return Event::LoadReports(0),
                    Tab::Export => return Event::RefreshDestinations,
                    Tab::Overview | Tab::Hub | Tab::Settings => {}
                }
            }
            Message::Reports(reports::Message::Page(page)) => return Event::LoadReports(page),
            Message::Export(m) => match self.export.update(m) {
                export::Event::None => {}
                export::Event::Refresh => return Event::RefreshDestinations,
                export::Event::Export {
                    from,
                    to,
                    format,
                    dir,
                } => {
                    return Event::Export {
                        from,
                        to,
                        format,
                        dir,
                    };
                }
            },
            Message::Flagged(m) => match self.flagged.update(m) {
                flagged::Event::None => {}
                flagged::Event::Load(page) => return Event::LoadFlagged(page),
                flagged::Event::Record {
                    declaration,
                    state,
                    by,
                } => {
                    return Event::FollowUp {
                        declaration,
                        state,
                        by,
                    };
                }
            },
            Message::Hub(m) => match self.hub.update(m) {
                hub::Event::None => {}
                hub::Event::Enrol(code) => return Event::Enrol(code),
                hub::Event::SavePoster => return Event::SavePoster,
            },
            Message::Draft(m) => self.draft.update(m),
            Message::Save => match self.draft.check() {
                Ok(()) => return Event::Save(Box::new(self.draft.clone())),
                Err(problem) => self.notice = Some((Tone::Error, problem)),
            },
            Message::SyncNow => return Event::SyncNow,
            Message::Back => return Event::Back,
            Message::CloseKiosk => return Event::CloseKiosk,
            Message::Focus(_) => {}
            Message::ImportTrust(path) => return Event::ImportTrust(path),
        }
        Event::None
    }

    pub fn view(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let mut tabs = Row::new().spacing(10);
        for (tab, id, key) in [
            (Tab::Overview, fl!("ui-staff-tab-overview"), "tab-overview"),
            (Tab::Flagged, fl!("ui-staff-tab-flagged"), "tab-flagged"),
            (Tab::Reports, fl!("ui-staff-tab-reports"), "tab-reports"),
            (Tab::Export, fl!("ui-staff-tab-export"), "tab-export"),
            (Tab::Hub, fl!("ui-staff-tab-hub"), "tab-hub"),
            (Tab::Settings, fl!("ui-staff-tab-settings"), "tab-settings"),
        ] {
            tabs = tabs.push(tagged(
                key,
                big_button(
                    tr(lang, id),
                    Some(Message::Tab(tab)),
                    theme::choice(self.tab == tab),
                    sizes,
                )
                .width(Length::Fill),
            ));
        }
        tabs = tabs.push(tagged(
            "staff-back",
            big_button(
                tr(lang, fl!("ui-staff-back")),
                Some(Message::Back),
                theme::primary,
                sizes,
            )
            .width(Length::Fixed(220.0 * sizes.scale)),
        ));
        let mut page = Column::new().spacing(16).padding([0, 16]);
        if let Some((tone, m)) = &self.notice {
            page = page.push(banner(*tone, vec![m.render(lang)], sizes));
        }
        page = page.push(match self.tab {
            Tab::Overview => self.overview(ctx),
            Tab::Flagged => self.flagged.view(ctx).map(Message::Flagged),
            Tab::Reports => self.reports.view(ctx).map(Message::Reports),
            Tab::Export => self.export.view(ctx).map(Message::Export),
            Tab::Hub => self.hub.view(ctx).map(Message::Hub),
            Tab::Settings => self.draft.view(ctx),
        });
        let mut screen =
            column![tabs, scrollable(page).id("staff").height(Length::Fill)].spacing(16);
        if self.tab == Tab::Settings {
            // Saving stays in reach however long the page is.
            screen = screen.push(row![tagged(
                "settings-save",
                big_button(
                    tr(lang, fl!("ui-settings-save")),
                    Some(Message::Save),
                    theme::primary,
                    sizes
                )
                .width(Length::Fixed(260.0 * sizes.scale)),
            )]);
        }
        screen.into()
    }

    fn overview(&self, ctx: Ctx) -> Element<'_, Message> {
        let (lang, sizes) = (ctx.lang, ctx.sizes);
        let f = &self.figures;
        let figure = |label_id: &str, value: String| -> Element<'_, Message> {
            container(
                column![
                    text(value).size(sizes.huge()).font(theme::FONT_BOLD),
                    text(tr(lang, label_id)).size(sizes.body())
                ]
                .spacing(4),
            )
            .padding(16)
            .width(Length::Fill)
            .style(theme::card)
            .into()
        };
        let adoption = f
            .adoption_today
            .map_or_else(|| "-".to_owned(), |s| format!("{:.0}%", s * 100.0));
        let mut page = column![
            heading(tr(lang, fl!("ui-staff-today")), sizes),
            row![
                figure(
                    fl!("ui-staff-declarations"),
                    f.today.declarations.to_string()
                ),
                figure(fl!("ui-staff-flagged"), f.today.flagged.to_string()),
                figure(fl!("ui-staff-reports"), f.today.reports.to_string()),
                figure(fl!("ui-staff-adoption"), adoption),
            ]
            .spacing(16),
            heading(tr(lang, fl!("ui-staff-sync")), sizes),
        ]
        .spacing(14);
        if let Some(sync) = &f.sync {
            page = page.push(body(sync.render(lang), sizes));
        }
        if let Some(err) = &f.sync_error {
            page = page.push(banner(Tone::Warning, vec![err.render(lang)], sizes));
        }
        if f.rejected > 0 {
            page = page.push(banner(
                Tone::Warning,
                vec![
                    Text::new(fl!("ui-staff-rejected"))
                        .arg("count", f.rejected)
                        .render(lang),
                ],
                sizes,
            ));
        }
        page = page.push(self.figures.sync_enabled.then(|| {
            tagged(
                "sync-now",
                big_button(
                    tr(lang, fl!("ui-staff-sync-now")),
                    Some(Message::SyncNow),
                    theme::secondary,
                    sizes,
                )
                .width(Length::Fixed(300.0 * sizes.scale)),
            )
        }));
        page = page.push(heading(tr(lang, fl!("ui-status-bluetooth")), sizes));
        if let Some(b) = &f.bluetooth {
            page = page.push(body(b.render(lang), sizes));
        }
        if let Some((bluezone, all)) = f.phones {
            page = page.push(body(
                Text::new(fl!("ui-staff-phones"))
                    .arg("bluezone", bluezone)
                    .arg("all", all)
                    .render(lang),
                sizes,
            ));
        }
        page = page.push(heading(tr(lang, fl!("ui-trust-heading")), sizes));
        if let Some(line) = &f.trust {
            page = page.push(body(line.render(lang), sizes));
        }
        if let Some(warning) = &f.trust_warning {
            page = page.push(banner(Tone::Warning, vec![warning.render(lang)], sizes));
        }
        if f.trust_files.is_empty() {
            page = page.push(body(tr(lang, fl!("ui-trust-no-files")), sizes));
        }
        for (i, file) in f.trust_files.iter().enumerate() {
            page = page.push(tagged(
                format!("import-trust-{i}"),
                big_button(
                    Text::new(fl!("ui-trust-import"))
                        .arg("file", file.display())
                        .render(lang),
                    Some(Message::ImportTrust(file.clone())),
                    theme::secondary,
                    sizes,
                ),
            ));
        }
        if !f.notes.is_empty() {
            page = page.push(heading(tr(lang, fl!("ui-staff-problems")), sizes));
            page = page.push(banner(
                Tone::Warning,
                f.notes.iter().map(|n| n.render(lang)).collect(),
                sizes,
            ));
        }
        if self.kiosk_mode {
            page = page.push(tagged(
                "close-kiosk",
                big_button(
                    tr(lang, fl!("ui-staff-close")),
                    Some(Message::CloseKiosk),
                    theme::danger,
                    sizes,
                )
                .width(Length::Fixed(300.0 * sizes.scale)),
            ));
        }
        page.into()
    }
}
