//! A weft plugin that lives outside weft's crates: the `acmeApi` credential type for an
//! imaginary API (an API key sent as `X-Acme-Key`, a base URL, a test request, n8n's allowed
//! domains) and the Acme Widgets node (`acme.widgets`) that lists widgets through it. Each
//! registers itself with one line; `src/main.rs` links both into `weft-acme`, weft's command
//! line with the plugin added, with no edit to weft's own crates.
//!
//! The worked example of `docs/credentials.md` and `docs/nodes.md`.

pub mod credential;
pub mod widgets;
