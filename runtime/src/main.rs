//! The `weft` binary.

use std::process::ExitCode;

// Plugin crates register through `inventory`; naming them links their registrations in.
use weft_nodes as _;

fn main() -> ExitCode {
    weft_runtime::cli::run()
}
