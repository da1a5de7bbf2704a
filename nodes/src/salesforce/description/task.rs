//! Task: create, delete, get, getAll, getSummary, update. n8n declares "Recurrence Start Date
//! Only" under `recurrenceEndDateOnly`; weft declares `recurrenceStartDateOnly` for it, so each
//! key is its own field (n8n-compat §3.4). `type` is sent as TaskSubtype.

use super::shared::{
    CREATE, CUSTOM_FIELDS, DELETE, FALSE, GET, GET_MANY, GET_SUMMARY, QUERY_OPTIONS, UPDATE,
    additional_fields, date, flag, limit, locator, number, operation, options, required,
    return_all, text, update_fields, write_options,
};
use crate::description::{Choice, Literal, Parameter, ParameterKind};

/// The task `operation`.
pub(super) const OPERATION: Parameter = operation(
    on!("task"),
    &[CREATE, DELETE, GET, GET_MANY, GET_SUMMARY, UPDATE],
    "create",
);

const fn month(name: &'static str) -> Choice {
    Choice::new(name, Literal::String(name))
}

/// Options of both `additionalFields` and `updateFields`.
const FIELDS_BOTH: &[Parameter] = &[
    date("activityDate", "Activity Date"),
    text("callDisposition", "Call Disposition"),
    number("callDurationInSeconds", "Call Duration In Seconds"),
    text("callObject", "Call Object"),
    text("callType", "Call Type Name or ID"),
    CUSTOM_FIELDS,
    text("description", "Description"),
    flag("isReminderSet", "Is Reminder Set"),
    locator("owner", "Owner"),
    text("priority", "Priority Name or ID"),
    number("recurrenceDayOfMonth", "Recurrence Day Of Month"),
    number("recurrenceDayOfWeekMask", "Recurrence Day Of Week Mask"),
    date("recurrenceEndDateOnly", "Recurrence End Date Only"),
    text("recurrenceInstance", "Recurrence Instance Name or ID"),
    number("recurrenceInterval", "Recurrence Interval"),
    Parameter::new(
        "recurrenceMonthOfYear",
        "Recurrence Month Of Year",
        ParameterKind::Options(&[
            month("January"),
            month("February"),
            month("March"),
            month("April"),
            month("May"),
            month("June"),
            month("July"),
            month("August"),
            month("September"),
            month("October"),
            month("November"),
            month("December"),
        ]),
    )
    .default(Literal::String("")),
    Parameter::new(
        "recurrenceRegeneratedType",
        "Recurrence Regenerated Type",
        ParameterKind::Options(&[
            Choice::new(
                "After Due Date",
                Literal::String("RecurrenceRegenerateAfterDueDate"),
            ),
            Choice::new(
                "After Date Completed",
                Literal::String("RecurrenceRegenerateAfterToday"),
            ),
            Choice::new("(Task Closed)", Literal::String("RecurrenceRegenerated")),
        ]),
    )
    .default(Literal::String("")),
    date("recurrenceStartDateOnly", "Recurrence Start Date Only")
        .describe("weft's key; n8n saves this option as recurrenceEndDateOnly"),
    text("recurrenceTimeZoneSidKey", "Recurrence TimeZone SidKey"),
    text("recurrenceType", "Recurrence Type Name or ID"),
    date("reminderDateTime", "Reminder Date Time"),
    text("subject", "Subject Name or ID"),
    text("type", "Type Name or ID").describe("Sent as TaskSubtype"),
    text("whatId", "What ID"),
    text("whoId", "Who ID"),
];

/// The task parameters.
pub(super) const FIELDS: &[Parameter] = &[
    required("status", "Status Name or ID", on!("task", ["create"]))
        .describe("The current status of the task, such as In Progress or Completed"),
    additional_fields(on!("task", ["create"]), FIELDS_BOTH),
    required(
        "taskId",
        "Task ID",
        on!("task", ["update", "get", "delete"]),
    ),
    update_fields(
        on!("task", ["update"]),
        joined!(FIELDS_BOTH, &[text("status", "Status Name or ID")]),
    ),
    return_all(on!("task", ["getAll"])),
    limit(on!("task", ["getAll"], ("returnAll", FALSE))),
    options(on!("task", ["getAll"]), QUERY_OPTIONS),
    write_options(on!("task", ["create", "update", "delete"])),
];
