//! weft's runtime: workflow model, executor, auth middleware, store and CLI.

pub mod store;
