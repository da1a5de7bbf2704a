//! typeVersion 1: `format` (a date to a moment.js format, optionally read with a `fromFormat`
//! and moved from one zone to another) and `calculate` (add or subtract time, the result in ISO
//! 8601 UTC), written into `dataPropertyName` of a copy of the input item.
//!
//! As in n8n, `format` reads numbers as epoch seconds (fewer than 12 digits) or milliseconds and
//! text as moment does, in the machine's zone unless a zone option is set; `calculate` reads text
//! as JavaScript's `Date` does (an ISO date without a time is UTC) unless a `fromFormat` is set.

use serde_json::Value;

use super::error::DateError;
use super::js_value::{is_integer, number_text, to_number};
use super::luxon_time::Unit;
use super::moment_format::{self, Moment};
use super::v2::{Parameters, required, text};
use super::zone::Zone;
use super::{js_date, luxon_parse};
use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// moment's text for an invalid date.
const INVALID: &str = "Invalid date";

/// The zones version 1 works with.
pub struct Zones {
    /// The workflow's zone (n8n's `getTimezone()`).
    pub workflow: Zone,
    /// The machine's zone: moment's local time.
    pub machine: Zone,
}

/// Runs `action` for one item: the property to set and its text, `None` for an unknown action
/// (n8n outputs nothing for the item then).
pub fn operate(
    action: &str,
    parameters: &Parameters<'_>,
    zones: &Zones,
) -> Result<Option<(String, String)>, NodeError> {
    let property = text(parameters, "dataPropertyName")?;
    let value = required(parameters, "value")?;
    let option = |name: &str| -> Result<Option<String>, NodeError> {
        Ok(parameters(&format!("options.{name}"))?.map(|value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        }))
    };
    let output = match action {
        "format" => {
            let to_format = text(parameters, "toFormat")?;
            let options = FormatOptions {
                from_format: option("fromFormat")?,
                from_timezone: option("fromTimezone")?.filter(|zone| !zone.is_empty()),
                to_timezone: option("toTimezone")?.filter(|zone| !zone.is_empty()),
            };
            format_date(&value, &options, zones, &to_format).map_err(DateError::into_node_error)?
        }
        "calculate" => {
            let operation = text(parameters, "operation")?;
            let duration = to_number(&required(parameters, "duration")?).unwrap_or(f64::NAN);
            let unit = text(parameters, "timeUnit")?;
            let unit = Unit::named(&unit)
                .ok_or_else(|| NodeError::operation(format!("Invalid time unit {unit}")))?;
            let from_format = option("fromFormat")?.filter(|format| !format.is_empty());
            let sign = if operation == "add" { 1.0 } else { -1.0 };
            calculate(
                &value,
                from_format.as_deref(),
                sign * duration,
                unit,
                zones.machine,
            )
            .map_err(DateError::into_node_error)?
        }
        _ => return Ok(None),
    };
    Ok(Some((property, output)))
}

/// The output item for input item `index`: a copy of the input with the property set (lodash
/// `set` with a one-key path, so a dotted name is one key), or `None`.
pub fn run_item(
    ctx: &NodeContext<'_>,
    action: &str,
    zones: &Zones,
    index: usize,
) -> Result<Option<Item>, NodeError> {
    let parameters = |path: &str| ctx.optional_parameter(path, index);
    let Some((property, text)) = operate(action, &parameters, zones)? else {
        return Ok(None);
    };
    let input = &ctx.input()[index];
    let mut item = Item {
        json: input.json.clone(),
        binary: input.binary.clone(),
        ..Item::default()
    }
    .paired_to(index);
    item.json.insert(property, Value::String(text));
    Ok(Some(item))
}

/// The `format` action's options.
#[derive(Clone, Debug, Default)]
pub struct FormatOptions {
    /// A moment format the input is in.
    pub from_format: Option<String>,
    /// The zone the input's wall time is in.
    pub from_timezone: Option<String>,
    /// The zone to show the result in.
    pub to_timezone: Option<String>,
}

/// The `format` action: `value` read as n8n's version 1 reads it, written in `to_format`.
pub fn format_date(
    value: &Value,
    options: &FormatOptions,
    zones: &Zones,
    to_format: &str,
) -> Result<String, DateError> {
    let number = to_number(value).map(|n| if is_integer(n) { n } else { n * 1000.0 });
    if options.from_format.is_none()
        && number.is_none()
        && read_text(value, zones.machine).is_none()
    {
        return Err(DateError::Unrecognized);
    }
    let zone_named =
        |name: &Option<String>, fallback: Zone| name.as_deref().map_or(Some(fallback), Zone::named);
    let converting = options.from_timezone.is_some() || options.to_timezone.is_some();
    let millis = match number {
        Some(number) if is_integer(number) => {
            let millis = if number_text(number).len() < 12 {
                number * 1000.0
            } else {
                number
            };
            (millis.abs() <= 8.64e15).then_some(millis as i64)
        }
        Some(fraction) => Some(fraction.trunc() as i64),
        None => {
            let read_zone = if converting {
                zone_named(&options.from_timezone, zones.workflow).unwrap_or(Zone::UTC)
            } else {
                zones.machine
            };
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            match options.from_format.as_deref() {
                Some(format) => moment_with_format(&text, format, read_zone),
                None => js_date::parse(&text, read_zone),
            }
        }
    };
    let Some(millis) = millis else {
        return Ok(INVALID.to_owned());
    };
    let moment = if converting {
        let zone = zone_named(&options.to_timezone, zones.workflow).unwrap_or(Zone::UTC);
        Moment {
            millis,
            zone,
            named_zone: true,
        }
    } else {
        Moment {
            millis,
            zone: zones.machine,
            named_zone: false,
        }
    };
    Ok(moment_format::format(&moment, to_format))
}

/// Text (or a value written as text) read as moment reads it without a format.
fn read_text(value: &Value, zone: Zone) -> Option<i64> {
    match value {
        Value::String(text) => js_date::parse(text, zone),
        Value::Object(_) => Some(chrono::Utc::now().timestamp_millis()),
        _ => None,
    }
}

/// moment's `moment(text, format)`: read through the same token reader as Luxon's formats, the
/// moment tokens translated; `None` when the text does not match.
fn moment_with_format(text: &str, format: &str, zone: Zone) -> Option<i64> {
    let translated = luxon_format_of(format)?;
    luxon_parse::parse(text, &translated, zone).ok()
}

/// A moment format written with Luxon's tokens; `None` when it uses a token weft cannot read.
fn luxon_format_of(format: &str) -> Option<String> {
    const MAP: &[(&str, &str)] = &[
        ("YYYY", "yyyy"),
        ("YY", "yy"),
        ("MMMM", "MMMM"),
        ("MMM", "MMM"),
        ("MM", "MM"),
        ("M", "M"),
        ("DDDD", "ooo"),
        ("DD", "dd"),
        ("D", "d"),
        ("dddd", "EEEE"),
        ("ddd", "EEE"),
        ("HH", "HH"),
        ("H", "H"),
        ("hh", "hh"),
        ("h", "h"),
        ("mm", "mm"),
        ("m", "m"),
        ("ss", "ss"),
        ("s", "s"),
        ("SSS", "SSS"),
        ("A", "a"),
        ("a", "a"),
        ("ZZ", "ZZZ"),
        ("Z", "ZZ"),
    ];
    let mut output = String::new();
    let mut rest = format;
    'outer: while !rest.is_empty() {
        if let Some(body) = rest.strip_prefix('[') {
            let end = body.find(']')?;
            output.push_str(&format!("'{}'", &body[..end]));
            rest = &body[end + 1..];
            continue;
        }
        for (moment_token, luxon_token) in MAP {
            if let Some(after) = rest.strip_prefix(moment_token) {
                output.push_str(luxon_token);
                rest = after;
                continue 'outer;
            }
        }
        let character = rest.chars().next()?;
        if character.is_ascii_alphabetic() {
            return None;
        }
        output.push_str(&format!("'{character}'"));
        rest = &rest[character.len_utf8()..];
    }
    Some(output)
}

/// The `calculate` action: `value` plus `amount` of `unit` in the machine's zone, as ISO 8601
/// UTC text (`toISOString`).
pub fn calculate(
    value: &Value,
    from_format: Option<&str>,
    amount: f64,
    unit: Unit,
    machine: Zone,
) -> Result<String, DateError> {
    let millis = match from_format {
        Some(format) => {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            moment_with_format(&text, format, machine).ok_or(DateError::FormatMismatch)?
        }
        None => js_date_value(value, machine).ok_or(DateError::NoDefaultFormat)?,
    };
    let moved = moment_add(millis, amount, unit, machine).ok_or(DateError::NoDefaultFormat)?;
    let time = chrono::DateTime::from_timestamp_millis(moved).ok_or(DateError::NoDefaultFormat)?;
    Ok(time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// `new Date(value)`: numbers are epoch milliseconds; an ISO date without a time is UTC, other
/// text as moment reads it.
fn js_date_value(value: &Value, machine: Zone) -> Option<i64> {
    match value {
        Value::Null => Some(0),
        Value::Bool(flag) => Some(i64::from(*flag)),
        Value::Number(number) => number
            .as_f64()
            .filter(|n| n.abs() <= 8.64e15)
            .map(|n| n.trunc() as i64),
        Value::String(text) => {
            let date_only = text.len() <= 10 && !text.contains(['T', ' ', ':', '/']);
            let zone = if date_only && text.contains('-') {
                Zone::UTC
            } else {
                machine
            };
            js_date::parse(text, zone)
        }
        _ => None,
    }
}

/// moment's `add(amount, unit)` in local time: calendar units are rounded to whole months or
/// days (half away from zero) and move the wall time, the rest is exact time.
fn moment_add(millis: i64, amount: f64, unit: Unit, zone: Zone) -> Option<i64> {
    if !amount.is_finite() {
        return None;
    }
    let round = |value: f64| (value.abs().round() * value.signum()) as i64;
    let (months, days) = match unit {
        Unit::Years => (round(amount * 12.0), 0),
        Unit::Quarters => (round(amount * 3.0), 0),
        Unit::Months => (round(amount), 0),
        Unit::Weeks => (0, round(amount * 7.0)),
        Unit::Days => (0, round(amount)),
        _ => (0, 0),
    };
    let exact = if unit.is_calendar() {
        0.0
    } else {
        amount * unit.casual_millis()
    };
    let mut time = super::luxon_time::LuxonTime::from_millis(millis, zone)?;
    if months != 0 || days != 0 {
        let moved = time.add(months, days, 0.0)?;
        // JavaScript's setDate/setMonth resolve the new wall time with the offset before a
        // transition.
        let instant = zone.instant_of_local_js(moved.local());
        time = super::luxon_time::LuxonTime::from_millis(instant, zone)?;
    }
    time.millis().checked_add(exact.trunc() as i64)
}
