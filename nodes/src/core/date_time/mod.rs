//! Date & Time (`n8n-nodes-base.dateTime`, typeVersions 1 and 2): date arithmetic and
//! formatting as n8n does it with moment.js (version 1) and Luxon (version 2).
//!
//! - `v2`: get the current date, add to / subtract from a date, format (preset or custom Luxon
//!   tokens, `fromFormat`), round down/up, time between dates, extract a part.
//! - `v1`: `format` (moment tokens, `fromFormat`, `fromTimezone`/`toTimezone`) and `calculate`.
//!
//! The pieces are weft's own: `zone` (Luxon's and tzdata's zones), `luxon_time` (calendar
//! arithmetic that keeps the wall time across DST), `duration` (Luxon's `diff`), one token table
//! per library (`luxon_format`, `moment_format`) and one token reader (`luxon_parse`), and
//! `js_date` for what moment and `Date` read without a format. The workflow's zone is
//! `ExecutionSettings::time_zone`; the machine's (moment's local time) is `$TZ`, else UTC.

mod calendar_names;
mod description;
mod duration;
mod error;
mod js_date;
mod js_value;
mod luxon_format;
mod luxon_parse;
mod luxon_time;
mod moment_format;
mod v1;
mod v2;
mod zone;

#[cfg(test)]
mod tests;

use async_trait::async_trait;

use crate::description::NodeDescription;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::register_node;

pub(crate) use luxon_time::LuxonTime;
pub(crate) use zone::Zone;

/// The Date & Time node.
pub struct DateTime;

#[async_trait]
impl Node for DateTime {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    /// Item-wise: each input item gives one output item paired to it.
    fn item_wise(&self, _version: f64, _parameters: &serde_json::Value) -> bool {
        true
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let workflow = ctx.settings().time_zone;
        let machine = machine_zone();
        let mut items = Vec::with_capacity(ctx.input().len());
        if ctx.node().type_version < 2.0 {
            let zones = v1::Zones {
                workflow: Zone::of_workflow(workflow),
                machine,
            };
            for index in 0..ctx.input().len() {
                let result = text_parameter(ctx, "action", 0)
                    .and_then(|action| v1::run_item(ctx, &action, &zones, index));
                push_result(ctx, &mut items, result, index)?;
            }
        } else {
            let zones = v2::Zones {
                workflow: workflow.name().to_owned(),
                default: Zone::of_workflow(workflow),
                machine,
            };
            let operation = text_parameter(ctx, "operation", 0)?;
            let include_input_fields = ctx
                .optional_parameter("options.includeInputFields", 0)?
                .is_some_and(|flag| flag.as_bool().unwrap_or(false));
            for index in 0..ctx.input().len() {
                let result = v2::run_item(ctx, &operation, include_input_fields, &zones, index);
                push_result(ctx, &mut items, result.map(Some), index)?;
            }
        }
        out.emit(0, items).await
    }
}

register_node!(DateTime);

/// Keeps an item's result, or its error as an error item when the node continues on fail.
fn push_result(
    ctx: &NodeContext<'_>,
    items: &mut Vec<Item>,
    result: Result<Option<Item>, NodeError>,
    index: usize,
) -> Result<(), NodeError> {
    match result {
        Ok(item) => items.extend(item),
        Err(error) if ctx.continue_on_fail() => items.push(Item::failed(error, index)),
        Err(error) => return Err(error.for_item(index)),
    }
    Ok(())
}

fn text_parameter(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<String, NodeError> {
    let value = ctx.parameter(name, index)?;
    Ok(value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned))
}

/// The machine's zone, where moment reads local times: `$TZ` when it names a zone, else UTC.
fn machine_zone() -> Zone {
    std::env::var("TZ")
        .ok()
        .and_then(|name| Zone::named(name.trim_start_matches(':')))
        .unwrap_or(Zone::UTC)
}
