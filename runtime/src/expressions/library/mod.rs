//! n8n's expression library inside the QuickJS sandbox: Luxon and jmespath (the versions n8n
//! 2.41.1 ships, fetched by `build.rs` from the npm registry and embedded here), a small `Intl`
//! for Luxon's time zones, and weft's own extension functions and helper globals
//! (`extensions.js`). Two host functions serve them: the UTC offset of a zone at an instant
//! (chrono-tz) and the digests of `.hash()`; neither reaches files, network or processes.

mod conditional;
mod digest;

pub(super) use conditional::rewrite as rewrite_conditionals;

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;
use rquickjs::{Ctx, Function};

/// The sources evaluated once per runtime, in order, before the data lookup's prelude.
const SOURCES: &[(&str, &str)] = &[
    ("intl.js", include_str!("intl.js")),
    (
        "luxon.js",
        include_str!(concat!(env!("OUT_DIR"), "/expression-library/luxon.js")),
    ),
    (
        "jmespath.js",
        include_str!(concat!(env!("OUT_DIR"), "/expression-library/jmespath.js")),
    ),
    ("extensions.js", include_str!("extensions.js")),
];

/// Installs the library into a fresh context whose workflow runs in `zone`.
pub(super) fn install(ctx: &Ctx<'_>, zone: Tz) -> rquickjs::Result<()> {
    let globals = ctx.globals();
    globals.set("__weft_zone", zone.name())?;
    globals.set(
        "__weft_offset",
        Function::new(ctx.clone(), |name: String, epoch_ms: f64| {
            offset_minutes(&name, epoch_ms)
        })?,
    )?;
    globals.set(
        "__weft_hash",
        Function::new(
            ctx.clone(),
            |algorithm: String, text: String| match digest::digest(&algorithm, &text) {
                Ok(digest) => format!("={digest}"),
                Err(error) => format!("!{error}"),
            },
        )?,
    )?;
    for (name, source) in SOURCES {
        let mut options = rquickjs::context::EvalOptions::default();
        options.global = true;
        options.strict = false;
        options.filename = Some((*name).to_owned());
        ctx.eval_with_options::<(), _>(*source, options)?;
    }
    Ok(())
}

/// The UTC offset in minutes of the IANA zone `name` at `epoch_ms`; `None` for an unknown zone.
fn offset_minutes(name: &str, epoch_ms: f64) -> Option<i32> {
    let zone: Tz = name.parse().ok()?;
    let instant = chrono::DateTime::from_timestamp_millis(epoch_ms as i64)?;
    let seconds = zone
        .offset_from_utc_datetime(&instant.naive_utc())
        .fix()
        .local_minus_utc();
    Some(seconds / 60)
}

#[cfg(test)]
mod tests;
