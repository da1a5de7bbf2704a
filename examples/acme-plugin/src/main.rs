//! `weft-acme`: weft's whole command line (`run`, `check`, `credentials`, `serve`, `schema`, …)
//! with the Acme plugin linked in. Naming a crate links its `inventory` registrations, so this
//! binary names the built-in nodes and the plugin, then hands over to weft.

use std::process::ExitCode;

use acme_plugin as _;
use weft_nodes as _;

fn main() -> ExitCode {
    weft_runtime::cli::run()
}
