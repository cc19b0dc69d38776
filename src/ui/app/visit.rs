//! A visit: a code read (camera or handheld scanner) starts or fills the
//! form; submitting stores the record durably before the result is shown.

use std::time::Instant;

use iced::Task;

use super::{App, Message, Screen};
use crate::scan::{ScanEvent, ScanOrigin};
use crate::ui::form::{Form, Part, part_of};
use crate::ui::preview::{OUTLINE_FOR, Outline};
use crate::ui::screen::declaration::{self, Page};
use crate::ui::screen::{done, report, review, welcome};
use crate::ui::services::FrameOrigin;
use crate::ui::sound::Sound;
use crate::ui::theme::Tone;
use checkpoint_domain::declaration::Record;
use checkpoint_domain::payload::ckd::declaration::encode_record;
use checkpoint_i18n::Message as Text;
use checkpoint_i18n::fl;
use checkpoint_store::Actor;

impl App {
    pub(super) fn on_scan(&mut self, event: ScanEvent, now: Instant) -> Task<Message> {
        match event {
            ScanEvent::Read(read) => {
                if let Some(p) = self
                    .picture
                    .as_ref()
                    .filter(|_| read.origin == ScanOrigin::Live)
                {
                    self.outline = Some(Outline {
                        corners: read.code.corners,
                        frame_width: p.frame_width,
                        frame_height: p.frame_height,
                        until: now + OUTLINE_FOR,
                    });
                }
                if self.services.origin == FrameOrigin::Demo && read.origin == ScanOrigin::Live {
                    return self.on_demo_code(read.code.bytes);
                }
                self.on_code(&read.code.bytes, now)
            }
            ScanEvent::SourceReady(_) => {
                self.camera_problem = None;
                self.refresh_status();
                Task::none()
            }
            ScanEvent::SourceProblem(_) | ScanEvent::SourceEnded | ScanEvent::Stalled { .. } => {
                self.camera_problem = event.message();
                self.refresh_status();
                Task::none()
            }
            // Image files are read by staff at the command line, not here.
            ScanEvent::NoCodeInImage(_) | ScanEvent::ImageUnreadable { .. } => Task::none(),
        }
    }

    /// A code on the demo frames: shown and offered on the welcome screen,
    /// ignored elsewhere, so the demo never fills anyone's form.
    fn on_demo_code(&mut self, bytes: Vec<u8>) -> Task<Message> {
        if let Screen::Welcome(state) = &mut self.screen {
            if let Ok(reading) = self.services.kiosk.read(&bytes) {
                state.notice = Some((
                    Tone::Info,
                    vec![
                        Text::new(fl!("ui-demo-read")),
                        Text::new(reading.kind.message_id()),
                    ],
                ));
            }
            state.demo_code = Some(bytes);
        }
        Task::none()
    }

    /// What a code means for the screen shown: a new visit from the welcome
    /// or result screen, more pre-filled fields on the form.
    pub(crate) fn on_code(&mut self, bytes: &[u8], now: Instant) -> Task<Message> {
        if self.enrolling() {
            return self.on_enrol_scan(bytes);
        }
        if self.screen.holds_flagged() {
            // The red result waits for staff; the next visitor waits for it.
            tracing::info!("code ignored: the red result waits for staff");
            return Task::none();
        }
        self.last_input = now;
        self.services.sounds.play(Sound::Read);
        let reading = self.services.kiosk.read(bytes);
        match (&mut self.screen, reading) {
            (Screen::Welcome(_) | Screen::Done(_), Ok(reading)) if !reading.prefill.is_empty() => {
                // Visitors who declared at home in a language are answered in it.
                if let Some(lang) = reading.prefill.language {
                    self.lang = lang;
                }
                let mut form = Form::new(
                    self.services.kiosk.config.kiosk.lang,
                    self.services.kiosk.now(),
                );
                form.declaration.lang = self.lang;
                form.apply_reading(&reading, Text::new(reading.kind.message_id()));
                self.journal.clear();
                // A visitor who declared at home with every answer still fresh
                // goes straight to the review: consent and submit.
                let only_consent_left = || {
                    form.check(self.today())
                        .iter()
                        .all(|p| part_of(&p.field) == Part::Consent)
                };
                if reading.prefill.by_visitor && only_consent_left() {
                    self.screen =
                        Screen::Review(review::State::new(form, self.services.kiosk.config.triage));
                } else {
                    self.screen = Screen::Declaration(declaration::State::new(form));
                }
                tracing::info!(kind = reading.kind.message_id(), "form opened from a code");
            }
            (Screen::Declaration(state), Ok(reading)) if !reading.prefill.is_empty() => {
                state
                    .form
                    .apply_reading(&reading, Text::new(reading.kind.message_id()));
            }
            (Screen::Review(state), Ok(reading)) if !reading.prefill.is_empty() => {
                state
                    .form
                    .apply_reading(&reading, Text::new(reading.kind.message_id()));
            }
            (Screen::Welcome(_) | Screen::Done(_), result) => {
                let enrolment = std::str::from_utf8(bytes)
                    .is_ok_and(checkpoint_wire::EnrolmentCode::looks_like);
                let lines = match result {
                    // Not a visitor's code: say where it is used.
                    _ if enrolment => vec![
                        Text::new(fl!("ui-scan-not-usable")),
                        Text::new(fl!("ui-scan-enrolment-code")),
                    ],
                    Ok(reading) => vec![
                        Text::new(fl!("ui-scan-not-usable")),
                        Text::new(reading.kind.message_id()),
                    ],
                    Err(refusal) => {
                        vec![Text::new(fl!("ui-scan-refused")), refusal.error.message()]
                    }
                };
                let tone = if lines.len() == 2 && lines[0].id == fl!("ui-scan-refused") {
                    Tone::Error
                } else {
                    Tone::Warning
                };
                self.screen = Screen::Welcome(welcome::State {
                    notice: Some((tone, lines)),
                    demo_code: None,
                });
            }
            (Screen::Declaration(state), Err(refusal)) => {
                state.form.scanned = Some(Text::new(fl!("ui-scan-refused")));
                state.form.notes = vec![refusal.error.message()];
            }
            // A code on the PIN pad, staff or report screens means nothing there.
            _ => {}
        }
        Task::none()
    }

    /// Validates the whole form, stores it, and shows the result.
    pub(super) fn submit(&mut self) -> Task<Message> {
        let today = self.today();
        let Screen::Review(state) = &mut self.screen else {
            return Task::none();
        };
        let problems = state.form.check(today);
        if let Some(first) = problems.first() {
            // Back to the page of the first problem, every problem shown.
            let part = part_of(&first.field);
            let mut form = super::take_form(&mut self.screen);
            form.problems = problems;
            if part == Part::Consent {
                self.screen =
                    Screen::Review(review::State::new(form, self.services.kiosk.config.triage));
            } else {
                let mut s = declaration::State::new(form);
                s.page = if part == Part::Identity {
                    Page::Identity
                } else {
                    Page::Questions
                };
                s.form.problems.retain(|p| part_of(&p.field) == part);
                self.screen = Screen::Declaration(s);
            }
            return Task::none();
        }
        let mut record = Record::new(
            state.form.declaration.clone(),
            self.services.kiosk.kiosk_id.clone(),
            state.form.started_at,
            self.services.kiosk.now(),
        )
        .triaged_by(&self.services.kiosk.config.triage);
        record.bluezone_nearby = self.services.ble.as_ref().and_then(|b| b.checkin_note());
        let stored = self.services.kiosk.store_mut().and_then(|store| {
            store
                .insert_checkin(&record, Actor::Visitor)
                .map_err(|e| e.message())
        });
        if let Err(message) = stored {
            tracing::error!("declaration not stored; the form is kept on screen");
            if let Screen::Review(state) = &mut self.screen {
                state.error = Some(message);
            }
            return Task::none();
        }
        tracing::info!(record = %record.record_id, flagged = record.flagged, "declaration stored");
        self.services.kiosk.wake_sync();
        self.services.sounds.play(if record.flagged {
            Sound::NeedsStaff
        } else {
            Sound::Done
        });
        let code = self
            .services
            .kiosk
            .signing_key
            .as_ref()
            .map(|key| encode_record(&record, key));
        let kiosk = &self.services.kiosk.config.kiosk;
        let stay = std::time::Duration::from_secs(if record.flagged {
            kiosk.flag_hold_secs.max(kiosk.done_timeout_secs).max(3)
        } else {
            kiosk.done_timeout_secs.max(3)
        });
        self.screen = Screen::Done(done::State::new(
            record.flagged,
            code.as_deref(),
            stay,
            Instant::now(),
        ));
        self.journal.clear();
        self.refresh_status();
        Task::none()
    }

    pub(super) fn on_report(&mut self, m: report::Message) -> Task<Message> {
        let Screen::Report(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(m) {
            report::Event::None => Task::none(),
            report::Event::Cancel => self.end_visit(),
            report::Event::Submit => {
                let record = checkpoint_domain::declaration::report::ReportRecord::new(
                    state.report.clone(),
                    self.services.kiosk.kiosk_id.clone(),
                    self.services.kiosk.now(),
                );
                let stored = self.services.kiosk.store_mut().and_then(|s| {
                    s.insert_report(&record, Actor::Visitor)
                        .map_err(|e| e.message())
                });
                match stored {
                    Ok(()) => {
                        self.services.kiosk.wake_sync();
                        self.services.sounds.play(Sound::Done);
                        let _ = self.end_visit();
                        self.screen = Screen::Welcome(welcome::State {
                            notice: Some((Tone::Good, vec![Text::new(fl!("ui-report-sent"))])),
                            demo_code: None,
                        });
                    }
                    Err(message) => {
                        if let Screen::Report(state) = &mut self.screen {
                            state.error = Some(message);
                        }
                    }
                }
                Task::none()
            }
        }
    }
}
