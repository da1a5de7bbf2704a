//! The files nodes may touch: everything but weft's home folder (the store, its WAL and the key
//! file), as n8n keeps workflows out of its own folder.

use std::sync::LazyLock;

use weft_nodes::FileAccess;

use crate::store::WeftHome;

/// The file policy of every node run in this process.
pub(super) fn node_file_access() -> &'static FileAccess {
    static ACCESS: LazyLock<FileAccess> = LazyLock::new(|| {
        FileAccess::blocking(WeftHome::from_env().map(|home| home.root().to_path_buf()))
    });
    &ACCESS
}
