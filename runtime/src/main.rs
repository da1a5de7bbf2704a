//! The `weft` binary.

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

// Plugin crates register through `inventory`; naming them links their registrations in.
use weft_nodes as _;

/// mimalloc instead of glibc malloc: a streamed run allocates and frees every record's map, and
/// glibc's trimming and consolidation cost about a third of a large getAll (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option for how long freed memory stays before it goes back to the system.
const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";

fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|command| command == "run")
    {
        keep_freed_memory();
    }
    weft_runtime::cli::run()
}

/// `weft run` is one short process, so the memory it frees is worth keeping for its next
/// allocations: by default mimalloc hands it back to the system after 10 ms and the kernel then
/// zeroes it again for the next use, which was most of a 100,000-item Code node run
/// (docs/performance.md). mimalloc reads its options from the environment once, before `main`,
/// so `weft run` starts itself again, once, with the purge turned off. A purge delay the user
/// set is kept, and when the new start fails this process runs as it is.
fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY).is_some() {
        return;
    }
    let Ok(executable) = std::env::current_exe() else {
        return;
    };
    let mut arguments = std::env::args_os();
    let program_name = arguments.next().unwrap_or_default();
    // `exec` returns only when it failed; then this process goes on as it is.
    let _failed = Command::new(executable)
        .arg0(program_name)
        .args(arguments)
        .env(PURGE_DELAY, "-1")
        .exec();
}
