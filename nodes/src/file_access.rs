//! `FileAccess`: which files nodes may read and write. The runtime blocks its own folder (the
//! store and its key), as n8n blocks access to its own files; nodes that touch the disk ask
//! [`FileAccess::check`] before every read or write.
//!
//! Paths are compared after resolving `.`, `..` and symbolic links, so a link into a blocked
//! folder or a relative detour is refused too. A file that does not exist yet is judged by its
//! resolved parent folder.

use std::path::{Component, Path, PathBuf};

use crate::NodeError;

/// The folders nodes may not touch.
#[derive(Clone, Debug, Default)]
pub struct FileAccess {
    blocked: Vec<PathBuf>,
}

impl FileAccess {
    /// Access to every file the process may open.
    pub fn unrestricted() -> Self {
        Self::default()
    }

    /// Access to everything outside `folders` (and their subfolders).
    pub fn blocking(folders: impl IntoIterator<Item = PathBuf>) -> Self {
        Self {
            blocked: folders
                .into_iter()
                .map(|folder| resolved(&folder))
                .collect(),
        }
    }

    /// An error when `path` lies in a blocked folder.
    pub fn check(&self, path: &Path) -> Result<(), NodeError> {
        let target = resolved(path);
        match self
            .blocked
            .iter()
            .find(|folder| target.starts_with(folder))
        {
            None => Ok(()),
            Some(folder) => Err(NodeError::operation(format!(
                "Access to the file {} is not allowed",
                path.display()
            ))
            .with_description(format!(
                "{} holds weft's credential store and its key, which workflows may not read or write (hint: use files in another folder)",
                folder.display()
            ))),
        }
    }
}

/// `path` made absolute with links resolved as far as it exists; the missing rest is appended
/// with `.` and `..` folded, so `blocked/new/../x` is still in `blocked`.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return fold(real, missing.into_iter().rev());
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(Component::Normal(name));
                existing = parent;
            }
            _ => return fold(PathBuf::new(), absolute.components()),
        }
    }
}

fn fold<'p>(mut base: PathBuf, rest: impl IntoIterator<Item = Component<'p>>) -> PathBuf {
    for component in rest {
        match component {
            Component::ParentDir => {
                base.pop();
            }
            Component::CurDir => {}
            other => base.push(other),
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocked_folder_is_refused_however_it_is_named() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let work = root.path().join("work");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        std::fs::write(home.join("encryption.key"), "k").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&home, work.join("link")).unwrap();
        let access = FileAccess::blocking([home.clone()]);
        let refused = [
            home.join("encryption.key"),
            home.join("weft.db"),
            home.join("new/../weft.db-wal"),
            work.join("../home/encryption.key"),
            #[cfg(unix)]
            work.join("link/encryption.key"),
            #[cfg(unix)]
            work.join("link/not-yet.json"),
        ];
        for path in refused {
            let error = access.check(&path).unwrap_err();
            assert!(error.message.starts_with("Access to the file"), "{path:?}");
        }
        for path in [
            work.join("out.json"),
            root.path().join("home2/x"),
            work.clone(),
        ] {
            assert!(access.check(&path).is_ok(), "{path:?}");
        }
        assert!(
            FileAccess::unrestricted()
                .check(&home.join("weft.db"))
                .is_ok()
        );
    }
}
