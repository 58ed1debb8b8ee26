//! The private folder: the organizer's key and the seed secrets.

use super::*;

/// The private folder: the organizer's secret key and the seed secrets, never published.
///
/// Files are created with mode 0600 and never overwritten; the folder itself with mode 0700.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateDir {
    root: PathBuf,
}

impl PrivateDir {
    /// The private folder at `root` (created when first written to).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        PrivateDir { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `organizer.key` in the folder.
    pub fn key_path(&self) -> PathBuf {
        self.root.join(SECRET_KEY_FILE)
    }

    /// `secrets/<draw id>/<party>.secret` in the folder.
    ///
    /// ```
    /// use double_random::bundle::PrivateDir;
    /// let p = PrivateDir::new("private");
    /// let path = p.secret_path("D1", "纪检监督员").unwrap();
    /// assert!(path.ends_with("secrets/D1/纪检监督员.secret"));
    /// assert!(p.secret_path("D1", "../x").is_err());
    /// ```
    pub fn secret_path(&self, draw_id: &str, party: &str) -> Result<PathBuf, BundleError> {
        check_name("draw id", draw_id)?;
        check_name("party name", party)?;
        Ok(self
            .root
            .join(SECRETS_DIR)
            .join(draw_id)
            .join(format!("{party}.secret")))
    }

    /// Writes the organizer's secret key (mode 0600); refuses to replace an existing key.
    pub fn write_key(&self, key: &SecretKey) -> Result<PathBuf, BundleError> {
        let path = self.key_path();
        create_private_dir(&self.root)?;
        files::write_secret_new(&path, key.to_key_file().as_bytes())?;
        Ok(path)
    }

    /// Writes the organizer's secret key protected by a password (mode 0600); refuses to replace
    /// an existing key.
    ///
    /// The file is minisign's encrypted secret key (see
    /// [`SecretKey::to_encrypted_key_file`]); use [`KdfLimits::MINISIGN`](crate::sign::KdfLimits::MINISIGN)
    /// for a real key.
    ///
    /// ```
    /// use double_random::bundle::PrivateDir;
    /// use double_random::sign::{KdfLimits, SecretKey};
    /// let dir = tempfile::tempdir()?;
    /// let p = PrivateDir::new(dir.path());
    /// let key = SecretKey::generate()?;
    /// let cheap = KdfLimits { opslimit: 32768, memlimit: 1 << 20 };
    /// p.write_key_encrypted(&key, b"pw", cheap)?;
    /// assert_eq!(p.read_key_with_password(b"pw")?.key_id(), key.key_id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "os-random")]
    pub fn write_key_encrypted(
        &self,
        key: &SecretKey,
        password: &[u8],
        limits: crate::sign::KdfLimits,
    ) -> Result<PathBuf, BundleError> {
        let path = self.key_path();
        let text = key
            .to_encrypted_key_file(password, limits)
            .map_err(|e| sign_error(&path, e))?;
        create_private_dir(&self.root)?;
        files::write_secret_new(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Reads the organizer's secret key; an encrypted key fails with
    /// [`SignError::EncryptedSecretKey`] inside [`BundleError::Sign`] (ask for the password and
    /// call [`PrivateDir::read_key_with_password`]).
    pub fn read_key(&self) -> Result<SecretKey, BundleError> {
        let path = self.key_path();
        let text = read_secret_text(&path, Needed::SecretKey)?;
        SecretKey::parse(&text).map_err(|e| sign_error(&path, e))
    }

    /// Reads the organizer's secret key, opening an encrypted one with `password`.
    pub fn read_key_with_password(&self, password: &[u8]) -> Result<SecretKey, BundleError> {
        let path = self.key_path();
        let text = read_secret_text(&path, Needed::SecretKey)?;
        SecretKey::parse_with_password(&text, password).map_err(|e| sign_error(&path, e))
    }

    /// Writes a party's seed secret for a draw (mode 0600); refuses to replace one.
    ///
    /// ```
    /// use double_random::bundle::PrivateDir;
    /// use double_random::ceremony::commit::Secret;
    /// let dir = tempfile::tempdir()?;
    /// let p = PrivateDir::new(dir.path());
    /// let s = Secret::generate()?;
    /// p.write_secret("D1", "纪检监督员", &s)?;
    /// assert_eq!(p.read_secret("D1", "纪检监督员")?, s);
    /// assert!(p.write_secret("D1", "纪检监督员", &s).unwrap_err().is_refusal_to_overwrite());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_secret(
        &self,
        draw_id: &str,
        party: &str,
        secret: &Secret,
    ) -> Result<PathBuf, BundleError> {
        let path = self.secret_path(draw_id, party)?;
        if let Some(parent) = path.parent() {
            create_private_dir(parent)?;
        }
        let mut text = secret.to_hex();
        text.push('\n');
        files::write_secret_new(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Reads a party's seed secret for a draw.
    pub fn read_secret(&self, draw_id: &str, party: &str) -> Result<Secret, BundleError> {
        let path = self.secret_path(draw_id, party)?;
        read_secret_file(&path)
    }
}

/// Reads a seed secret file (64 hex digits); the bytes read are wiped after parsing.
pub fn read_secret_file(path: &Path) -> Result<Secret, BundleError> {
    let text = read_secret_text(path, Needed::Secret)?;
    Secret::from_hex(&text).map_err(|source| BundleError::Secret {
        path: path.to_path_buf(),
        source,
    })
}

pub(super) fn read_secret_text(
    path: &Path,
    what: Needed,
) -> Result<Zeroizing<String>, BundleError> {
    let bytes = match files::read_limited(path, MAX_SMALL_FILE_BYTES) {
        Ok(b) => Zeroizing::new(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BundleError::Missing {
                path: path.to_path_buf(),
                what,
            });
        }
        Err(e) => return Err(e.into()),
    };
    match std::str::from_utf8(&bytes) {
        Ok(s) => Ok(Zeroizing::new(s.to_string())),
        Err(_) => Err(BundleError::NotUtf8 {
            path: path.to_path_buf(),
        }),
    }
}

pub(super) fn create_private_dir(dir: &Path) -> Result<(), BundleError> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        BundleError::File(FileError::Io {
            path: dir.to_path_buf(),
            op: files::FileOp::Write,
            kind: e.kind(),
            source: e,
        })
    })
}

pub(super) fn create_dir(dir: &Path) -> Result<(), BundleError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        BundleError::File(FileError::Io {
            path: dir.to_path_buf(),
            op: files::FileOp::Write,
            kind: e.kind(),
            source: e,
        })
    })
}

/// Refuses a private folder that lies inside the draw folder (which is published).
///
/// ```
/// use double_random::bundle::check_private_outside;
/// assert!(check_private_outside("office/private".as_ref(), "office/D1".as_ref()).is_ok());
/// assert!(check_private_outside("office/D1/private".as_ref(), "office/D1".as_ref()).is_err());
/// ```
pub fn check_private_outside(private: &Path, draw_dir: &Path) -> Result<(), BundleError> {
    let abs = |p: &Path| -> PathBuf {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Resolve symbolic links in the part that exists.
        let mut existing = p.clone();
        let mut rest = vec![];
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
        for name in rest.into_iter().rev() {
            out.push(name);
        }
        out
    };
    let (p, d) = (abs(private), abs(draw_dir));
    if p.starts_with(&d) {
        return Err(BundleError::PrivateInsidePublished {
            private: private.to_path_buf(),
            draw: draw_dir.to_path_buf(),
        });
    }
    Ok(())
}
