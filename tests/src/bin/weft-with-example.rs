//! `weft` with one more node: the worked example of `docs/nodes.md` (`weft-example.uppercase`).
//! (Linking the tests crate also brings its test-only Panic node, `weft-test.panic`.)
//!
//! This is how a third party builds a weft with its own nodes: a binary that names every crate
//! whose nodes it wants (naming a crate links its `register_node!` registrations in) and hands
//! over to weft's command line.

use std::process::ExitCode;

// The built-in nodes, and the tests crate for its example node.
use weft_nodes as _;
use weft_tests as _;

fn main() -> ExitCode {
    weft_runtime::cli::run()
}
