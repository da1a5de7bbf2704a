//! Evaluation Trigger (`n8n-nodes-base.evaluationTrigger`, typeVersions 4.6 and 4.7) run outside
//! n8n's evaluation runner, as n8n runs it then: one row of the dataset, the first one the
//! filter selects (`filterRows`; after the row of the previous run when its item comes back),
//! with `row_number`, `row_id` and `_rowsLeft` (how many rows are still to come, at most
//! `maxRows` with `limitRows`, else 1000). The source is a data table (4.7's default); Google
//! Sheets (4.6's) is refused at check.

use async_trait::async_trait;
use serde_json::Value;

use crate::data_tables::{RowCondition, RowFilter, RowOperator};
use crate::description::{
    Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

use super::super::data_table::{filter_parameters, node_error, row_filter, table, table_parameter};
use super::{SOURCES, google_sheets_refused};

/// The Evaluation Trigger node.
pub struct EvaluationTrigger;

/// n8n's `MAX_ROWS`.
const MAX_ROWS: f64 = 1000.0;

const DATA_TABLE_SOURCE: &[(&str, &[Condition])] =
    &[("source", &[Condition::Is(Literal::String("dataTable"))])];
const FILTER: [Parameter; 2] =
    filter_parameters(&[("filterRows", &[Condition::Is(Literal::Bool(true))])]);

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.evaluationTrigger",
    display_name: "Evaluation Trigger",
    description: "Run a test dataset through your workflow to check performance",
    versions: &[4.6, 4.7],
    versioned: true,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        Parameter::new("source", "Source", ParameterKind::Options(SOURCES))
            .default(Literal::String("dataTable"))
            .describe("Where to get the test dataset from")
            .show(&[(VERSION_KEY, &[Condition::Gte(4.7)])]),
        Parameter::new("source", "Source", ParameterKind::Options(SOURCES))
            .default(Literal::String("googleSheets"))
            .describe("Where to get the test dataset from")
            .show(&[(VERSION_KEY, &[Condition::Lt(4.7)])]),
        table_parameter(&["list", "id"], DATA_TABLE_SOURCE),
        Parameter::new("limitRows", "Limit Rows", ParameterKind::Boolean)
            .default(Literal::Bool(false))
            .no_data_expression()
            .describe("Whether to limit number of rows to process"),
        Parameter::new("maxRows", "Max Rows to Process", ParameterKind::Number)
            .default(Literal::Number(10.0))
            .describe("Maximum number of rows to process")
            .show(&[("limitRows", &[Condition::Is(Literal::Bool(true))])]),
        Parameter::new("filterRows", "Filter Rows", ParameterKind::Boolean)
            .default(Literal::Bool(false))
            .no_data_expression()
            .describe("Whether to filter rows to process")
            .show(DATA_TABLE_SOURCE),
        FILTER[0],
        FILTER[1],
    ],
    credentials: &[],
};

#[async_trait]
impl Node for EvaluationTrigger {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        google_sheets_refused(parameters)
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let max_rows = if ctx.parameter_as::<bool>("limitRows", 0)? {
            ctx.parameter_as::<f64>("maxRows", 0)?
        } else {
            MAX_ROWS
        };
        let previous = ctx.input().first().map(|item| &item.json);
        let field = |name: &str| previous.and_then(|json| json.get(name));
        let continues = field("_rowsLeft").and_then(Value::as_f64) != Some(0.0);
        let current_index = match field("row_number").and_then(Value::as_f64) {
            Some(number) if continues => number + 1.0,
            _ => 0.0,
        };
        let table = table(ctx, 0)?;
        let mut filter = row_filter(ctx, 0, &table)?;
        if let Some(previous_id) = field("row_id").filter(|id| id.is_number())
            && continues
        {
            filter = RowFilter {
                all: true,
                conditions: filter
                    .conditions
                    .into_iter()
                    .chain([RowCondition {
                        column: "id".into(),
                        operator: RowOperator::Gt,
                        value: previous_id.clone(),
                    }])
                    .collect(),
            };
        }
        let page = ctx
            .data_tables()?
            .rows(&table.id, &filter, None, 0, Some(1))
            .map_err(node_error)?;
        let Some(mut row) = page.rows.into_iter().next() else {
            return Err(NodeError::operation("No row found"));
        };
        let rows_left = ((page.count as f64 - 1.0).min(max_rows - current_index - 1.0)).max(0.0);
        let id = row.get("id").cloned().unwrap_or(Value::Null);
        row.insert("row_number".into(), Value::from(current_index as i64));
        row.insert("row_id".into(), id);
        row.insert("_rowsLeft".into(), Value::from(rows_left as i64));
        out.emit(
            0,
            [Item {
                json: row,
                ..Item::default()
            }],
        )
        .await
    }
}

register_node!(EvaluationTrigger);
