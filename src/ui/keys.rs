//! Keyboard-wedge scanners wherever the focus is. Every key press reaches the
//! burst detector (`scan::wedge`) as well as the focused widget. When a burst
//! turns out to be a scan, whatever it typed into a field is undone: the
//! form is put back as it was just before the burst began, from a short
//! journal of the form taken before each typing edit.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use iced::keyboard::{self, Key, key::Named};

use crate::scan::wedge::{WedgeConfig, WedgeDetector, WedgeKey, WedgeOutput};

/// A key press as the app needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Press {
    Char(char),
    Enter,
    Tab { back: bool },
    Escape,
    Other,
}

fn is_modifier(named: Named) -> bool {
    matches!(
        named,
        Named::Shift
            | Named::Control
            | Named::Alt
            | Named::AltGraph
            | Named::Super
            | Named::Meta
            | Named::Hyper
            | Named::CapsLock
            | Named::NumLock
            | Named::ScrollLock
            | Named::Fn
            | Named::FnLock
            | Named::Symbol
            | Named::SymbolLock
    )
}

impl Press {
    /// Reads a key press event; `None` for anything else.
    pub fn of(event: &keyboard::Event) -> Option<Self> {
        let keyboard::Event::KeyPressed {
            key,
            text,
            modifiers,
            ..
        } = event
        else {
            return None;
        };
        Some(match key {
            // A scanner types capitals and '|' with Shift held, like a
            // keyboard: a modifier alone is no key at all, or it would cut
            // every burst at its first capital.
            Key::Named(named) if is_modifier(*named) => return None,
            Key::Named(Named::Enter) => Press::Enter,
            Key::Named(Named::Tab) => Press::Tab {
                back: modifiers.shift(),
            },
            Key::Named(Named::Escape) => Press::Escape,
            _ => match text.as_deref().map(|t| {
                let mut chars = t.chars();
                (chars.next(), chars.next())
            }) {
                Some((Some(c), None)) if !c.is_control() && !modifiers.control() => Press::Char(c),
                _ => Press::Other,
            },
        })
    }

    fn wedge_key(&self) -> WedgeKey {
        match self {
            Press::Char(c) => WedgeKey::Char(*c),
            Press::Enter => WedgeKey::Enter,
            _ => WedgeKey::Other,
        }
    }
}

/// What the app does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOutcome {
    /// A scanner burst: undo its typing (restore the journal from `since`)
    /// and read the text as a scan.
    Scanned { text: String, since: Instant },
    /// Enter, Tab or Escape typed by a person (not a scanner suffix).
    Key(Press),
}

/// The detector plus the moment the current run of fast keys began.
#[derive(Debug)]
pub struct KeyGuard {
    detector: WedgeDetector,
    config: WedgeConfig,
    origin: Instant,
    last_key: Option<Instant>,
    run_start: Option<Instant>,
}

impl KeyGuard {
    pub fn new(config: WedgeConfig, origin: Instant) -> Self {
        Self {
            detector: WedgeDetector::new(config),
            config,
            origin,
            last_key: None,
            run_start: None,
        }
    }

    /// Whether keys are held (the app ticks the guard while this is true).
    pub fn is_holding(&self) -> bool {
        self.detector.is_holding()
    }

    /// Feeds one key press at `now`.
    pub fn press(&mut self, press: Press, now: Instant) -> Vec<KeyOutcome> {
        let gap_ok = self
            .last_key
            .is_some_and(|t| now.saturating_duration_since(t) <= self.config.max_gap);
        if !gap_ok {
            self.run_start = Some(now);
        }
        self.last_key = Some(now);
        let since = self.run_start.unwrap_or(now);
        let out = self.detector.feed(press.wedge_key(), now - self.origin);
        self.outcomes(out, since, Some(press))
    }

    /// Ends a burst that went quiet (a scanner without an Enter suffix).
    pub fn tick(&mut self, now: Instant) -> Vec<KeyOutcome> {
        let since = self.run_start.unwrap_or(now);
        let out = self
            .detector
            .tick(now.saturating_duration_since(self.origin));
        self.outcomes(out, since, None)
    }

    fn outcomes(
        &self,
        out: Vec<WedgeOutput>,
        since: Instant,
        press: Option<Press>,
    ) -> Vec<KeyOutcome> {
        out.into_iter()
            .filter_map(|o| match o {
                WedgeOutput::Scanned(text) => Some(KeyOutcome::Scanned { text, since }),
                // Typed characters already reached the focused field.
                WedgeOutput::Typed(_) => None,
                WedgeOutput::Key(WedgeKey::Enter) => Some(KeyOutcome::Key(Press::Enter)),
                WedgeOutput::Key(WedgeKey::Other) => match &press {
                    Some(p @ (Press::Tab { .. } | Press::Escape)) => {
                        Some(KeyOutcome::Key(p.clone()))
                    }
                    _ => None,
                },
                WedgeOutput::Key(WedgeKey::Char(_)) => None,
            })
            .collect()
    }
}

/// Copies of something (the form) taken before each typing edit, for the
/// last couple of seconds: enough to undo a scanner burst.
#[derive(Debug)]
pub struct Journal<T> {
    entries: VecDeque<(Instant, T)>,
    keep: Duration,
}

impl<T> Journal<T> {
    pub fn new(keep: Duration) -> Self {
        Self {
            entries: VecDeque::new(),
            keep,
        }
    }

    /// Records the state before an edit made at `now`.
    pub fn record(&mut self, now: Instant, before: T) {
        while self
            .entries
            .front()
            .is_some_and(|(t, _)| now.saturating_duration_since(*t) > self.keep)
        {
            self.entries.pop_front();
        }
        if self.entries.len() >= 256 {
            self.entries.pop_front();
        }
        self.entries.push_back((now, before));
    }

    /// The state before the first edit at or after `since` (a little slack:
    /// the widget's edit and the key event reach the app a moment apart).
    pub fn take_before(&mut self, since: Instant) -> Option<T> {
        let since = since
            .checked_sub(Duration::from_millis(15))
            .unwrap_or(since);
        let pos = self.entries.iter().position(|(t, _)| *t >= since)?;
        self.entries.drain(pos..).next().map(|(_, v)| v)
    }

    /// Forgets everything (a new visitor).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> (KeyGuard, Instant) {
        let t0 = Instant::now();
        (KeyGuard::new(WedgeConfig::default(), t0), t0)
    }

    #[test]
    fn a_fast_burst_with_enter_is_a_scan_from_its_first_key() {
        let (mut g, t0) = guard();
        let mut out = Vec::new();
        for (i, c) in "001098012345|".chars().enumerate() {
            out.extend(g.press(
                Press::Char(c),
                t0 + Duration::from_millis(100 + 4 * i as u64),
            ));
        }
        out.extend(g.press(Press::Enter, t0 + Duration::from_millis(160)));
        assert_eq!(
            out,
            vec![KeyOutcome::Scanned {
                text: "001098012345|".into(),
                since: t0 + Duration::from_millis(100)
            }]
        );
    }

    /// A key press as winit reports it: `text` for a character key.
    fn pressed(key: Key, text: Option<&str>, shift: bool) -> keyboard::Event {
        keyboard::Event::KeyPressed {
            modified_key: key.clone(),
            key,
            physical_key: keyboard::key::Physical::Unidentified(
                keyboard::key::NativeCode::Unidentified,
            ),
            location: keyboard::Location::Standard,
            modifiers: if shift {
                keyboard::Modifiers::SHIFT
            } else {
                keyboard::Modifiers::empty()
            },
            text: text.map(iced::advanced::graphics::core::SmolStr::new),
            repeat: false,
        }
    }

    #[test]
    fn a_scanner_holding_shift_for_capitals_is_still_one_burst() {
        // What a keyboard-wedge scanner sends for a CCCD: Shift down before
        // each capital and '|', as a keyboard would.
        let payload = "001098012345|012345678|NGUYEN VAN A|15081998|Nam";
        let mut events = Vec::new();
        for c in payload.chars() {
            let shifted = c.is_ascii_uppercase() || c == '|';
            if shifted {
                events.push(pressed(Key::Named(Named::Shift), None, true));
            }
            let t = c.to_string();
            events.push(pressed(
                Key::Character(t.as_str().into()),
                Some(&t),
                shifted,
            ));
        }
        events.push(pressed(Key::Named(Named::Enter), Some("\r"), false));
        let (mut g, t0) = guard();
        let mut out = Vec::new();
        for (i, event) in events.iter().enumerate() {
            if let Some(p) = Press::of(event) {
                out.extend(g.press(p, t0 + Duration::from_millis(100 + 3 * i as u64)));
            }
        }
        assert_eq!(
            out,
            vec![KeyOutcome::Scanned {
                text: payload.into(),
                since: t0 + Duration::from_millis(100)
            }]
        );
    }

    #[test]
    fn modifiers_alone_are_no_key_press() {
        for named in [
            Named::Shift,
            Named::Control,
            Named::AltGraph,
            Named::CapsLock,
        ] {
            assert_eq!(Press::of(&pressed(Key::Named(named), None, false)), None);
        }
        assert_eq!(
            Press::of(&pressed(Key::Character("ễ".into()), Some("ễ"), false)),
            Some(Press::Char('ễ'))
        );
    }

    #[test]
    fn slow_typing_then_enter_is_a_person_pressing_enter() {
        let (mut g, t0) = guard();
        let mut out = Vec::new();
        for (i, c) in "hello".chars().enumerate() {
            out.extend(g.press(Press::Char(c), t0 + Duration::from_millis(150 * i as u64)));
        }
        out.extend(g.press(Press::Enter, t0 + Duration::from_millis(900)));
        assert_eq!(out, vec![KeyOutcome::Key(Press::Enter)]);
    }

    #[test]
    fn a_burst_without_enter_ends_on_the_tick() {
        let (mut g, t0) = guard();
        for (i, c) in "HC1:6BFOXN".chars().enumerate() {
            assert!(
                g.press(Press::Char(c), t0 + Duration::from_millis(5 * i as u64))
                    .is_empty()
            );
        }
        assert!(g.is_holding());
        let out = g.tick(t0 + Duration::from_millis(200));
        assert!(matches!(&out[..], [KeyOutcome::Scanned { text, .. }] if text == "HC1:6BFOXN"));
        assert!(!g.is_holding());
    }

    #[test]
    fn tab_and_escape_pass_through() {
        let (mut g, t0) = guard();
        assert_eq!(
            g.press(Press::Tab { back: true }, t0),
            vec![KeyOutcome::Key(Press::Tab { back: true })]
        );
        assert_eq!(
            g.press(Press::Escape, t0 + Duration::from_secs(1)),
            vec![KeyOutcome::Key(Press::Escape)]
        );
    }

    #[test]
    fn the_journal_gives_back_the_state_before_the_burst() {
        let t0 = Instant::now();
        let mut j = Journal::new(Duration::from_secs(2));
        j.record(t0, "A");
        j.record(t0 + Duration::from_millis(500), "AB");
        j.record(t0 + Duration::from_millis(1000), "ABC");
        j.record(t0 + Duration::from_millis(1004), "ABC0");
        assert_eq!(j.take_before(t0 + Duration::from_millis(1000)), Some("ABC"));
        // Taken: the later entries are gone too.
        assert_eq!(j.take_before(t0 + Duration::from_millis(1000)), None);
        assert_eq!(j.take_before(t0 + Duration::from_millis(400)), Some("AB"));
    }

    #[test]
    fn the_journal_forgets_old_states() {
        let t0 = Instant::now();
        let mut j = Journal::new(Duration::from_secs(2));
        j.record(t0, 1);
        j.record(t0 + Duration::from_secs(5), 2);
        assert_eq!(j.take_before(t0), Some(2));
    }
}
