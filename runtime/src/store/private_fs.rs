//! Files and directories only their owner may read: the store's directory (0700) and key file (0600).
//!
//! On platforms without Unix permission bits the checks are skipped and the platform's defaults
//! (the user's profile directory) apply.

use std::fs::{DirBuilder, File};
use std::io::{ErrorKind, Read, Write};
use std::path::Path;

use secrecy::zeroize::Zeroizing;

use super::error::StoreError;

/// Creates `dir` and its missing parents, readable only by the owner. An existing directory is
/// left as it is.
pub(crate) fn create_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(StoreError::io("create the directory", dir))
}

/// Writes `contents` to a new file `path` with mode 0600, all or nothing: the file appears
/// complete or not at all. Does nothing when `path` exists already (another process won the race
/// to create it).
pub(crate) fn write_new(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".weft-new-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let mut file = builder
        .tempfile_in(dir)
        .map_err(StoreError::io("create a file in", dir))?;
    file.write_all(contents)
        .and_then(|()| file.as_file().sync_all())
        .map_err(StoreError::io("write", file.path()))?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(err) if err.error.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(StoreError::io("create", path)(err.error)),
    }
}

/// Reads `path`, or `None` when it does not exist, after checking that neither group nor others
/// may read or write it.
pub(crate) fn read_private(path: &Path) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(StoreError::io("open", path)(err)),
    };
    ensure_owner_only(path, &file)?;
    let mut contents = Zeroizing::new(Vec::new());
    file.read_to_end(&mut contents)
        .map_err(StoreError::io("read", path))?;
    Ok(Some(contents))
}

#[cfg(unix)]
fn ensure_owner_only(path: &Path, file: &File) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = file.metadata().map_err(StoreError::io("inspect", path))?;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        Ok(())
    } else {
        Err(StoreError::KeyFileTooOpen {
            path: path.to_path_buf(),
            mode,
        })
    }
}

#[cfg(not(unix))]
fn ensure_owner_only(_path: &Path, _file: &File) -> Result<(), StoreError> {
    Ok(())
}
