//! Joining a hub from the staff screen: the code is read (typed, scanned or
//! seen by the camera on the "Hub" tab), the hub asked off the window's
//! thread, then what it gave is kept and the sync worker restarted on it.

use iced::Task;

use super::{App, Message, Screen};
use crate::enrolment::{self, Enrolled};
use crate::ui::screen::staff::Tab;
use crate::ui::screen::staff::hub::{self, Connection};
use checkpoint_i18n::{Message as Text, fl};
use checkpoint_store::Actor;
use checkpoint_wire::{EnrolAnswer, EnrolmentCode};

/// What the hub answered, back on the window's thread.
pub type HubAnswer = Result<(EnrolmentCode, EnrolAnswer), Text>;

impl App {
    /// The staff screen's "Hub" tab is open: codes read go to it.
    pub(super) fn enrolling(&self) -> bool {
        matches!(&self.screen, Screen::Staff(s) if s.tab == Tab::Hub)
    }

    /// A code read while the "Hub" tab is open.
    pub(super) fn on_enrol_scan(&mut self, bytes: &[u8]) -> Task<Message> {
        let text = String::from_utf8_lossy(bytes).trim().to_owned();
        let Screen::Staff(state) = &mut self.screen else {
            return Task::none();
        };
        match state.hub.scanned(text) {
            hub::Event::Enrol(code) => self.enrol(code),
            hub::Event::None | hub::Event::SavePoster => Task::none(),
        }
    }

    /// Asks the hub the code names for this kiosk's id and token.
    pub(super) fn enrol(&mut self, text: String) -> Task<Message> {
        let code = match enrolment::parse(&text) {
            Ok(c) => c,
            Err(e) => return self.enrol_finished(Err(e.message())),
        };
        let previous = self.services.kiosk.kiosk_id.clone();
        let key = enrolment::ckd_public_key(&self.services.kiosk.data);
        Task::perform(
            async move {
                enrolment::request(&code, &previous, &key)
                    .await
                    .map(|answer| (code, answer))
                    .map_err(|e| e.message())
            },
            Message::Enrolled,
        )
    }

    /// Keeps what the hub gave (records re-labelled, configuration written),
    /// then sends to the new hub at once.
    pub(super) fn enrol_finished(&mut self, answer: HubAnswer) -> Task<Message> {
        let outcome = answer.and_then(|(code, answer)| {
            let store = self.services.kiosk.store.as_mut().map_err(|m| m.clone())?;
            let done = enrolment::apply(
                &self.services.kiosk.data.config_file(),
                store,
                &code,
                &answer,
                Actor::Staff,
            )
            .map_err(|e| e.message())?;
            self.services.kiosk.adopt_hub(&code, &answer);
            Ok(self.connected(&done))
        });
        self.refresh_status();
        if let Screen::Staff(state) = &mut self.screen {
            state.hub.finished(outcome);
        }
        Task::none()
    }

    fn connected(&self, done: &Enrolled) -> (Connection, Text) {
        let place = if done.checkpoint_name.is_empty() {
            &done.checkpoint_id
        } else {
            &done.checkpoint_name
        };
        (
            self.connection(),
            Text::new(fl!("enrol-done"))
                .arg("kiosk", &done.kiosk_id)
                .arg("checkpoint", place)
                .arg("count", done.relabelled.to_string()),
        )
    }

    /// The hub this kiosk sends to, for the "Hub" tab.
    pub(super) fn connection(&self) -> Connection {
        let sync = &self.services.kiosk.config.sync;
        Connection {
            server: sync.server.trim().to_owned(),
            kiosk_id: self.services.kiosk.kiosk_id.clone(),
            pinned: sync
                .pinned_cert_sha256
                .as_deref()
                .is_some_and(|p| !p.is_empty()),
            phone_page: phone_page(
                self.services
                    .kiosk
                    .fleet
                    .as_ref()
                    .and_then(|f| f.phone_url.as_deref())
                    .unwrap_or(sync.server.trim()),
                &self.services.kiosk.config.kiosk.checkpoint,
            ),
            fleet_issued: self.services.kiosk.fleet.as_ref().map(|f| {
                f.issued_at
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            }),
        }
    }
}

/// The phone page of this kiosk's checkpoint at the hub's public address
/// (the fleet's `phone_url`, else the address the kiosk sends to).
fn phone_page(base: &str, checkpoint: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    (!base.is_empty() && !checkpoint.is_empty())
        .then(|| format!("{base}/declare/?checkpoint={checkpoint}"))
}
