//! Standard output of the commands. A reader that stops early (`| head`)
//! closes the pipe; the next write fails with `BrokenPipe`, which travels up
//! as an ordinary error and [`super::run`] ends the command quietly with 0.

use std::fmt::Display;
use std::io::{self, Write};

/// Prints `text` and a line end.
pub fn line(text: impl Display) -> io::Result<()> {
    writeln!(io::stdout().lock(), "{text}")
}

/// Prints `text` as it is (it carries its own line ends).
pub fn text(text: impl Display) -> io::Result<()> {
    let mut out = io::stdout().lock();
    write!(out, "{text}")?;
    out.flush()
}

/// Whether an error is the reader of our output having gone away.
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}
