//! The draw folder: the published documents and their signatures.

use super::*;

/// A draw folder: the published files of one draw.
///
/// ```
/// use double_random::bundle::{DrawDir, SHEET_FILE};
/// use double_random::sign::SecretKey;
/// let dir = tempfile::tempdir()?;
/// let folder = DrawDir::new(dir.path());
/// let key = SecretKey::generate()?;
/// folder.publish("note.json", b"{}", &key, "D1")?;
/// assert!(folder.has("note.json.minisig"));
/// // A record is never replaced.
/// assert!(folder.publish("note.json", b"{}", &key, "D1").is_err());
/// assert!(folder.read_sheet()?.is_none());
/// assert!(!folder.has(SHEET_FILE));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawDir {
    root: PathBuf,
}

/// A document read from a draw folder: its value, its bytes and its signature text.
#[derive(Debug, Clone)]
pub struct ReadDocument<T> {
    /// The file name.
    pub name: String,
    /// The parsed document.
    pub value: T,
    /// Its bytes (canonical JSON).
    pub bytes: Vec<u8>,
    /// The `.minisig` text, if the file is there.
    pub signature: Option<String>,
}

impl DrawDir {
    /// The draw folder at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DrawDir { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A file in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub(super) fn read_bytes(&self, name: &str, what: Needed) -> Result<Vec<u8>, BundleError> {
        read_document_bytes(&self.root.as_path(), name, what)
    }

    pub(super) fn read_signature(&self, name: &str) -> Result<Option<String>, BundleError> {
        read_signature_text(&self.root.as_path(), name)
    }

    fn read_document<T>(
        &self,
        name: &str,
        what: Needed,
        parse: impl FnOnce(&[u8]) -> Result<T, CeremonyError>,
    ) -> Result<ReadDocument<T>, BundleError> {
        let bytes = self.read_bytes(name, what)?;
        let value = parse(&bytes).map_err(|e| doc_error(&self.path(name), e))?;
        Ok(ReadDocument {
            name: name.to_string(),
            value,
            bytes,
            signature: self.read_signature(name)?,
        })
    }

    /// Whether the folder holds a file of this name.
    pub fn has(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// Reads `announcement.json` and its signature.
    pub fn read_announcement(&self) -> Result<ReadDocument<Announcement>, BundleError> {
        self.read_document(ANNOUNCEMENT_FILE, Needed::Announcement, Announcement::parse)
    }

    /// Reads `sheet.json` and its signature, if the draw has been made.
    pub fn read_sheet(&self) -> Result<Option<ReadDocument<Sheet>>, BundleError> {
        if !self.has(SHEET_FILE) {
            return Ok(None);
        }
        self.read_document(SHEET_FILE, Needed::Sheet, Sheet::parse)
            .map(Some)
    }

    /// Reads `amendment-1.json`, `amendment-2.json`, … while they exist.
    pub fn read_amendments(&self) -> Result<Vec<ReadDocument<Amendment>>, BundleError> {
        let mut v = vec![];
        for seq in 1u32.. {
            let name = amendment_file(seq);
            if !self.has(&name) {
                break;
            }
            v.push(self.read_document(&name, Needed::Amendment, Amendment::parse)?);
        }
        Ok(v)
    }

    /// Amendment files whose number does not follow the ones before it (`amendment-3.json`
    /// without `amendment-2.json`): a gap means a file was removed.
    pub fn stray_amendments(&self, found: usize) -> Vec<String> {
        stray_amendments(&self.root.as_path(), found)
    }

    /// Reads `organizer.pub`.
    pub fn read_public_key(&self) -> Result<PublicKey, BundleError> {
        read_public_key_file(&self.path(PUBLIC_KEY_FILE))
    }

    /// The input files present in the folder, by their standard names.
    pub fn input_paths(&self) -> Result<InputPaths, InputProblems> {
        InputPaths::find(&self.root, None)
    }

    /// Writes a document and its signature, refusing to replace either.
    pub fn publish(
        &self,
        name: &str,
        bytes: &[u8],
        key: &SecretKey,
        draw_id: &str,
    ) -> Result<(), BundleError> {
        let sig_name = signature_file(name);
        for n in [name, sig_name.as_str()] {
            if self.has(n) {
                return Err(BundleError::Exists { path: self.path(n) });
            }
        }
        let minisig = sign_document(key, draw_id, name, bytes)
            .map_err(|e| sign_error(&self.path(&sig_name), e))?;
        self.write_new(name, bytes, &minisig)
    }

    /// Writes a document a step made and its signature, refusing to replace either.
    pub(super) fn write_signed(&self, doc: &Signed) -> Result<(), BundleError> {
        let sig_name = signature_file(&doc.name);
        for n in [doc.name.as_str(), sig_name.as_str()] {
            if self.has(n) {
                return Err(BundleError::Exists { path: self.path(n) });
            }
        }
        self.write_new(&doc.name, &doc.bytes, &doc.signature)
    }

    fn write_new(&self, name: &str, bytes: &[u8], minisig: &str) -> Result<(), BundleError> {
        files::write_new(self.path(name), bytes)?;
        files::write_new(self.path(&signature_file(name)), minisig.as_bytes())?;
        Ok(())
    }

    /// Copies a file into the folder under `name`, unless the same bytes are already there;
    /// `staged` is a copy of it made ahead of time for that path, put in place instead.
    pub(super) fn copy_in(
        &self,
        from: &Path,
        name: &str,
        staged: Option<StagedCopy>,
    ) -> Result<(), BundleError> {
        let to = self.path(name);
        if to.exists() {
            if same_bytes(from, &to) {
                return Ok(());
            }
            // The source's own problem (absent, too large) comes first, as when copying it.
            files::open_limited(from, MAX_ROSTER_BYTES)?;
            return Err(BundleError::Exists { path: to });
        }
        match staged.map(StagedCopy::persist_new) {
            Some(Ok(())) => return Ok(()),
            Some(Err(e @ FileError::AlreadyExists { .. })) => return Err(e.into()),
            // Any other failure to put it in place: copied again, which names what fails.
            Some(Err(_)) | None => {}
        }
        // Copied a block at a time: a roster of millions of rows is never held in memory.
        files::copy_new(from, &to, MAX_ROSTER_BYTES)?;
        Ok(())
    }
}

/// Whether the files `a` and `b` hold the same bytes (compared a block at a time; `false` if
/// either cannot be read or is larger than [`MAX_ROSTER_BYTES`]).
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let open = |p: &Path| {
        let f = std::fs::File::open(p).ok()?;
        let len = f.metadata().ok()?.len();
        (len <= MAX_ROSTER_BYTES).then_some((len, std::io::BufReader::new(f)))
    };
    let (Some((la, mut ra)), Some((lb, mut rb))) = (open(a), open(b)) else {
        return false;
    };
    if la != lb {
        return false;
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            // The same length, and nothing more in `b`.
            return matches!(rb.read(&mut bb[..1]), Ok(0));
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Reads a minisign public key file.
pub fn read_public_key_file(path: &Path) -> Result<PublicKey, BundleError> {
    public_key_from_read(path, files::read_limited(path, MAX_SMALL_FILE_BYTES))
}

/// A public key from the result of reading its file at `path`.
pub(super) fn public_key_from_read(
    path: &Path,
    read: Result<Vec<u8>, FileError>,
) -> Result<PublicKey, BundleError> {
    let bytes = match read {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BundleError::Missing {
                path: path.to_path_buf(),
                what: Needed::PublicKey,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let text = String::from_utf8(bytes).map_err(|_| BundleError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    PublicKey::parse(&text).map_err(|e| sign_error(path, e))
}

/// A document's bytes from `src`; an absent file is [`BundleError::Missing`].
pub(super) fn read_document_bytes(
    src: &dyn FileSource,
    name: &str,
    what: Needed,
) -> Result<Vec<u8>, BundleError> {
    match src.read_file(name, MAX_DOCUMENT_BYTES) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(BundleError::Missing {
            path: src.path_of(name),
            what,
        }),
        Err(e) => Err(e.into()),
    }
}

/// The text of `name`'s signature file in `src`, `None` when there is none.
pub(super) fn read_signature_text(
    src: &dyn FileSource,
    name: &str,
) -> Result<Option<String>, BundleError> {
    let sig = signature_file(name);
    match src.read_file(&sig, MAX_SMALL_FILE_BYTES) {
        Ok(b) => String::from_utf8(b)
            .map(Some)
            .map_err(|_| BundleError::NotUtf8 {
                path: src.path_of(&sig),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Amendment files in `src` outside the sequence 1..=`found`, sorted.
pub(super) fn stray_amendments(src: &dyn FileSource, found: usize) -> Vec<String> {
    let mut stray: Vec<String> = src
        .file_names()
        .into_iter()
        .filter(|n| {
            n.strip_prefix("amendment-")
                .and_then(|r| r.strip_suffix(".json"))
                .and_then(|num| num.parse::<usize>().ok())
                .is_some_and(|k| k == 0 || k > found)
        })
        .collect();
    stray.sort();
    stray
}
