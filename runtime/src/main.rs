//! The `weft` binary.

use std::process::ExitCode;

// Plugin crates register through `inventory`; naming them links their registrations in.
use weft_nodes as _;

/// mimalloc instead of glibc malloc: a streamed run allocates and frees every record's map, and
/// glibc's trimming and consolidation cost about a third of a large getAll (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    weft_runtime::cli::run()
}
