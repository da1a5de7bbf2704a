//! typeVersion 2: the operations over Luxon dates (get the current date, add, subtract, format,
//! round, time between, extract a part), and n8n's way of reading an input date (`parseDate`):
//! numbers are epoch seconds (fewer than 12 digits) or milliseconds, fractional numbers seconds;
//! strings are read as moment reads them, or by a Luxon `fromFormat`; the result is set to the
//! zone asked for, else to `Etc/GMT-h` when the text holds `+hh`, else to `Etc/UTC`.

use serde_json::{Map, Value};

use super::duration::Duration;
use super::error::DateError;
use super::js_value::{is_integer, number_text, to_number};
use super::luxon_parse::ParseFailure;
use super::luxon_time::{LuxonTime, Unit};
use super::zone::Zone;
use super::{js_date, luxon_format, luxon_parse};
use crate::core::conditions::js::truthy;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// A Luxon date as the node may hold it: valid, or invalid without being unparsable (an
/// unknown zone, a timestamp out of range), which prints as `Invalid DateTime`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LuxonDate {
    /// A date.
    Valid(LuxonTime),
    /// Luxon's invalid DateTime.
    Invalid,
}

/// Luxon's text for an invalid DateTime.
const INVALID: &str = "Invalid DateTime";

impl LuxonDate {
    fn map(self, step: impl FnOnce(LuxonTime) -> Option<LuxonTime>) -> LuxonDate {
        match self {
            LuxonDate::Valid(time) => step(time).map_or(LuxonDate::Invalid, LuxonDate::Valid),
            LuxonDate::Invalid => LuxonDate::Invalid,
        }
    }

    /// `toString()`.
    pub fn to_text(self) -> String {
        match self {
            LuxonDate::Valid(time) => time.to_iso(),
            LuxonDate::Invalid => INVALID.to_owned(),
        }
    }

    /// `toFormat(format)`.
    pub fn format(self, format: &str) -> String {
        match self {
            LuxonDate::Valid(time) => luxon_format::format(&time, format),
            LuxonDate::Invalid => INVALID.to_owned(),
        }
    }
}

/// How to read an input date.
#[derive(Clone, Debug, Default)]
pub struct ParseOptions<'a> {
    /// The zone name to set (the workflow's, or the node's option).
    pub timezone: Option<&'a str>,
    /// A Luxon format the text is in.
    pub from_format: Option<&'a str>,
}

/// n8n's `parseDate`: `value` as a Luxon date. `default_zone` is Luxon's default zone (the
/// workflow's), in which a `fromFormat` text without an offset is read; `machine_zone` is the
/// zone moment reads local times in.
pub fn parse_date(
    value: &Value,
    options: &ParseOptions<'_>,
    default_zone: Zone,
    machine_zone: Zone,
) -> Result<LuxonDate, DateError> {
    let from_format = options.from_format.filter(|format| !format.is_empty());
    // A number (or numeric text) unless a format is given; fractions are seconds.
    let number = to_number(value)
        .filter(|_| from_format.is_none())
        .map(|parsed| {
            if is_integer(parsed) {
                parsed
            } else {
                parsed * 1000.0
            }
        });
    let mut timezone = options
        .timezone
        .filter(|zone| !zone.is_empty())
        .map(str::to_owned);
    let parsed = match number {
        Some(number) if is_integer(number) => {
            let millis = if number_text(number).len() < 12 {
                number * 1000.0
            } else {
                number
            };
            if millis.abs() > 8.64e15 {
                LuxonDate::Invalid
            } else {
                LuxonTime::from_millis(millis as i64, Zone::UTC)
                    .map_or(LuxonDate::Invalid, LuxonDate::Valid)
            }
        }
        Some(_) => return Err(DateError::NotText),
        None => {
            let Value::String(text) = value else {
                return Err(DateError::NotText);
            };
            // n8n keeps a `+hh` offset as the zone `Etc/GMT-hh` (minutes dropped).
            if let Some((_, after)) = text.split_once('+').filter(|_| timezone.is_none()) {
                let hours: String = after.chars().take(2).collect();
                let hours =
                    to_number(&Value::String(hours)).map_or_else(|| "NaN".to_owned(), number_text);
                timezone = Some(format!("Etc/GMT-{hours}"));
            }
            let millis = match from_format {
                Some(format) => match luxon_parse::parse(text, format, default_zone) {
                    Ok(millis) => Some(millis),
                    Err(ParseFailure::OutOfRange) => None,
                    Err(ParseFailure::Unparsable) => return Err(DateError::Invalid),
                },
                None => Some(js_date::parse(text, machine_zone).ok_or(DateError::Invalid)?),
            };
            millis
                .and_then(|millis| LuxonTime::from_millis(millis, Zone::UTC))
                .map_or(LuxonDate::Invalid, LuxonDate::Valid)
        }
    };
    let zone = timezone.as_deref().unwrap_or("Etc/UTC");
    Ok(match Zone::named(zone) {
        Some(zone) => parsed.map(|time| Some(time.in_zone(zone))),
        None => LuxonDate::Invalid,
    })
}

/// What one operation needs besides the item: the zones.
pub struct Zones {
    /// The workflow's zone name (n8n's `getTimezone()`).
    pub workflow: String,
    /// Luxon's default zone (the workflow's zone).
    pub default: Zone,
    /// The zone moment reads local times in (the machine's).
    pub machine: Zone,
}

/// A node parameter of the current item by dot path: `None` when absent.
pub type Parameters<'p> = dyn Fn(&str) -> Result<Option<Value>, NodeError> + 'p;

/// A parameter that must be there.
pub fn required(parameters: &Parameters<'_>, name: &str) -> Result<Value, NodeError> {
    parameters(name)?.ok_or_else(|| NodeError::missing_parameter(name))
}

/// A parameter as text (a number or other value written as JSON).
pub fn text(parameters: &Parameters<'_>, name: &str) -> Result<String, NodeError> {
    let value = required(parameters, name)?;
    Ok(value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned))
}

/// Runs the node's `operation` for one item: the output field's name and value.
pub fn operate(
    operation: &str,
    parameters: &Parameters<'_>,
    zones: &Zones,
) -> Result<(String, Value), NodeError> {
    let option = |name: &str| parameters(&format!("options.{name}"));
    let parse = |value: &Value, options: ParseOptions<'_>| {
        parse_date(value, &options, zones.default, zones.machine)
            .map_err(DateError::into_node_error)
    };
    let workflow_zone = || ParseOptions {
        timezone: Some(zones.workflow.as_str()),
        from_format: None,
    };
    let output_field = text(parameters, "outputFieldName")?;
    let value = match operation {
        "getCurrentDate" => {
            let include_time = truthy(Some(&required(parameters, "includeTime")?));
            let timezone = option("timezone")?
                .and_then(|zone| zone.as_str().map(str::to_owned))
                .filter(|zone| !zone.is_empty())
                .unwrap_or_else(|| zones.workflow.clone());
            let zone = Zone::named(&timezone).ok_or_else(|| {
                NodeError::operation(format!(
                    "The timezone {timezone} is not valid. Please check the timezone."
                ))
            })?;
            let now = LuxonTime::from_millis(chrono::Utc::now().timestamp_millis(), zone)
                .ok_or_else(|| DateError::Invalid.into_node_error())?;
            let now = if include_time {
                Some(now)
            } else {
                now.start_of(Unit::Days)
            };
            Value::String(now.map_or(LuxonDate::Invalid, LuxonDate::Valid).to_text())
        }
        "addToDate" | "subtractFromDate" => {
            let date = parse(&required(parameters, "magnitude")?, workflow_zone())?;
            let unit = unit_parameter(&text(parameters, "timeUnit")?)?;
            let duration = number_parameter(&required(parameters, "duration")?, "duration")?;
            let signed = if operation == "addToDate" {
                duration
            } else {
                -duration
            };
            Value::String(date.map(|time| time.plus(unit, signed)).to_text())
        }
        "formatDate" => {
            let date = required(parameters, "date")?;
            if date.is_null() {
                Value::Null
            } else {
                let use_workflow_zone = option("timezone")?.is_some_and(|flag| truthy(Some(&flag)));
                let from_format =
                    option("fromFormat")?.and_then(|format| format.as_str().map(str::to_owned));
                let options = ParseOptions {
                    timezone: use_workflow_zone.then_some(zones.workflow.as_str()),
                    from_format: from_format.as_deref(),
                };
                let parsed = parse(&date, options)?;
                let format = match text(parameters, "format")?.as_str() {
                    "custom" => text(parameters, "customFormat")?,
                    preset => preset.to_owned(),
                };
                Value::String(parsed.format(&format))
            }
        }
        "roundDate" => {
            let date = parse(&required(parameters, "date")?, workflow_zone())?;
            let rounded = match text(parameters, "mode")?.as_str() {
                "roundUp" => {
                    let unit = unit_parameter(&text(parameters, "to")?)?;
                    date.map(|time| time.plus(unit, 1.0)?.start_of(unit))
                }
                _ => {
                    let unit = unit_parameter(&text(parameters, "toNearest")?)?;
                    date.map(|time| time.start_of(unit))
                }
            };
            Value::String(rounded.to_text())
        }
        "getTimeBetweenDates" => {
            let start = parse(&required(parameters, "startDate")?, workflow_zone())?;
            let end = parse(&required(parameters, "endDate")?, workflow_zone())?;
            let units = units_parameter(&required(parameters, "units")?)?;
            let iso = option("isoString")?.is_some_and(|flag| truthy(Some(&flag)));
            let duration = match (start, end) {
                (LuxonDate::Valid(start), LuxonDate::Valid(end)) => {
                    Duration::between(start, end, &units)
                }
                _ => None,
            };
            match (duration, iso) {
                (Some(duration), true) => Value::String(duration.to_iso()),
                (Some(duration), false) => Value::Object(duration.to_object()),
                (None, true) => Value::String("Invalid Duration".to_owned()),
                (None, false) => Value::Object(Map::new()),
            }
        }
        "extractDate" => {
            let date = parse(&required(parameters, "date")?, workflow_zone())?;
            match date {
                LuxonDate::Valid(time) => extract(&time, &text(parameters, "part")?),
                LuxonDate::Invalid => Value::Null,
            }
        }
        other => {
            return Err(NodeError::operation(format!(
                "The operation \"{other}\" is not supported"
            )));
        }
    };
    Ok((output_field, value))
}

/// The output item for input item `index`: a new item, or a copy of the input with
/// `includeInputFields`, with the operation's field set.
pub fn run_item(
    ctx: &NodeContext<'_>,
    operation: &str,
    include_input_fields: bool,
    zones: &Zones,
    index: usize,
) -> Result<Item, NodeError> {
    let input = &ctx.input()[index];
    let mut item = if include_input_fields {
        Item {
            json: input.json.clone(),
            binary: input.binary.clone(),
            ..Item::default()
        }
        .paired_to(index)
    } else {
        Item::new(Map::new(), index)
    };
    let parameters = |path: &str| ctx.optional_parameter(path, index);
    let (field, value) = operate(operation, &parameters, zones)?;
    item.json.insert(field, value);
    Ok(item)
}

/// A part of a date (Luxon's `get`, `weekNumber` for weeks).
fn extract(time: &LuxonTime, part: &str) -> Value {
    use chrono::{Datelike, Timelike};
    let local = time.local();
    let number = match part {
        "year" => i64::from(local.year()),
        "month" => i64::from(local.month()),
        "week" => i64::from(time.week_number()),
        "day" => i64::from(local.day()),
        "hour" => i64::from(local.hour()),
        "minute" => i64::from(local.minute()),
        "second" => i64::from(local.second()),
        _ => return Value::Null,
    };
    Value::from(number)
}

fn unit_parameter(name: &str) -> Result<Unit, NodeError> {
    Unit::named(name).ok_or_else(|| NodeError::operation(format!("Invalid unit {name}")))
}

fn units_parameter(value: &Value) -> Result<Vec<Unit>, NodeError> {
    let names: Vec<&Value> = match value {
        Value::Array(names) => names.iter().collect(),
        single => vec![single],
    };
    let units = names
        .into_iter()
        .map(|name| unit_parameter(name.as_str().unwrap_or_default()))
        .collect::<Result<Vec<_>, _>>()?;
    if units.is_empty() {
        return Err(NodeError::operation("Invalid unit undefined"));
    }
    Ok(units)
}

fn number_parameter(value: &Value, name: &str) -> Result<f64, NodeError> {
    to_number(value).ok_or_else(|| {
        NodeError::operation(format!("Parameter \"{name}\" is not a number"))
            .with_description("Give the duration as a number of time units, e.g. 10")
    })
}
