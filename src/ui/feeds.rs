//! Background work reaching the window: scan events, camera pictures and the
//! sync worker's status, each as a keyed subscription over the channel the
//! worker already has. The streams run on iced's executor, never on the GUI
//! thread: shrinking a picture happens there too.

use std::hash::{Hash, Hasher};

use futures::stream::{self, BoxStream, StreamExt};
use iced::Subscription;
use tokio::sync::{mpsc, watch};

use super::preview::Picture;
use super::services::Inbox;
use crate::scan::{Frame, ScanEvent};
use crate::sync::status::SyncStatus;

/// Scan events, in order.
pub fn scan_events(inbox: &Inbox<mpsc::UnboundedReceiver<ScanEvent>>) -> Subscription<ScanEvent> {
    Subscription::run_with(inbox.clone(), |inbox| -> BoxStream<'static, ScanEvent> {
        match inbox.take() {
            Some(rx) => stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|event| (event, rx))
            })
            .boxed(),
            None => stream::empty().boxed(),
        }
    })
}

/// A watch channel as subscription data: identified by a key, not by value.
#[derive(Debug, Clone)]
pub struct Watched<T> {
    key: &'static str,
    rx: watch::Receiver<T>,
}

impl<T> Watched<T> {
    pub fn new(key: &'static str, rx: watch::Receiver<T>) -> Self {
        Self { key, rx }
    }
}

impl<T> Hash for Watched<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// The newest camera frame as a picture, whenever one arrives (frames that
/// arrive while one is being shrunk are skipped: the newest wins).
pub fn pictures(feed: &Watched<Option<Frame>>) -> Subscription<Picture> {
    Subscription::run_with(feed.clone(), |feed| {
        stream::unfold(feed.rx.clone(), |mut rx| async move {
            loop {
                rx.changed().await.ok()?;
                let frame = rx.borrow_and_update().clone();
                if let Some(frame) = frame {
                    return Some((Picture::of(&frame), rx));
                }
            }
        })
    })
}

/// Each change of the sync worker's status.
pub fn sync_status(feed: &Watched<SyncStatus>) -> Subscription<SyncStatus> {
    Subscription::run_with(feed.clone(), |feed| {
        stream::unfold(feed.rx.clone(), |mut rx| async move {
            rx.changed().await.ok()?;
            let status = rx.borrow_and_update().clone();
            Some((status, rx))
        })
    })
}
