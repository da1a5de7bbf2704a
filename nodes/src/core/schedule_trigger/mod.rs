//! Schedule Trigger (`n8n-nodes-base.scheduleTrigger`, typeVersions 1 to 1.4): starts the
//! workflow on its rules (`rule.interval[]`: seconds, minutes, hours, days, weeks, months or a
//! cron expression).
//!
//! In `weft run` it behaves as n8n's manual execution of it: one item with the current moment in
//! the workflow's time zone ([`timestamp`]), after the range checks of typeVersion 1.3 on and,
//! for a cron rule first, a check that the expression parses. `weft start` fires it as a
//! [`PollingTrigger`] with its own schedule: the cron patterns of its rules ([`rules`]), each
//! tick one run with the tick's moment.

mod rules;
mod timestamp;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use croner::parser::{CronParser, Seconds};
use serde_json::{Map, Value};

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind,
};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::{Emitter, Node, NodeContext};
use crate::polling::{Poll, PollingTrigger};
use crate::register_node;

pub use rules::Interval;
pub use timestamp::timestamp_fields;

/// The Schedule Trigger node.
pub struct ScheduleTrigger;

const HOURS: &[Choice] = &[
    Choice::new("Midnight", Literal::Number(0.0)),
    Choice::new("1am", Literal::Number(1.0)),
    Choice::new("2am", Literal::Number(2.0)),
    Choice::new("3am", Literal::Number(3.0)),
    Choice::new("4am", Literal::Number(4.0)),
    Choice::new("5am", Literal::Number(5.0)),
    Choice::new("6am", Literal::Number(6.0)),
    Choice::new("7am", Literal::Number(7.0)),
    Choice::new("8am", Literal::Number(8.0)),
    Choice::new("9am", Literal::Number(9.0)),
    Choice::new("10am", Literal::Number(10.0)),
    Choice::new("11am", Literal::Number(11.0)),
    Choice::new("Noon", Literal::Number(12.0)),
    Choice::new("1pm", Literal::Number(13.0)),
    Choice::new("2pm", Literal::Number(14.0)),
    Choice::new("3pm", Literal::Number(15.0)),
    Choice::new("4pm", Literal::Number(16.0)),
    Choice::new("5pm", Literal::Number(17.0)),
    Choice::new("6pm", Literal::Number(18.0)),
    Choice::new("7pm", Literal::Number(19.0)),
    Choice::new("8pm", Literal::Number(20.0)),
    Choice::new("9pm", Literal::Number(21.0)),
    Choice::new("10pm", Literal::Number(22.0)),
    Choice::new("11pm", Literal::Number(23.0)),
];

const fn shown(field: &'static str) -> Condition {
    Condition::Is(Literal::String(field))
}

const INTERVAL: &[Parameter] = &[
    Parameter::new(
        "field",
        "Trigger Interval",
        ParameterKind::Options(&[
            Choice::new("Seconds", Literal::String("seconds")),
            Choice::new("Minutes", Literal::String("minutes")),
            Choice::new("Hours", Literal::String("hours")),
            Choice::new("Days", Literal::String("days")),
            Choice::new("Weeks", Literal::String("weeks")),
            Choice::new("Months", Literal::String("months")),
            Choice::new("Custom (Cron)", Literal::String("cronExpression")),
        ]),
    )
    .default(Literal::String("days")),
    Parameter::new(
        "secondsInterval",
        "Seconds Between Triggers",
        ParameterKind::Number,
    )
    .default(Literal::Number(30.0))
    .show(&[("field", &[shown("seconds")])])
    .describe("Number of seconds between each workflow trigger"),
    Parameter::new(
        "minutesInterval",
        "Minutes Between Triggers",
        ParameterKind::Number,
    )
    .default(Literal::Number(5.0))
    .show(&[("field", &[shown("minutes")])])
    .describe("Number of minutes between each workflow trigger"),
    Parameter::new(
        "hoursInterval",
        "Hours Between Triggers",
        ParameterKind::Number,
    )
    .default(Literal::Number(1.0))
    .show(&[("field", &[shown("hours")])])
    .describe("Number of hours between each workflow trigger"),
    Parameter::new(
        "daysInterval",
        "Days Between Triggers",
        ParameterKind::Number,
    )
    .default(Literal::Number(1.0))
    .show(&[("field", &[shown("days")])])
    .describe("Number of days between each workflow trigger"),
    Parameter::new(
        "weeksInterval",
        "Weeks Between Triggers",
        ParameterKind::Number,
    )
    .default(Literal::Number(1.0))
    .show(&[("field", &[shown("weeks")])])
    .describe("Would run every week unless specified otherwise"),
    Parameter::new(
        "monthsInterval",
        "Months Between Triggers",
        ParameterKind::Number,
    )
    .default(Literal::Number(1.0))
    .show(&[("field", &[shown("months")])])
    .describe("Would run every month unless specified otherwise"),
    Parameter::new(
        "triggerAtDayOfMonth",
        "Trigger at Day of Month",
        ParameterKind::Number,
    )
    .default(Literal::Number(1.0))
    .show(&[("field", &[shown("months")])])
    .describe("The day of the month to trigger (1-31)"),
    Parameter::new(
        "triggerAtDay",
        "Trigger on Weekdays",
        ParameterKind::MultiOptions(&[
            Choice::new("Monday", Literal::Number(1.0)),
            Choice::new("Tuesday", Literal::Number(2.0)),
            Choice::new("Wednesday", Literal::Number(3.0)),
            Choice::new("Thursday", Literal::Number(4.0)),
            Choice::new("Friday", Literal::Number(5.0)),
            Choice::new("Saturday", Literal::Number(6.0)),
            Choice::new("Sunday", Literal::Number(0.0)),
        ]),
    )
    .default(Literal::Array(&[Literal::Number(0.0)]))
    .show(&[("field", &[shown("weeks")])]),
    Parameter::new(
        "triggerAtHour",
        "Trigger at Hour",
        ParameterKind::Options(HOURS),
    )
    .default(Literal::Number(0.0))
    .show(&[("field", &[shown("days"), shown("weeks"), shown("months")])])
    .describe("The hour of the day to trigger"),
    Parameter::new(
        "triggerAtMinute",
        "Trigger at Minute",
        ParameterKind::Number,
    )
    .default(Literal::Number(0.0))
    .show(&[(
        "field",
        &[
            shown("hours"),
            shown("days"),
            shown("weeks"),
            shown("months"),
        ],
    )])
    .describe("The minute past the hour to trigger (0-59)"),
    Parameter::new("expression", "Expression", ParameterKind::String)
        .default(Literal::String(""))
        .show(&[("field", &[shown("cronExpression")])])
        .describe("Format: ([Second]) [Minute] [Hour] [Day of Month] [Month] [Day of Week]"),
];

const FROM_V14: &[(&str, &[Condition])] =
    &[(crate::description::VERSION_KEY, &[Condition::Gte(1.4)])];

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.scheduleTrigger",
    display_name: "Schedule Trigger",
    description: "Triggers the workflow on a given schedule",
    versions: &[1.0, 1.1, 1.2, 1.3, 1.4],
    versioned: false,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "rule",
            "Trigger Rules",
            ParameterKind::FixedCollection {
                multiple: true,
                groups: &[Group {
                    name: "interval",
                    display_name: "Trigger Interval",
                    values: INTERVAL,
                }],
            },
        )
        .default(Literal::Object(&[(
            "interval",
            Literal::Array(&[Literal::Object(&[("field", Literal::String("days"))])]),
        )])),
        Parameter::new(
            "misfirePolicy",
            "If Execution Is Missed",
            ParameterKind::Options(&[
                Choice::new(
                    "Run the Most Recent Missed Execution Per Rule",
                    Literal::String("coalesce"),
                ),
                Choice::new(
                    "Run the Most Recent Missed Execution",
                    Literal::String("coalesce_owner"),
                ),
                Choice::new("Don't Run Missed Executions", Literal::String("skip")),
            ]),
        )
        .default(Literal::String("skip"))
        .no_data_expression()
        .show(FROM_V14),
        Parameter::new(
            "misfireGraceSeconds",
            "Missed Execution Grace Period (Seconds)",
            ParameterKind::Number,
        )
        .default(Literal::Number(0.0))
        .no_data_expression()
        .show(FROM_V14)
        .describe("How late an execution may start before it counts as missed; 0 uses the instance setting"),
    ],
    credentials: &[],
};

/// The node's rules from its `rule` parameter, range-checked as n8n does from typeVersion 1.3.
fn checked_rules(version: f64, rule: &Value) -> Result<Vec<Interval>, NodeError> {
    let rules = Interval::all(rule);
    if version >= 1.3 {
        for (index, rule) in rules.iter().enumerate() {
            rule.validate(index)?;
        }
    }
    Ok(rules)
}

/// Whether `pattern` is a cron expression n8n's `cron` package accepts (five or six fields).
fn parses(pattern: &str) -> bool {
    CronParser::builder()
        .seconds(Seconds::Optional)
        .build()
        .parse(pattern)
        .is_ok()
}

/// n8n's error for a cron expression that does not parse.
fn invalid_cron() -> NodeError {
    NodeError::operation("Invalid cron expression")
        .with_description("More information on how to build them at https://crontab.guru/")
}

/// The cron patterns (with seconds) a trigger of `version` with these resolved `parameters`
/// fires on, one per rule, for the node keyed `node_key` (`<workflow id>:<node id>`); rules out
/// of range (typeVersion 1.3 on) or a pattern that does not parse are refused with n8n's errors.
pub fn cron_patterns(
    version: f64,
    parameters: &Value,
    node_key: &str,
) -> Result<Vec<String>, NodeError> {
    let rules = checked_rules(version, parameters.get("rule").unwrap_or(&Value::Null))?;
    rules
        .iter()
        .map(|rule| {
            let pattern = rule.cron_pattern(node_key);
            if parses(&pattern) {
                Ok(pattern)
            } else {
                Err(invalid_cron())
            }
        })
        .collect()
}

#[async_trait]
impl Node for ScheduleTrigger {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    /// n8n's manual execution: the checks of the node's typeVersion, then one item now.
    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let rule = ctx.optional_parameter("rule", 0)?.unwrap_or(Value::Null);
        let rules = checked_rules(ctx.node().type_version, &rule)?;
        if let Some(Interval::Cron(expression)) = rules.first()
            && !parses(expression)
        {
            return Err(invalid_cron());
        }
        let fields = timestamp_fields(Utc::now(), ctx.settings().time_zone);
        out.emit(0, [Item::new(fields, 0)]).await
    }

    fn polling(&self) -> Option<&dyn PollingTrigger> {
        Some(self)
    }
}

/// Under `weft start` each tick of the rules' cron patterns is a poll that fires: one item for
/// the tick's moment, the saved state passed on unchanged.
#[async_trait]
impl PollingTrigger for ScheduleTrigger {
    async fn poll(
        &self,
        ctx: &NodeContext<'_>,
        state: Option<Value>,
        at: DateTime<Utc>,
    ) -> Result<Poll, NodeError> {
        Ok(Poll {
            items: vec![Item::new(timestamp_fields(at, ctx.settings().time_zone), 0)],
            state: state.unwrap_or_else(|| Value::Object(Map::new())),
            warnings: Vec::new(),
            after_commit: None,
        })
    }

    fn cron_patterns(
        &self,
        version: f64,
        parameters: &Value,
        node_key: &str,
    ) -> Option<Result<Vec<String>, NodeError>> {
        Some(cron_patterns(version, parameters, node_key))
    }
}

register_node!(ScheduleTrigger);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rules_are_range_checked_from_type_version_1_3_only() {
        let parameters = json!({"rule": {"interval": [
            {"field": "days", "daysInterval": 40, "triggerAtHour": 9, "triggerAtMinute": 30}
        ]}});
        let refused = cron_patterns(1.3, &parameters, "wf:n").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Invalid interval: Days must be in range 1-31"
        );
        let patterns = cron_patterns(1.2, &parameters, "wf:n").unwrap();
        assert_eq!(patterns.len(), 1);
        assert!(patterns[0].ends_with(" 30 9 * * *"), "{patterns:?}");
        let cron = json!({"rule": {"interval": [{"field": "cronExpression", "expression": "61 * * * *"}]}});
        assert_eq!(
            cron_patterns(1.4, &cron, "wf:n").unwrap_err().message,
            "Invalid cron expression"
        );
    }
}
