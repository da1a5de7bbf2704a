//! weft's runtime: workflow model, executor, auth middleware, store and CLI.

pub mod auth;
pub(crate) mod bounded_read;
pub mod cli;
pub mod credential_files;
pub mod executor;
pub mod expressions;
pub mod imap;
pub mod mail;
pub mod schemas;
pub mod secret_fields;
pub mod serve;
pub mod signals;
pub mod store;
pub mod trigger;
pub mod webhook;
pub mod workflow;
