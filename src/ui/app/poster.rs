//! The staff screen's "Hub" tab saves the checkpoint's A4 poster: fetched
//! from the hub off the window's thread, written where exports go (a USB
//! stick when one is plugged in), to print from any browser.

use iced::Task;

use super::{App, Message, Screen};
use crate::poster;
use checkpoint_i18n::{Message as Text, fl};

impl App {
    /// Asks the hub for this checkpoint's poster.
    pub(super) fn fetch_poster(&mut self) -> Task<Message> {
        let sync = self.services.kiosk.config.sync.clone();
        let checkpoint = self.services.kiosk.config.kiosk.checkpoint.clone();
        Task::perform(
            async move { poster::fetch(&sync, &checkpoint).await },
            Message::PosterFetched,
        )
    }

    /// Writes the poster to the last place exports may go: the newest USB
    /// stick, else the kiosk's own exports folder.
    pub(super) fn poster_fetched(&mut self, page: Result<String, Text>) {
        let outcome = page.and_then(|html| {
            let places = self.export_destinations();
            let dir = places
                .last()
                .cloned()
                .unwrap_or_else(|| self.services.kiosk.data.exports());
            poster::save(&dir, &self.services.kiosk.config.kiosk.checkpoint, &html)
                .map(|path| Text::new(fl!("ui-hub-poster-saved")).arg("path", path.display()))
                .map_err(|e| e.message())
        });
        if let Screen::Staff(state) = &mut self.screen {
            state.hub.poster_saved(outcome);
        }
    }
}
