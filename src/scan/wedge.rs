//! Handheld scanners in keyboard mode ("keyboard wedge") type a code as a
//! burst of keystrokes, a few milliseconds apart, often ending with Enter.
//! People type at best every 50–100 ms. The detector holds keys back while a
//! burst is possible and then releases them either as a scan or as typing.
//! Pure: the GUI feeds it key events with their time, and calls [`tick`]
//! on a timer so a burst without Enter still ends.
//!
//! [`tick`]: WedgeDetector::tick

use std::time::Duration;

/// A key as the detector needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WedgeKey {
    /// A key that types a character.
    Char(char),
    /// Enter / Return (scanners' usual suffix).
    Enter,
    /// Any other key (arrows, Tab, Escape…): it ends a burst.
    Other,
}

/// What the GUI does with the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WedgeOutput {
    /// A scanner burst: the scanned text, without its Enter.
    Scanned(String),
    /// Human typing to apply as usual (characters held back, in order).
    Typed(String),
    /// A key to pass through as usual (Enter or another key).
    Key(WedgeKey),
}

/// Thresholds of a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WedgeConfig {
    /// Keys of a burst come at most this far apart.
    pub max_gap: Duration,
    /// A burst has at least this many characters (people may hit two or three
    /// keys at once, never six in a row this fast).
    pub min_len: usize,
}

impl Default for WedgeConfig {
    fn default() -> Self {
        Self {
            max_gap: Duration::from_millis(30),
            min_len: 6,
        }
    }
}

/// The burst detector. Times are any monotonic clock's readings as durations
/// (e.g. since the app started).
#[derive(Debug, Clone, Default)]
pub struct WedgeDetector {
    config: WedgeConfig,
    held: String,
    held_len: usize,
    last: Option<Duration>,
}

impl WedgeDetector {
    /// A detector with these thresholds.
    pub fn new(config: WedgeConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Whether keys are being held back (the GUI should call [`tick`] soon).
    ///
    /// [`tick`]: WedgeDetector::tick
    pub fn is_holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Feeds one key pressed at `at`.
    pub fn feed(&mut self, key: WedgeKey, at: Duration) -> Vec<WedgeOutput> {
        let mut out = Vec::new();
        let in_burst = self
            .last
            .is_some_and(|last| at.saturating_sub(last) <= self.config.max_gap);
        if !in_burst {
            self.flush(&mut out);
        }
        match key {
            WedgeKey::Char(c) => {
                self.held.push(c);
                self.held_len += 1;
                self.last = Some(at);
            }
            WedgeKey::Enter if in_burst && self.held_len >= self.config.min_len => {
                // The scanner's suffix: swallowed.
                out.push(WedgeOutput::Scanned(std::mem::take(&mut self.held)));
                self.reset();
            }
            other => {
                self.flush(&mut out);
                out.push(WedgeOutput::Key(other));
            }
        }
        out
    }

    /// Ends a burst that went quiet (no Enter suffix). Call on a timer,
    /// e.g. every 20 ms while [`is_holding`] is true.
    ///
    /// [`is_holding`]: WedgeDetector::is_holding
    pub fn tick(&mut self, now: Duration) -> Vec<WedgeOutput> {
        let mut out = Vec::new();
        if self
            .last
            .is_some_and(|last| now.saturating_sub(last) > self.config.max_gap)
        {
            self.flush(&mut out);
        }
        out
    }

    fn flush(&mut self, out: &mut Vec<WedgeOutput>) {
        if !self.held.is_empty() {
            let text = std::mem::take(&mut self.held);
            out.push(if self.held_len >= self.config.min_len {
                WedgeOutput::Scanned(text)
            } else {
                WedgeOutput::Typed(text)
            });
        }
        self.reset();
    }

    fn reset(&mut self) {
        self.held.clear();
        self.held_len = 0;
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Feeds `text` one character every `gap` ms from `start`, then returns
    /// everything the detector said, including a final tick.
    fn type_text(
        d: &mut WedgeDetector,
        text: &str,
        start: u64,
        gap: u64,
        enter: bool,
    ) -> Vec<WedgeOutput> {
        let mut out = Vec::new();
        let mut t = start;
        for c in text.chars() {
            out.extend(d.feed(WedgeKey::Char(c), ms(t)));
            t += gap;
        }
        if enter {
            out.extend(d.feed(WedgeKey::Enter, ms(t)));
        }
        out.extend(d.tick(ms(t + 500)));
        out
    }

    const CCCD: &str = "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021";

    #[test]
    fn burst_with_enter_is_a_scan_and_the_enter_is_swallowed() {
        let mut d = WedgeDetector::default();
        let out = type_text(&mut d, CCCD, 1000, 4, true);
        assert_eq!(out, vec![WedgeOutput::Scanned(CCCD.into())]);
        assert!(!d.is_holding());
    }

    #[test]
    fn burst_without_enter_ends_on_tick() {
        let mut d = WedgeDetector::default();
        let mut out = Vec::new();
        for (i, c) in "HC1:6BFOXN".chars().enumerate() {
            out.extend(d.feed(WedgeKey::Char(c), ms(i as u64 * 8)));
        }
        assert!(out.is_empty() && d.is_holding());
        assert!(d.tick(ms(80)).is_empty(), "still within the gap");
        assert_eq!(
            d.tick(ms(200)),
            vec![WedgeOutput::Scanned("HC1:6BFOXN".into())]
        );
    }

    #[test]
    fn human_typing_passes_through_in_order() {
        let mut d = WedgeDetector::default();
        let out = type_text(&mut d, "Nguyen", 0, 120, true);
        let typed: String = out
            .iter()
            .filter_map(|o| match o {
                WedgeOutput::Typed(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(typed, "Nguyen");
        assert_eq!(out.last(), Some(&WedgeOutput::Key(WedgeKey::Enter)));
        assert!(!out.iter().any(|o| matches!(o, WedgeOutput::Scanned(_))));
    }

    #[test]
    fn a_fast_human_roll_of_few_keys_is_typing() {
        let mut d = WedgeDetector::default();
        // "th" rolled 10 ms apart, then a pause, "e" later; Enter alone.
        let mut out = d.feed(WedgeKey::Char('t'), ms(0));
        out.extend(d.feed(WedgeKey::Char('h'), ms(10)));
        out.extend(d.feed(WedgeKey::Char('e'), ms(150)));
        out.extend(d.feed(WedgeKey::Enter, ms(160)));
        assert_eq!(
            out,
            vec![
                WedgeOutput::Typed("th".into()),
                WedgeOutput::Typed("e".into()),
                WedgeOutput::Key(WedgeKey::Enter)
            ]
        );
    }

    #[test]
    fn a_scan_right_after_typing_is_separated() {
        let mut d = WedgeDetector::default();
        let mut out = type_text(&mut d, "ab", 0, 200, false);
        out.extend(type_text(&mut d, "123456789", 2000, 3, true));
        assert_eq!(
            out,
            vec![
                WedgeOutput::Typed("a".into()),
                WedgeOutput::Typed("b".into()),
                WedgeOutput::Scanned("123456789".into())
            ]
        );
    }

    #[test]
    fn another_key_ends_a_burst() {
        let mut d = WedgeDetector::default();
        let mut out = Vec::new();
        for (i, c) in "ABCDEFG".chars().enumerate() {
            out.extend(d.feed(WedgeKey::Char(c), ms(i as u64 * 5)));
        }
        out.extend(d.feed(WedgeKey::Other, ms(36)));
        assert_eq!(
            out,
            vec![
                WedgeOutput::Scanned("ABCDEFG".into()),
                WedgeOutput::Key(WedgeKey::Other)
            ]
        );
    }

    #[test]
    fn thresholds_are_configurable() {
        let mut d = WedgeDetector::new(WedgeConfig {
            max_gap: ms(60),
            min_len: 3,
        });
        let out = type_text(&mut d, "XYZ", 0, 50, true);
        assert_eq!(out, vec![WedgeOutput::Scanned("XYZ".into())]);
    }
}
