//! Which workflow an Execute Workflow node runs for an item (n8n's `getWorkflowInfo`): an id
//! (`database`), a file read through the node's file-access policy (`localFile`) or inline JSON
//! (`parameter`). The `url` source is refused when the workflow is checked.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::error::NodeError;
use crate::node::NodeContext;
use crate::sub_workflow::WorkflowSource;

/// The largest workflow file read (as `weft run` reads workflow files).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The workflow of source `source` for input item `index`.
pub fn workflow_source(
    ctx: &NodeContext<'_>,
    source: &str,
    index: usize,
) -> Result<WorkflowSource, NodeError> {
    match source {
        "database" => database_id(ctx, index).map(WorkflowSource::Id),
        "localFile" => {
            let path: String = ctx.parameter_as("workflowPath", index)?;
            Ok(WorkflowSource::Document {
                workflow: read_file(ctx, &path, index)?,
                origin: format!("the file \"{path}\""),
            })
        }
        "parameter" => {
            let workflow = match ctx.parameter("workflowJson", index)? {
                Value::String(text) => serde_json::from_str(&text).map_err(|error| {
                    NodeError::operation("The workflow JSON is not valid JSON")
                        .with_description(format!(
                            "{error}; hint: paste a workflow as n8n exports it"
                        ))
                        .for_item(index)
                })?,
                other => other,
            };
            Ok(WorkflowSource::Document {
                workflow,
                origin: "the parameter \"workflowJson\"".to_owned(),
            })
        }
        other => Err(NodeError::operation(format!(
            "weft cannot load a workflow from the source \"{other}\""
        ))
        .with_description("use the source database (with --workflows) or parameter")),
    }
}

/// The workflow id: v1's string, later versions' resource locator value (a plain string is
/// taken as the id too).
fn database_id(ctx: &NodeContext<'_>, index: usize) -> Result<String, NodeError> {
    let id = match ctx.parameter("workflowId", index)? {
        Value::Object(locator) => locator.get("value").cloned().unwrap_or(Value::Null),
        other => other,
    };
    match id {
        Value::String(text) if !text.is_empty() => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        _ => Err(NodeError::operation(
            "No information about the workflow to execute found. Please provide either the \"id\" or \"code\"!",
        )
        .with_description("set the node's workflow to the id of a workflow file")
        .for_item(index)),
    }
}

/// The JSON of the workflow file at `path`, after the node's file-access check.
fn read_file(ctx: &NodeContext<'_>, path: &str, index: usize) -> Result<Value, NodeError> {
    let file = Path::new(path);
    ctx.files().check(file)?;
    let not_found = || {
        NodeError::operation(format!(
            "The file \"{path}\" could not be found, [item {index}]"
        ))
    };
    let opened = std::fs::File::open(file).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => not_found(),
        _ => NodeError::operation(format!("The file \"{path}\" could not be read: {error}")),
    })?;
    let mut text = String::new();
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|error| {
            NodeError::operation(format!("The file \"{path}\" could not be read: {error}"))
        })?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(
            NodeError::operation(format!("The file \"{path}\" is larger than 64 MiB"))
                .with_description("a workflow file is far smaller: check the path"),
        );
    }
    serde_json::from_str(&text)
        .map_err(|_| NodeError::operation("The file content is not valid JSON").for_item(index))
}
