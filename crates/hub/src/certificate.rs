//! The hub's own TLS certificate when none is configured: made once, on the
//! first start, in the data folder, and kept. Kiosks pin it by its SHA-256,
//! so the names in it matter less than that it never changes by itself.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use sha2::{Digest, Sha256};

use crate::{HubError, TlsFiles};

/// Where the generated pair lives inside the data folder.
pub fn default_files(data_dir: &Path) -> TlsFiles {
    let dir = data_dir.join("tls");
    TlsFiles {
        cert: dir.join("hub-cert.pem"),
        key: dir.join("hub-key.pem"),
    }
}

/// The pair in `files`, made now if the certificate is not there yet.
/// Returns whether it was made.
pub fn ensure(files: &TlsFiles, names: &[String]) -> Result<bool, HubError> {
    if next_files(files).cert.exists() && !next_files(files).key.exists() {
        // A rotation stopped half-way: the key in place belongs to the next
        // certificate.
        rotate(files)?;
    }
    if files.cert.exists() && files.key.exists() {
        return Ok(false);
    }
    let failed =
        |path: &Path, e: &dyn std::fmt::Display| HubError::Tls(format!("{}: {e}", path.display()));
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| HubError::Tls(format!("generating a certificate: {e}")))?;
    if let Some(dir) = files.cert.parent() {
        std::fs::create_dir_all(dir).map_err(|e| failed(dir, &e))?;
    }
    // The key first, then the certificate: a crash between the two leaves no
    // certificate, so the next start makes the pair again.
    write_new(
        &files.key,
        made.signing_key.serialize_pem().as_bytes(),
        0o600,
    )
    .map_err(|e| failed(&files.key, &e))?;
    write_new(&files.cert, made.cert.pem().as_bytes(), 0o644)
        .map_err(|e| failed(&files.cert, &e))?;
    Ok(true)
}

/// Where a renewed pair waits until it replaces the current one.
pub fn next_files(files: &TlsFiles) -> TlsFiles {
    let beside = |p: &Path| p.with_extension("next.pem");
    TlsFiles {
        cert: beside(&files.cert),
        key: beside(&files.key),
    }
}

/// Makes the next certificate (kept beside the current one and announced in
/// the fleet's signed configuration until `rotate`). Returns its SHA-256.
pub fn renew(files: &TlsFiles, names: &[String]) -> Result<String, HubError> {
    let next = next_files(files);
    for path in [&next.cert, &next.key] {
        if path.exists() {
            std::fs::remove_file(path)
                .map_err(|e| HubError::Tls(format!("{}: {e}", path.display())))?;
        }
    }
    ensure(&next, names)?;
    fingerprint(&next.cert)
}

/// The next certificate takes the current one's place (restart the hub
/// after). `false`: there was none waiting.
pub fn rotate(files: &TlsFiles) -> Result<bool, HubError> {
    let next = next_files(files);
    let moved = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| HubError::Tls(format!("{}: {e}", to.display())))
    };
    match (next.key.exists(), next.cert.exists()) {
        (true, true) => moved(&next.key, &files.key)?,
        // The key moved and then the rotation stopped (renew writes and
        // removes the key first, so nothing else leaves this): finish it.
        (false, true) => {}
        _ => return Ok(false),
    }
    moved(&next.cert, &files.cert)?;
    Ok(true)
}

/// The SHA-256s kiosks may meet: the current certificate's, and the next
/// one's while it waits.
pub fn announced(files: &TlsFiles) -> Vec<String> {
    let next = next_files(files);
    [&files.cert, &next.cert]
        .into_iter()
        .filter(|p| p.exists())
        .filter_map(|p| fingerprint(p).ok())
        .collect()
}

/// Names a generated certificate carries: this machine's name, loopback,
/// and the address the hub listens on when it is a specific one.
pub fn names_for(listen: std::net::SocketAddr) -> Vec<String> {
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    // uname(2), not /proc/sys: the packaged unit hides /proc/sys from the hub.
    let uname = rustix::system::uname();
    if let Ok(host) = uname.nodename().to_str()
        && !host.is_empty()
        && host != "localhost"
    {
        names.insert(0, host.to_owned());
    }
    let ip = listen.ip();
    if !ip.is_unspecified() && !ip.is_loopback() {
        names.push(ip.to_string());
    }
    names
}

/// The SHA-256 of the first certificate in a PEM file, as lowercase hex:
/// what a kiosk's `pinned_cert_sha256` takes.
pub fn fingerprint(cert: &Path) -> Result<String, HubError> {
    let first = CertificateDer::pem_file_iter(cert)
        .map_err(|e| HubError::Tls(format!("{}: {e}", cert.display())))?
        .next()
        .ok_or_else(|| HubError::Tls(format!("{}: no certificate", cert.display())))?
        .map_err(|e| HubError::Tls(format!("{}: {e}", cert.display())))?;
    Ok(Sha256::digest(first.as_ref())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Writes through a temporary file and a rename, with `mode` from the start
/// (a key is never readable by others, not even for a moment).
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut partial: PathBuf = path.to_owned();
    partial.set_extension("partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_kept_and_usable() {
        let dir = tempfile::tempdir().unwrap();
        let files = default_files(dir.path());
        assert!(ensure(&files, &names_for("0.0.0.0:8443".parse().unwrap())).unwrap());
        let first = fingerprint(&files.cert).unwrap();
        assert_eq!(first.len(), 64);
        assert!(!ensure(&files, &["localhost".to_owned()]).unwrap());
        assert_eq!(fingerprint(&files.cert).unwrap(), first, "kept, not remade");
        crate::serve::tls_config(&files).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&files.key).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is the owner's alone: {mode:o}");
        }
    }

    #[test]
    fn a_certificate_without_its_key_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let files = default_files(dir.path());
        ensure(&files, &["localhost".to_owned()]).unwrap();
        let first = fingerprint(&files.cert).unwrap();
        std::fs::remove_file(&files.key).unwrap();
        assert!(ensure(&files, &["localhost".to_owned()]).unwrap());
        assert_ne!(fingerprint(&files.cert).unwrap(), first);
        crate::serve::tls_config(&files).unwrap();
    }

    #[test]
    fn a_rotation_stopped_after_the_key_moved_is_finished_at_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let files = default_files(dir.path());
        let names = ["localhost".to_owned()];
        ensure(&files, &names).unwrap();
        let next = renew(&files, &names).unwrap();
        // What rotate's first step does, then a crash.
        std::fs::rename(next_files(&files).key, &files.key).unwrap();
        assert!(
            crate::serve::tls_config(&files).is_err(),
            "key and certificate differ"
        );
        assert!(!ensure(&files, &names).unwrap(), "nothing made anew");
        assert_eq!(fingerprint(&files.cert).unwrap(), next);
        crate::serve::tls_config(&files).unwrap();
        assert!(!rotate(&files).unwrap(), "nothing waits any more");
    }

    #[test]
    fn a_file_without_a_certificate_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pem");
        std::fs::write(&path, "not a certificate").unwrap();
        assert!(fingerprint(&path).is_err());
    }
}
