//! Wait (`n8n-nodes-base.wait`, typeVersions 1 and 1.1): holds the run for a time interval or
//! until a date and time, then passes its input through, paired item for item.
//!
//! n8n keeps a wait under 65 seconds in the process and parks a longer one in its database,
//! resuming it later. weft runs an execution in one process, so it waits in place up to
//! `ExecutionSettings::max_wait` (`weft run --max-wait`) and refuses a longer wait with a hint.
//! Resuming on a webhook call or a form submission needs a server that takes the call; those
//! modes are refused at check time.

mod duration;

use async_trait::async_trait;
use chrono::Utc;
use serde_json::Value;

use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};
use crate::error::NodeError;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::register_node;

use duration::{WaitRequest, wait_duration};

/// The Wait node.
pub struct Wait;

const TIME_INTERVAL: &[Condition] = &[Condition::Is(Literal::String("timeInterval"))];
const V1: &[Condition] = &[Condition::Lt(1.1)];

const UNITS: &[Choice] = &[
    Choice::new("Seconds", Literal::String("seconds")),
    Choice::new("Minutes", Literal::String("minutes")),
    Choice::new("Hours", Literal::String("hours")),
    Choice::new("Days", Literal::String("days")),
];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.wait",
    display_name: "Wait",
    description: "Wait before continue with execution",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "resume",
            "Resume",
            ParameterKind::Options(&[
                Choice::new("After Time Interval", Literal::String("timeInterval")),
                Choice::new("At Specified Time", Literal::String("specificTime")),
                Choice::new("On Webhook Call", Literal::String("webhook")),
                Choice::new("On Form Submitted", Literal::String("form")),
            ]),
        )
        .default(Literal::String("timeInterval"))
        .describe("Determines the waiting mode to use before the workflow continues"),
        Parameter::new("dateTime", "Date and Time", ParameterKind::DateTime)
            .default(Literal::String(""))
            .required()
            .show(&[("resume", &[Condition::Is(Literal::String("specificTime"))])])
            .describe("The date and time to wait for before continuing"),
        Parameter::new("amount", "Wait Amount", ParameterKind::Number)
            .default(Literal::Number(1.0))
            .show(&[("resume", TIME_INTERVAL), (VERSION_KEY, V1)])
            .describe("The time to wait"),
        Parameter::new("amount", "Wait Amount", ParameterKind::Number)
            .default(Literal::Number(5.0))
            .show(&[("resume", TIME_INTERVAL)])
            .hide(&[(VERSION_KEY, V1)])
            .describe("The time to wait"),
        Parameter::new("unit", "Wait Unit", ParameterKind::Options(UNITS))
            .default(Literal::String("hours"))
            .show(&[("resume", TIME_INTERVAL), (VERSION_KEY, V1)])
            .describe("The time unit of the Wait Amount value"),
        Parameter::new("unit", "Wait Unit", ParameterKind::Options(UNITS))
            .default(Literal::String("seconds"))
            .show(&[("resume", TIME_INTERVAL)])
            .hide(&[(VERSION_KEY, V1)])
            .describe("The time unit of the Wait Amount value"),
    ],
    credentials: &[],
};

/// The resume mode as written (`timeInterval` when absent).
fn resume_mode(parameters: &Value) -> &str {
    parameters
        .get("resume")
        .and_then(Value::as_str)
        .unwrap_or("timeInterval")
}

#[async_trait]
impl Node for Wait {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    fn unsupported(&self, _version: f64, parameters: &Value) -> Vec<Unsupported> {
        let what = match resume_mode(parameters) {
            "webhook" => "on a webhook call (resume: webhook)",
            "form" => "on a form submission (resume: form)",
            _ => return Vec::new(),
        };
        vec![Unsupported::new(
            "resume",
            format!(
                "weft cannot resume a Wait {what}: it runs an execution in one process and takes \
                 no calls while it runs"
            ),
            "wait for a time interval or a specific time instead, or start a second workflow \
             from the event",
        )]
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let request = WaitRequest::read(ctx)?;
        let settings = ctx.settings();
        let wait = wait_duration(&request, Utc::now(), settings.time_zone)?;
        if wait > settings.max_wait {
            return Err(NodeError::operation(format!(
                "The Wait would hold the run for {} seconds, longer than weft's limit of {} seconds",
                wait.as_secs(),
                settings.max_wait.as_secs()
            ))
            .with_description(
                "hint: n8n parks a long wait in its database and resumes the execution later; \
                 weft runs an execution in one process, so it waits in place at most --max-wait \
                 seconds: raise it (weft run --max-wait <seconds>) or schedule the rest of the \
                 work with a Schedule Trigger",
            ));
        }
        tokio::time::sleep(wait).await;
        let items = ctx.input().iter().enumerate();
        out.emit(0, items.map(|(index, item)| item.clone().paired_to(index)))
            .await
    }
}

register_node!(Wait);
