//! Evaluation (`n8n-nodes-base.evaluation`, typeVersions 4.6, 4.7 and 4.8) outside n8n's
//! evaluation runner, as n8n runs it then. Whether "evaluating" means whether an Evaluation
//! Trigger upstream ran in this execution (the run started at it):
//!
//! - `checkIfEvaluating`: the items go to output 0 (`Evaluation`) when it did, else to output 1
//!   (`Normal`);
//! - `setOutputs`: when it did, the outputs are written into the trigger's row of the data table
//!   (new columns added, typed by the value), else nothing is written; the items pass on either
//!   way (n8n's `evaluationData` exists only in evaluation mode);
//! - `setInputs`: the items pass on (the inputs only matter to the evaluation runner);
//! - `setMetrics`: one item per input item holding the metric: `categorization` (1 when the
//!   trimmed answers are equal, else 0), `stringSimilarity` (1 − Levenshtein distance / longer
//!   length, over UTF-16 units as fastest-levenshtein counts them) and `customMetrics` (each a
//!   number). `correctness` and `helpfulness` need an AI model, `toolsUsed` an AI agent's
//!   intermediate steps: refused at check.
//!
//! The Google Sheets source needs Google credentials weft does not have: refused at check.

mod trigger;

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use crate::data_tables::{Column, ColumnType, RowCondition, RowFilter, RowOperator};
use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

use super::conditions::js::{string_to_number, to_js_string};
use super::data_table::{node_error, table, table_parameter};

pub use trigger::EvaluationTrigger;

/// The Evaluation node.
pub struct Evaluation;

/// Where the dataset is (n8n's `sourcePicker`).
const SOURCES: &[Choice] = &[
    Choice::new("Data table", Literal::String("dataTable")),
    Choice::new("Google Sheets", Literal::String("googleSheets")),
];

/// The Google Sheets source, refused at check for both nodes.
fn google_sheets_refused(parameters: &Value) -> Vec<Unsupported> {
    if parameters.get("source").and_then(Value::as_str) == Some("googleSheets") {
        return vec![Unsupported::new(
            "source",
            "weft has no Google Sheets access for an evaluation dataset",
            "keep the dataset in a data table (`weft data-tables create`) and set the source to dataTable",
        )];
    }
    Vec::new()
}

const METRICS_NEEDING_AI: [&str; 3] = ["correctness", "helpfulness", "toolsUsed"];

macro_rules! shown_for {
    ($operation:literal) => {
        &[("operation", &[Condition::Is(Literal::String($operation))])]
    };
    ($operation:literal, $($metric:literal),+) => {
        &[
            ("operation", &[Condition::Is(Literal::String($operation))]),
            ("metric", &[$(Condition::Is(Literal::String($metric))),+]),
        ]
    };
}

/// The `options` of a metric: its name, `default` unless set.
macro_rules! metric_options {
    ($default:literal, $shown:expr) => {
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "metricName",
                "Metric Name",
                ParameterKind::String,
            )
            .default(Literal::String($default))
            .describe("Set this parameter if you want to set a custom name to the metric")]),
        )
        .show($shown)
    };
}

const NAME_VALUE_INPUTS: &[Parameter] = &[
    Parameter::new("inputName", "Name", ParameterKind::String),
    Parameter::new("inputValue", "Value", ParameterKind::String),
];
const NAME_VALUE_OUTPUTS: &[Parameter] = &[
    Parameter::new("outputName", "Name", ParameterKind::String),
    Parameter::new("outputValue", "Value", ParameterKind::String),
];
const ASSIGNMENT: &[Parameter] = &[
    Parameter::new("id", "ID", ParameterKind::String),
    Parameter::new("name", "Name", ParameterKind::String),
    Parameter::new("value", "Value", ParameterKind::Json),
    Parameter::new("type", "Type", ParameterKind::String).default(Literal::String("number")),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.evaluation",
    display_name: "Evaluation",
    description: "Runs an evaluation",
    versions: &[4.6, 4.7, 4.8],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "operation",
            "Operation",
            ParameterKind::Options(&[
                Choice::new("Set Inputs", Literal::String("setInputs")),
                Choice::new("Set Outputs", Literal::String("setOutputs")),
                Choice::new("Set Metrics", Literal::String("setMetrics")),
                Choice::new("Check If Evaluating", Literal::String("checkIfEvaluating")),
            ]),
        )
        .default(Literal::String("setOutputs"))
        .no_data_expression(),
        Parameter::new("source", "Source", ParameterKind::Options(SOURCES))
            .default(Literal::String("dataTable"))
            .show(&[
                (VERSION_KEY, &[Condition::Gte(4.8)]),
                ("operation", &[Condition::Is(Literal::String("setOutputs"))]),
            ]),
        Parameter::new("source", "Source", ParameterKind::Options(SOURCES))
            .default(Literal::String("googleSheets"))
            .show(&[
                (VERSION_KEY, &[Condition::Lt(4.8)]),
                ("operation", &[Condition::Is(Literal::String("setOutputs"))]),
            ]),
        table_parameter(
            &["list", "id"],
            &[("source", &[Condition::Is(Literal::String("dataTable"))])],
        ),
        Parameter::new(
            "inputs",
            "Inputs",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "Filter",
                    values: NAME_VALUE_INPUTS,
                }],
            },
        )
        .show(shown_for!("setInputs")),
        Parameter::new(
            "outputs",
            "Outputs",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "values",
                    display_name: "Filter",
                    values: NAME_VALUE_OUTPUTS,
                }],
            },
        )
        .show(shown_for!("setOutputs")),
        Parameter::new("metric", "Metric", ParameterKind::String)
            .default(Literal::String("customMetrics"))
            .show(&[
                ("operation", &[Condition::Is(Literal::String("setMetrics"))]),
                (VERSION_KEY, &[Condition::Lt(4.7)]),
            ]),
        Parameter::new(
            "metric",
            "Metric",
            ParameterKind::Options(&[
                Choice::new("Correctness (AI-based)", Literal::String("correctness")),
                Choice::new("Helpfulness (AI-based)", Literal::String("helpfulness")),
                Choice::new("String Similarity", Literal::String("stringSimilarity")),
                Choice::new("Categorization", Literal::String("categorization")),
                Choice::new("Tools Used", Literal::String("toolsUsed")),
                Choice::new("Custom Metrics", Literal::String("customMetrics")),
            ]),
        )
        .default(Literal::String("correctness"))
        .no_data_expression()
        .show(&[
            ("operation", &[Condition::Is(Literal::String("setMetrics"))]),
            (VERSION_KEY, &[Condition::Gte(4.7)]),
        ]),
        Parameter::new("expectedAnswer", "Expected Answer", ParameterKind::String)
            .describe(
                "The expected output defined in your evaluation dataset, used as ground truth",
            )
            .show(shown_for!(
                "setMetrics",
                "correctness",
                "stringSimilarity",
                "categorization"
            )),
        Parameter::new("actualAnswer", "Actual Answer", ParameterKind::String)
            .describe("The real response generated by AI (e.g. an agent or LLM in the workflow)")
            .show(shown_for!(
                "setMetrics",
                "correctness",
                "stringSimilarity",
                "categorization"
            )),
        Parameter::new("userQuery", "User Query", ParameterKind::String)
            .show(shown_for!("setMetrics", "helpfulness")),
        Parameter::new("actualAnswer", "Response", ParameterKind::String)
            .show(shown_for!("setMetrics", "helpfulness")),
        Parameter::new("expectedTools", "Expected Tools", ParameterKind::String)
            .show(shown_for!("setMetrics", "toolsUsed")),
        Parameter::new(
            "intermediateSteps",
            "Intermediate Steps (of Agent)",
            ParameterKind::String,
        )
        .show(shown_for!("setMetrics", "toolsUsed")),
        Parameter::new("prompt", "Prompt", ParameterKind::String).show(shown_for!(
            "setMetrics",
            "correctness",
            "helpfulness"
        )),
        Parameter::new(
            "metrics",
            "Metrics to Return",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "assignments",
                    display_name: "Assignments",
                    values: ASSIGNMENT,
                }],
            },
        )
        .show(shown_for!("setMetrics", "customMetrics")),
        metric_options!("Correctness", shown_for!("setMetrics", "correctness")),
        metric_options!("Helpfulness", shown_for!("setMetrics", "helpfulness")),
        metric_options!("Categorization", shown_for!("setMetrics", "categorization")),
        metric_options!(
            "String similarity",
            shown_for!("setMetrics", "stringSimilarity")
        ),
        metric_options!("Tools Used", shown_for!("setMetrics", "toolsUsed")),
    ],
    credentials: &[],
};

#[async_trait]
impl Node for Evaluation {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn outputs(&self, _version: f64, parameters: &Value) -> usize {
        match parameters.get("operation").and_then(Value::as_str) {
            Some("checkIfEvaluating") => 2,
            _ => 1,
        }
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        let mut refused = google_sheets_refused(parameters);
        let setting_metrics =
            parameters.get("operation").and_then(Value::as_str) == Some("setMetrics");
        if let Some(metric) = parameters.get("metric").and_then(Value::as_str)
            && setting_metrics
            && METRICS_NEEDING_AI.contains(&metric)
        {
            refused.push(Unsupported::new(
                "metric",
                format!("the metric {metric} needs an AI model (or an AI agent's steps), which weft does not run"),
                "use categorization, stringSimilarity or customMetrics (computed by an earlier node)",
            ));
        }
        refused
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let operation: String = ctx.parameter_as("operation", 0)?;
        let input = ctx.input().to_vec();
        let passed: Vec<Item> = input
            .into_iter()
            .enumerate()
            .map(|(index, item)| item.paired_to(index))
            .collect();
        match operation.as_str() {
            "checkIfEvaluating" => {
                let output = usize::from(executed_trigger(ctx).is_none());
                out.emit(output, passed).await
            }
            "setOutputs" => {
                if let Some(trigger_row) = executed_trigger(ctx) {
                    set_outputs(ctx, &trigger_row)?;
                }
                out.emit(0, passed).await
            }
            "setInputs" => out.emit(0, passed).await,
            "setMetrics" => {
                let mut items = Vec::new();
                for index in 0..ctx.input().len() {
                    let metrics = metric(ctx, index).map_err(|error| error.for_item(index))?;
                    items.push(Item::new(metrics, index));
                }
                out.emit(0, items).await
            }
            _ => Err(NodeError::operation("Unsupported Operation")),
        }
    }
}

register_node!(Evaluation);

/// The first item of the Evaluation Trigger upstream when it ran in this execution (n8n's
/// `$('trigger').isExecuted`).
fn executed_trigger(ctx: &NodeContext<'_>) -> Option<Map<String, Value>> {
    let (name, _) = ctx
        .ancestors()
        .iter()
        .find(|(_, type_name)| type_name == "n8n-nodes-base.evaluationTrigger")?;
    let quoted = serde_json::to_string(name).ok()?;
    let expression = Value::String(format!("={{{{ $({quoted}).first().json }}}}"));
    match ctx.evaluate("operation", &expression, 0, &Map::new()) {
        Ok(Value::Object(row)) => Some(row),
        _ => None,
    }
}

/// n8n's `toDataTableColumnType`.
fn column_type_of(value: &Value) -> ColumnType {
    match value {
        Value::Number(_) => ColumnType::Number,
        Value::Bool(_) => ColumnType::Boolean,
        _ => ColumnType::String,
    }
}

/// Writes `outputs.values` into the trigger's row (n8n's data-table branch of `setOutputs`).
fn set_outputs(ctx: &NodeContext<'_>, trigger_row: &Map<String, Value>) -> Result<(), NodeError> {
    let entries = match ctx.optional_parameter("outputs.values", 0)? {
        Some(Value::Array(entries)) => entries,
        _ => Vec::new(),
    };
    if entries.is_empty() {
        return Err(NodeError::operation("No outputs to set").with_description(
            "Add outputs to write back to the Google Sheet using the \u{2018}Add Output\u{2019} button",
        ));
    }
    let mut outputs = Map::new();
    for entry in entries {
        let name = entry["outputName"].as_str().unwrap_or_default().to_owned();
        outputs.insert(
            name,
            entry.get("outputValue").cloned().unwrap_or(Value::Null),
        );
    }
    let table = table(ctx, 0)?;
    let tables = ctx.data_tables()?;
    for (name, value) in &outputs {
        if table.columns.iter().all(|column| &column.name != name) {
            let column = Column {
                name: name.clone(),
                column_type: column_type_of(value),
            };
            tables.add_column(&table.id, &column).map_err(node_error)?;
        }
    }
    let data: Map<String, Value> = outputs
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                Value::Array(_) | Value::Object(_) => Value::String(value.to_string()),
                other => other,
            };
            (name, value)
        })
        .collect();
    let row_id = trigger_row
        .get("row_id")
        .filter(|id| id.is_number())
        .cloned()
        .unwrap_or(Value::from(1));
    let filter = RowFilter {
        all: true,
        conditions: vec![RowCondition {
            column: "id".into(),
            operator: RowOperator::Eq,
            value: row_id,
        }],
    };
    tables
        .update_rows(&table.id, &filter, &data, false)
        .map_err(node_error)?;
    Ok(())
}

/// The answer parameter `name` of item `index` as n8n reads it (`.toString().trim()`).
fn answer(ctx: &NodeContext<'_>, name: &str, index: usize) -> Result<String, NodeError> {
    let value = ctx.optional_parameter(name, index)?;
    Ok(to_js_string(value.as_ref()).trim().to_owned())
}

fn metric_name(ctx: &NodeContext<'_>, index: usize, default: &str) -> Result<String, NodeError> {
    Ok(ctx
        .optional_parameter("options.metricName", index)?
        .map(|value| to_js_string(Some(&value)))
        .unwrap_or_else(|| default.to_owned()))
}

/// The metric of item `index` (n8n's `metricHandlers`).
fn metric(ctx: &NodeContext<'_>, index: usize) -> Result<Map<String, Value>, NodeError> {
    let metric: String = ctx.parameter_as("metric", index)?;
    let answers = || -> Result<(String, String), NodeError> {
        let expected = answer(ctx, "expectedAnswer", index)?;
        let actual = answer(ctx, "actualAnswer", index)?;
        if expected.is_empty() {
            return Err(NodeError::operation("Expected answer is missing")
                .with_description("Make sure to fill in an expected answer"));
        }
        if actual.is_empty() {
            return Err(NodeError::operation("Actual answer is missing")
                .with_description("Make sure to fill in an actual answer"));
        }
        Ok((expected, actual))
    };
    let mut result = Map::new();
    match metric.as_str() {
        "categorization" => {
            let (expected, actual) = answers()?;
            let name = metric_name(ctx, index, "Categorization")?;
            result.insert(name, json!(u8::from(expected == actual)));
        }
        "stringSimilarity" => {
            let (expected, actual) = answers()?;
            let name = metric_name(ctx, index, "String similarity")?;
            let expected: Vec<u16> = expected.encode_utf16().collect();
            let actual: Vec<u16> = actual.encode_utf16().collect();
            let longer = expected.len().max(actual.len());
            let similarity = if longer == 0 {
                1.0
            } else {
                1.0 - strsim::generic_levenshtein(&expected, &actual) as f64 / longer as f64
            };
            result.insert(name, json!(similarity));
        }
        "customMetrics" => {
            let assignments = match ctx.optional_parameter("metrics.assignments", index)? {
                Some(Value::Array(assignments)) => assignments,
                _ => Vec::new(),
            };
            for assignment in assignments {
                let value = &assignment["value"];
                let number = match value {
                    Value::Number(number) => number.as_f64().unwrap_or(f64::NAN),
                    Value::String(text) => string_to_number(text),
                    Value::Bool(flag) => f64::from(u8::from(*flag)),
                    Value::Null => 0.0,
                    _ => f64::NAN,
                };
                if number.is_nan() {
                    return Err(NodeError::operation(format!(
                        "Value for '{}' isn't a number",
                        to_js_string(assignment.get("name"))
                    ))
                    .with_description(format!(
                        "It's currently '{}'. Metrics must be numeric.",
                        to_js_string(Some(value))
                    )));
                }
                let name = to_js_string(assignment.get("name"));
                if name.is_empty() {
                    return Err(NodeError::operation("Metric name missing")
                        .with_description("Make sure each metric you define has a name"));
                }
                result.insert(name, json!(number));
            }
        }
        other if METRICS_NEEDING_AI.contains(&other) => {
            return Err(NodeError::operation(format!(
                "The metric {other} needs an AI model, which weft does not run"
            )));
        }
        _ => return Err(NodeError::operation("Unknown metric")),
    }
    Ok(result)
}
