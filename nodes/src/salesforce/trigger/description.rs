//! The description of the Salesforce Trigger (`n8n-nodes-base.salesforceTrigger`, typeVersions 1
//! and 1.1; n8n-compat §5.1): `pollTimes` as n8n adds it to every polling node, the node's
//! `authentication` and credential slots, `triggerOn` with the 18 events, and `customObject` for
//! the two custom-object events.

use crate::description::{
    Choice, Condition, Group, Literal, NodeDescription, Parameter, ParameterKind,
};
use crate::salesforce::description::{AUTHENTICATION, CONDITIONS, CREDENTIALS};

/// `mode` holds one of the given values.
macro_rules! mode {
    ($($mode:literal),+) => {
        &[("mode", &[$(Condition::Is(Literal::String($mode))),+])]
    };
}

/// n8n's `cronNodeOptions`: one poll time.
const POLL_TIME: &[Parameter] = &[
    Parameter::new(
        "mode",
        "Mode",
        ParameterKind::Options(&[
            Choice::new("Every Minute", Literal::String("everyMinute")),
            Choice::new("Every Hour", Literal::String("everyHour")),
            Choice::new("Every Day", Literal::String("everyDay")),
            Choice::new("Every Week", Literal::String("everyWeek")),
            Choice::new("Every Month", Literal::String("everyMonth")),
            Choice::new("Every X", Literal::String("everyX")),
            Choice::new("Custom", Literal::String("custom")),
        ]),
    )
    .default(Literal::String("everyDay"))
    .describe("How often to trigger"),
    Parameter::new("hour", "Hour", ParameterKind::Number)
        .default(Literal::Number(14.0))
        .hide(mode!("custom", "everyHour", "everyMinute", "everyX"))
        .describe("The hour of the day to trigger (24h format)"),
    Parameter::new("minute", "Minute", ParameterKind::Number)
        .hide(mode!("custom", "everyMinute", "everyX"))
        .describe("The minute of the day to trigger"),
    Parameter::new("dayOfMonth", "Day of Month", ParameterKind::Number)
        .default(Literal::Number(1.0))
        .show(mode!("everyMonth"))
        .describe("The day of the month to trigger"),
    Parameter::new(
        "weekday",
        "Weekday",
        ParameterKind::Options(&[
            Choice::new("Monday", Literal::String("1")),
            Choice::new("Tuesday", Literal::String("2")),
            Choice::new("Wednesday", Literal::String("3")),
            Choice::new("Thursday", Literal::String("4")),
            Choice::new("Friday", Literal::String("5")),
            Choice::new("Saturday", Literal::String("6")),
            Choice::new("Sunday", Literal::String("0")),
        ]),
    )
    .default(Literal::String("1"))
    .show(mode!("everyWeek"))
    .describe("The weekday to trigger"),
    Parameter::new("cronExpression", "Cron Expression", ParameterKind::String)
        .default(Literal::String("* * * * * *"))
        .show(mode!("custom"))
        .describe("A cron expression with seconds: second minute hour day-of-month month weekday"),
    Parameter::new("value", "Value", ParameterKind::Number)
        .default(Literal::Number(2.0))
        .show(mode!("everyX"))
        .describe("All how many X minutes/hours it should trigger"),
    Parameter::new(
        "unit",
        "Unit",
        ParameterKind::Options(&[
            Choice::new("Minutes", Literal::String("minutes")),
            Choice::new("Hours", Literal::String("hours")),
        ]),
    )
    .default(Literal::String("hours"))
    .show(mode!("everyX"))
    .describe("If it should trigger all X minutes or hours"),
];

pub(crate) const POLL_TIMES: Parameter = Parameter::new(
    "pollTimes",
    "Poll Times",
    ParameterKind::FixedCollection {
        multiple: true,
        groups: &[Group {
            name: "item",
            display_name: "Item",
            values: POLL_TIME,
        }],
    },
)
.default(Literal::Object(&[(
    "item",
    Literal::Array(&[Literal::Object(&[("mode", Literal::String("everyMinute"))])]),
)]))
.describe("Time at which polling should occur");

/// An event choice: its label and `triggerOn` value.
const fn event(name: &'static str, value: &'static str) -> Choice {
    Choice::new(name, Literal::String(value))
}

const TRIGGER_ON: Parameter = Parameter::new(
    "triggerOn",
    "Trigger On",
    ParameterKind::Options(&[
        event("Account Created", "accountCreated"),
        event("Account Updated", "accountUpdated"),
        event("Attachment Created", "attachmentCreated"),
        event("Attachment Updated", "attachmentUpdated"),
        event("Case Created", "caseCreated"),
        event("Case Updated", "caseUpdated"),
        event("Contact Created", "contactCreated"),
        event("Contact Updated", "contactUpdated"),
        event("Custom Object Created", "customObjectCreated"),
        event("Custom Object Updated", "customObjectUpdated"),
        event("Lead Created", "leadCreated"),
        event("Lead Updated", "leadUpdated"),
        event("Opportunity Created", "opportunityCreated"),
        event("Opportunity Updated", "opportunityUpdated"),
        event("Task Created", "taskCreated"),
        event("Task Updated", "taskUpdated"),
        event("User Created", "userCreated"),
        event("User Updated", "userUpdated"),
    ]),
)
.default(Literal::String(""))
.required()
.describe("Which Salesforce event should trigger the node");

const CUSTOM_OBJECT: Parameter = Parameter::new(
    "customObject",
    "Custom Object Name or ID",
    ParameterKind::String,
)
.required()
.show(&[(
    "triggerOn",
    &[
        Condition::Is(Literal::String("customObjectCreated")),
        Condition::Is(Literal::String("customObjectUpdated")),
    ],
)])
.describe("The custom object's API name, e.g. Invoice__c");

/// The Salesforce Trigger's description.
/// weft's options for scheduled polls (n8n's trigger has none); manual mode ignores them.
const OPTIONS: Parameter = Parameter::new(
    "options",
    "Options",
    ParameterKind::Collection(&[
        CONDITIONS,
        Parameter::new("fields", "Fields", ParameterKind::String).describe(
            "weft only: the fields each item has, separated by commas (default: n8n's list for \
             the object); fields the user cannot see (field-level security) are left out with a \
             warning",
        ),
        Parameter::new("lookback", "Lookback (Minutes)", ParameterKind::Number)
            .default(Literal::Number(15.0))
            .describe(
                "weft only: each poll reads again this far before the last record it saw, so \
                 records that become visible late are not missed",
            ),
        Parameter::new("startDate", "Start Date", ParameterKind::DateTime).describe(
            "weft only: the first poll emits the records changed since this time (by default \
             the first poll emits nothing, as in n8n)",
        ),
    ]),
)
.describe("weft only: fields, conditions and the lookback of scheduled polls");

pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.salesforceTrigger",
    display_name: "Salesforce Trigger",
    description: "Fetches data from Salesforce and starts the workflow on specified polling intervals",
    versions: &[1.0, 1.1],
    versioned: false,
    trigger: true,
    outputs: &["main"],
    parameters: &[
        POLL_TIMES,
        AUTHENTICATION,
        TRIGGER_ON,
        CUSTOM_OBJECT,
        OPTIONS,
    ],
    credentials: CREDENTIALS,
};
