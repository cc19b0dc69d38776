//! Staff: the PIN pad, the staff screen's figures and actions, unlocking a
//! visitor's verified fields, saving settings, closing a kiosk-mode window.
//! Every staff action is written to the store's audit log.

use std::time::Instant;

use chrono::{Local, TimeZone, Utc};
use iced::Task;

use super::{App, Message, Screen};
use crate::config::save_settings;
use crate::sync_summary::SyncSummary;
use crate::ui::pin;
use crate::ui::screen::pin as pin_pad;
use crate::ui::screen::staff::{self as staff_screen, Draft, Figures, Tab, flagged};
use crate::ui::theme::{Sizes, Tone};
use checkpoint_i18n::Message as Text;
use checkpoint_i18n::fl;
use checkpoint_store::{Action, Actor};
use checkpoint_wire::{FollowUp, FollowUpState};
use uuid::Uuid;

impl App {
    /// Shows the PIN pad, keeping the current screen aside.
    pub(super) fn ask_pin(&mut self, purpose: pin_pad::Purpose) -> Task<Message> {
        if matches!(self.screen, Screen::Pin(_)) {
            return Task::none();
        }
        let previous =
            std::mem::replace(&mut self.screen, Screen::Pin(pin_pad::State::new(purpose)));
        // The staff screen is never kept aside: closing from it returns to welcome.
        if !matches!(previous, Screen::Staff(_)) {
            self.suspended = Some(previous);
        }
        iced::widget::operation::focus(pin_pad::INPUT_ID)
    }

    /// Puts back the screen the PIN pad or staff screen replaced.
    fn resume(&mut self) -> Task<Message> {
        match self.suspended.take() {
            Some(screen) => {
                self.screen = screen;
                Task::none()
            }
            None => self.end_visit(),
        }
    }

    pub(super) fn on_pin(&mut self, m: pin_pad::Message, now: Instant) -> Task<Message> {
        let Screen::Pin(state) = &mut self.screen else {
            return Task::none();
        };
        let purpose = state.purpose;
        match state.update(m) {
            pin_pad::Event::None => Task::none(),
            pin_pad::Event::Cancel => self.resume(),
            pin_pad::Event::Check(entered) => {
                if let Some(seconds) = self.pin_attempts.locked_for(now) {
                    state.error = Some(Text::new(fl!("ui-pin-locked")).arg("seconds", seconds));
                    return Task::none();
                }
                let ok = pin::verify(&entered, &self.services.kiosk.config.kiosk.staff_pin_hash);
                self.pin_attempts.record(ok, now);
                if !ok {
                    state.error = Some(Text::new(fl!("ui-pin-wrong")));
                    return iced::widget::operation::focus(pin_pad::INPUT_ID);
                }
                self.pin_accepted(purpose)
            }
        }
    }

    fn pin_accepted(&mut self, purpose: pin_pad::Purpose) -> Task<Message> {
        match purpose {
            pin_pad::Purpose::OpenStaff | pin_pad::Purpose::OpenFlagged => {
                self.audit(Action::StaffSignedIn, "");
                let mut state = staff_screen::State::new(
                    self.figures(),
                    Draft::of(&self.services.kiosk.config, self.services.kiosk.hub_set()),
                    self.mode.kiosk,
                    self.export_destinations(),
                );
                if pin::is_default(&self.services.kiosk.config.kiosk.staff_pin_hash) {
                    state.notice = Some((Tone::Warning, Text::new(fl!("ui-pin-change-default"))));
                }
                state.hub = crate::ui::screen::staff::hub::State::new(self.connection());
                // Staff work starts from the welcome screen: no visitor is kept aside.
                self.suspended = None;
                self.screen = Screen::Staff(Box::new(state));
                if purpose == pin_pad::Purpose::OpenFlagged {
                    return self.on_staff(staff_screen::Message::Tab(Tab::Flagged));
                }
                Task::none()
            }
            pin_pad::Purpose::UnlockFields => {
                self.audit(Action::FieldsUnlocked, "");
                let task = self.resume();
                match &mut self.screen {
                    Screen::Declaration(s) => s.form.unlocked = true,
                    Screen::Review(s) => s.form.unlocked = true,
                    _ => {}
                }
                task
            }
            pin_pad::Purpose::CloseKiosk => self.close_kiosk(),
        }
    }

    fn close_kiosk(&mut self) -> Task<Message> {
        self.audit(Action::KioskClosed, "");
        self.services.shutdown();
        iced::exit()
    }

    pub(super) fn on_staff(&mut self, m: staff_screen::Message) -> Task<Message> {
        let Screen::Staff(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(m) {
            staff_screen::Event::None => Task::none(),
            staff_screen::Event::Back => self.end_visit(),
            staff_screen::Event::CloseKiosk => self.close_kiosk(),
            staff_screen::Event::SyncNow => {
                self.services.kiosk.wake_sync();
                let figures = self.figures();
                if let Screen::Staff(state) = &mut self.screen {
                    state.figures = figures;
                    state.notice = Some((
                        Tone::Info,
                        Text::new(if self.services.kiosk.sync.is_some() {
                            fl!("ui-staff-sync-started")
                        } else {
                            fl!("sync-status-disabled")
                        }),
                    ));
                }
                Task::none()
            }
            staff_screen::Event::LoadFlagged(page) => {
                self.load_flagged(page);
                Task::none()
            }
            staff_screen::Event::ImportTrust(path) => {
                let notice = match self.services.kiosk.import_trust_list(&path) {
                    Ok(n) => (
                        Tone::Good,
                        Text::new(fl!("trust-imported"))
                            .arg("signers", n.signers)
                            .arg("issuers", n.ckd_issuers),
                    ),
                    Err(message) => (Tone::Error, message),
                };
                let figures = self.figures();
                if let Screen::Staff(state) = &mut self.screen {
                    state.figures = figures;
                    state.notice = Some(notice);
                }
                self.refresh_status();
                Task::none()
            }
            staff_screen::Event::LoadReports(page) => {
                self.load_reports(page);
                Task::none()
            }
            staff_screen::Event::RefreshDestinations => {
                let found = self.export_destinations();
                if let Screen::Staff(state) = &mut self.screen {
                    state.export.destinations = found;
                    state.export.chosen = state
                        .export
                        .chosen
                        .min(state.export.destinations.len().saturating_sub(1));
                }
                Task::none()
            }
            staff_screen::Event::Export {
                from,
                to,
                format,
                dir,
            } => {
                self.export(from, to, format, &dir);
                Task::none()
            }
            staff_screen::Event::FollowUp {
                declaration,
                state,
                by,
            } => {
                self.record_follow_up(declaration, state, by);
                Task::none()
            }
            staff_screen::Event::Save(draft) => self.save_settings(&draft),
            staff_screen::Event::Enrol(code) => self.enrol(code),
            staff_screen::Event::SavePoster => self.fetch_poster(),
        }
    }

    /// Shows page `page` of the flagged visitors not cleared yet; audited,
    /// since it puts names on screen.
    fn load_flagged(&mut self, page: usize) {
        let loaded = match self.services.kiosk.store.as_ref() {
            Ok(store) => store
                .flagged_page(page, flagged::PER_PAGE)
                .map_err(|e| e.message()),
            Err(m) => Err(m.clone()),
        };
        let shown = loaded.as_ref().map_or(0, |p| p.visitors.len());
        self.audit(
            Action::FlaggedViewed,
            &format!("page {page}, {shown} shown"),
        );
        if let Ok(p) = &loaded {
            self.waiting_for_staff = p.waiting;
        }
        if let Screen::Staff(state) = &mut self.screen {
            match loaded {
                Ok(list) => {
                    state.flagged.page = page;
                    state.flagged.shown = list;
                }
                Err(message) => state.notice = Some((Tone::Error, message)),
            }
        }
    }

    /// The kiosk's exports folder, then every USB stick plugged in.
    pub(super) fn export_destinations(&self) -> Vec<std::path::PathBuf> {
        crate::exports::destinations(
            &self.services.kiosk.data.exports(),
            &self.services.kiosk.config.kiosk.export_roots,
        )
    }

    /// Shows page `page` of the reports; audited (staff read what citizens wrote).
    fn load_reports(&mut self, page: usize) {
        let loaded = match self.services.kiosk.store.as_ref() {
            Ok(store) => store
                .reports_page(page, staff_screen::reports::PER_PAGE)
                .map_err(|e| e.message()),
            Err(m) => Err(m.clone()),
        };
        let shown = loaded.as_ref().map_or(0, |p| p.reports.len());
        self.audit(
            Action::RecordViewed,
            &format!("reports page {page}, {shown} shown"),
        );
        if let Screen::Staff(state) = &mut self.screen {
            match loaded {
                Ok(list) => {
                    state.reports.page = page;
                    state.reports.shown = list;
                }
                Err(message) => state.notice = Some((Tone::Error, message)),
            }
        }
    }

    /// Exports local days `[from, to]` into `dir` (audited by the export).
    fn export(
        &mut self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        format: checkpoint_export::Format,
        dir: &std::path::Path,
    ) {
        let start = |day: chrono::NaiveDate| {
            day.and_hms_opt(0, 0, 0)
                .and_then(|t| Local.from_local_datetime(&t).earliest())
                .map(|t| t.with_timezone(&Utc))
        };
        let request = crate::exports::Request {
            from: start(from),
            to: to.succ_opt().and_then(start),
            format,
            lang: self.lang,
        };
        let own = dir == self.services.kiosk.data.exports();
        let result = self.services.kiosk.store_mut().and_then(|store| {
            if own && let Err(e) = std::fs::create_dir_all(dir) {
                return Err(Text::new(fl!("error-file-write"))
                    .arg("path", dir.display())
                    .arg("reason", e));
            }
            crate::exports::write_to_folder(store, dir, &request, Actor::Staff)
                .map_err(|e| e.message())
        });
        let notice = match result {
            Ok(w) => (
                Tone::Good,
                Text::new(fl!("ui-export-done"))
                    .arg("declarations", w.declarations)
                    .arg("reports", w.reports)
                    .arg("follow_ups", w.follow_ups)
                    .arg("path", dir.display()),
            ),
            Err(message) => (Tone::Error, message),
        };
        if let Screen::Staff(state) = &mut self.screen {
            state.notice = Some(notice);
        }
    }

    /// Stores one follow-up step (with its audit entry, queued for the hub)
    /// and shows the list again.
    fn record_follow_up(&mut self, declaration: Uuid, state: FollowUpState, by: String) {
        let step = FollowUp {
            declaration_id: declaration,
            state,
            by,
            at: self.services.kiosk.now(),
            note: String::new(),
        };
        let stored = self.services.kiosk.store_mut().and_then(|store| {
            store
                .record_follow_up(&step, Actor::Staff)
                .map_err(|e| e.message())
        });
        let notice = match stored {
            Ok(_) => {
                self.services.kiosk.wake_sync();
                (
                    Tone::Good,
                    Text::new(fl!("ui-flagged-recorded"))
                        .arg("state", crate::ui::widget::tr(self.lang, state.label_id())),
                )
            }
            Err(message) => (Tone::Error, message),
        };
        let page = match &self.screen {
            Screen::Staff(s) => s.flagged.page,
            _ => 0,
        };
        self.load_flagged(page);
        // The page may have emptied (its last visitor cleared): step back.
        if let Screen::Staff(s) = &self.screen
            && s.flagged.shown.visitors.is_empty()
            && page > 0
        {
            self.load_flagged(page - 1);
        }
        if let Screen::Staff(s) = &mut self.screen {
            s.notice = Some(notice);
        }
        self.refresh_status();
    }

    fn save_settings(&mut self, draft: &Draft) -> Task<Message> {
        let settings = draft.settings();
        let result = save_settings(&self.services.kiosk.data.config_file(), &settings);
        let notice = match result {
            Ok(saved) => {
                let keys: Vec<&str> = settings.iter().map(|s| s.key).collect();
                self.audit(Action::SettingsChanged, &keys.join(","));
                if settings.iter().any(|s| s.key == "staff_pin_hash") {
                    self.audit(Action::PinChanged, "");
                }
                self.apply_settings(draft, &settings);
                match saved.broken_copy {
                    Some(copy) => (
                        Tone::Warning,
                        Text::new(fl!("ui-settings-saved-broken")).arg("path", copy.display()),
                    ),
                    None => (Tone::Good, Text::new(fl!("ui-settings-saved"))),
                }
            }
            Err(e) => (Tone::Error, e.message()),
        };
        if let Screen::Staff(state) = &mut self.screen {
            state.draft.new_pin.clear();
            state.draft.new_pin_again.clear();
            state.notice = Some(notice);
        }
        Task::none()
    }

    /// Settings that take effect at once; the rest (camera, server,
    /// retention) at the next start, as the screen says.
    /// Those the hub sets stay as it set them (`settings` leaves them out).
    fn apply_settings(&mut self, draft: &Draft, settings: &[crate::config::Setting]) {
        let saved = |key: &str| settings.iter().find(|s| s.key == key);
        self.services.kiosk.change_own(|own| {
            let kiosk = &mut own.kiosk;
            if saved("lang").is_some() {
                kiosk.lang = draft.lang;
            }
            if saved("idle_timeout_secs").is_some() {
                kiosk.idle_timeout_secs = draft.idle_secs;
            }
            kiosk.text_scale = f32::from(draft.text_percent) / 100.0;
            if saved("sounds").is_some() {
                kiosk.sounds = draft.sounds;
            }
            if saved("travel_flags").is_some() {
                own.triage.travel_flags = draft.travel_flags;
            }
            if let Some(hash) = saved("staff_pin_hash").and_then(|s| s.value.as_str()) {
                own.kiosk.staff_pin_hash = hash.to_owned();
            }
        });
        let kiosk = &self.services.kiosk.config.kiosk;
        self.sizes = Sizes::new(kiosk.text_scale);
        self.services.sounds.set_enabled(kiosk.sounds);
    }

    /// What the staff screen's overview shows.
    pub(super) fn figures(&self) -> Figures {
        let mut f = Figures {
            notes: self.services.kiosk.startup_notes.clone(),
            sync_enabled: self.services.kiosk.sync.is_some(),
            bluetooth: Some(crate::ble::status::BleStatus::Disabled.message()),
            ..Figures::default()
        };
        let (from, to) = today_utc();
        match &self.services.kiosk.store {
            Ok(store) => {
                match store.period_counts(from, to) {
                    Ok(c) => f.today = c,
                    Err(e) => f.notes.push(e.message()),
                }
                match SyncSummary::from_store(
                    store,
                    &self.sync_status,
                    self.services.kiosk.config.sync.is_enabled(),
                ) {
                    Ok(summary) => {
                        f.sync = Some(summary.message());
                        f.rejected = summary.rejected;
                        f.sync_error = summary
                            .last_error
                            .filter(|_| summary.failing)
                            .map(|e| e.message);
                    }
                    Err(e) => f.notes.push(e.message()),
                }
                if let Ok(days) = store.adoption_by_day(from, to, &Local) {
                    f.adoption_today = days.last().and_then(|(_, a)| a.share());
                }
            }
            Err(m) => f.notes.push(m.clone()),
        }
        let trust = &self.services.kiosk.trust;
        f.trust = trust.since.map(|since| {
            Text::new(fl!("trust-status"))
                .arg("signers", trust.list.len())
                .arg(
                    "date",
                    since.with_timezone(&Local).format("%d/%m/%Y").to_string(),
                )
                .arg("origin", trust.origin.clone())
        });
        f.trust_warning = self.services.kiosk.trust_warning();
        let usb = self.export_destinations();
        f.trust_files = crate::trust::candidates(usb.get(1..).unwrap_or_default());
        if let Some(ble) = &self.services.ble {
            f.bluetooth = Some(ble.status().message());
            let counts = ble.window_counts();
            let bluezone =
                counts.bluezone_android + counts.bluezone_ios + counts.bluezone_ios_unconfirmed;
            f.phones = Some((
                bluezone,
                bluezone + counts.exposure_notification + counts.other,
            ));
        }
        f
    }

    pub(super) fn audit(&mut self, action: Action, detail: &str) {
        if let Ok(store) = self.services.kiosk.store.as_mut()
            && let Err(e) = store.audit(Actor::Staff, action, None, detail)
        {
            tracing::warn!(error = %e, action = action.key(), "audit entry not written");
        }
    }
}

/// Today in local time, as a UTC range.
fn today_utc() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    let today = Local::now().date_naive();
    let start = today
        .and_hms_opt(0, 0, 0)
        .and_then(|t| Local.from_local_datetime(&t).earliest())
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    (start, start + chrono::Duration::days(1))
}
