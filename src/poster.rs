//! The checkpoint's A4 poster (the phone page's address as a QR code, three
//! steps, both languages), as the hub makes it, saved from the staff
//! screen as one self-contained HTML file (its stylesheet inlined) that
//! any browser prints: the kiosk has no printer of its own, a USB stick
//! takes the file to one.

use std::path::{Path, PathBuf};

use checkpoint_i18n::{Message, fl};

use crate::exports::{ExportError, file_safe, write_whole};
use crate::sync::client::HubClient;
use crate::sync::{SyncConfig, SyncError};

const POSTER_PATH: &str = "/declare/poster";
const STYLESHEET_PATH: &str = "/declare/phone.css";
const STYLESHEET_LINK: &str = r#"<link rel="stylesheet" href="/declare/phone.css">"#;

/// The poster of `checkpoint` from the hub this kiosk sends to (its pinned
/// connection), stylesheet inlined.
pub async fn fetch(config: &SyncConfig, checkpoint: &str) -> Result<String, Message> {
    let hub = HubClient::new(config).map_err(|e| e.message())?;
    let page = hub
        .page(POSTER_PATH, &[("checkpoint", checkpoint)])
        .await
        .map_err(|e| match e {
            // A hub without a signing key serves no phone page (or the
            // checkpoint is gone from it).
            SyncError::Refused { status: 404, .. } => {
                Message::new(fl!("poster-none")).arg("checkpoint", checkpoint)
            }
            other => other.message(),
        })?;
    let css = hub
        .page(STYLESHEET_PATH, &[])
        .await
        .map_err(|e| e.message())?;
    Ok(self_contained(&page, &css))
}

/// `page` with its stylesheet link replaced by the stylesheet itself, so
/// that the file shows the same away from the hub.
pub fn self_contained(page: &str, css: &str) -> String {
    // A stylesheet cannot close its own element.
    let css = css.replace("</", "<\\/");
    let style = format!("<style>\n{css}</style>");
    if page.contains(STYLESHEET_LINK) {
        page.replacen(STYLESHEET_LINK, &style, 1)
    } else {
        page.replacen("</head>", &format!("{style}</head>"), 1)
    }
}

/// Writes the poster into `dir` as `poster-<checkpoint>.html` (whole or not
/// at all) and says where.
pub fn save(dir: &Path, checkpoint: &str, html: &str) -> Result<PathBuf, ExportError> {
    let path = dir.join(format!("poster-{}.html", file_safe(checkpoint)));
    if let Err(source) = std::fs::create_dir_all(dir) {
        return Err(ExportError::Write {
            path: dir.to_owned(),
            source,
        });
    }
    write_whole(&path, html.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_replaces_its_link() {
        let page = format!("<html><head>{STYLESHEET_LINK}</head><body>x</body></html>");
        let out = self_contained(&page, "body { color: red; }\n");
        assert_eq!(
            out,
            "<html><head><style>\nbody { color: red; }\n</style></head><body>x</body></html>"
        );
    }

    #[test]
    fn a_page_without_the_link_gets_the_stylesheet_in_its_head() {
        let out = self_contained("<html><head></head></html>", "a{}</style><script>");
        assert_eq!(
            out,
            "<html><head><style>\na{}<\\/style><script></style></head></html>"
        );
    }

    #[test]
    fn the_file_is_named_by_the_checkpoint_and_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = save(&dir.path().join("usb"), "moc-bai/../1", "<html></html>").unwrap();
        assert_eq!(path, dir.path().join("usb/poster-moc-bai____1.html"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "<html></html>");
        assert_eq!(
            std::fs::read_dir(dir.path().join("usb")).unwrap().count(),
            1
        );
    }
}
