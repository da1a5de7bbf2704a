//! The Salesforce node's operations, one input item at a time, dispatched by resource and
//! operation (both read from item 0, as n8n does).

mod batch;
mod binary;
mod document;
mod flow;
mod records;
mod related;
mod sobject;

use crate::NodeError;
use crate::node::{Emitter, NodeContext};
use crate::salesforce::api::Api;
use crate::salesforce::pager::{QueryScope, stream_query};

pub use batch::{batchable, run as run_batched};
pub(crate) use records::conditions;

/// Runs `operation` of `resource` for input item `index`, emitting its output items.
pub async fn run(
    api: &Api<'_, '_>,
    ctx: &NodeContext<'_>,
    resource: &str,
    operation: &str,
    index: usize,
    out: &mut Emitter,
) -> Result<(), NodeError> {
    match (resource, operation) {
        ("search", "query") => {
            let query: String = ctx.parameter_as("query", index)?;
            stream_query(api, &query, QueryScope::Live, index, out)
                .await
                .map(drop)
        }
        ("flow", "getAll") => flow::get_all(api, ctx, index, out).await,
        ("flow", "invoke") => flow::invoke(api, ctx, index, out).await,
        ("document", "upload") => document::upload(api, ctx, index, out).await,
        (_, "addNote") => related::add_note(api, ctx, resource, index, out).await,
        (_, "addToCampaign") => related::add_to_campaign(api, ctx, resource, index, out).await,
        ("case", "addComment") => related::add_comment(api, ctx, index, out).await,
        _ => records::run(api, ctx, resource, operation, index, out).await,
    }
}
