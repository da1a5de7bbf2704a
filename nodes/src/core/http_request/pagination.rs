//! HTTP Request's pagination (`options.pagination.pagination`, typeVersion 3 on), as n8n's
//! paginated request helper runs it: before each request the pagination parameters (or the
//! next URL) are evaluated with `$response` (the last page: `body`, `headers`, `statusCode`),
//! `$pageCount`, `$request` and `$version`; after it, the completion rule decides whether another
//! page follows. Every page's items are output, in order. A page identical to the ones before
//! it stops the loop with n8n's error, and so does weft's bound on pages when no limit is set.

use std::time::Duration;

use reqwest_middleware::ClientWithMiddleware;
use serde_json::{Map, Value, json};

use super::request::{ArrayFormat, Body, Request, flatten};
use super::response::{Format, Options, Page, page_items};
use crate::core::conditions::js::truthy;
use crate::error::NodeError;
use crate::item::Item;
use crate::node::NodeContext;

/// Where the option lives.
const OPTION: &str = "options.pagination.pagination";

/// The most pages weft fetches for one item when `limitPagesFetched` is off.
pub const PAGE_BOUND: u64 = 10_000;

/// Where a pagination parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Query,
    Headers,
    Body,
}

/// How the next request differs from the first.
#[derive(Clone, Debug, PartialEq)]
enum Mode {
    /// `updateAParameterInEachRequest`: these (place, name, raw value) are set.
    UpdateParameters(Vec<(Place, String, Value)>),
    /// `responseContainsNextURL`: the raw `nextURL`.
    NextUrl(Value),
}

/// A pagination, read from the node's raw parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    mode: Mode,
    /// An expression that is true while another page should be fetched.
    more: Value,
    /// The raw `maxRequests`, when `limitPagesFetched` is on.
    max_pages: Option<Value>,
    /// The raw `requestInterval`.
    interval: Value,
}

/// The pagination of the node, or `None` when it is not set or off; n8n's errors for an
/// incomplete one.
pub fn read(ctx: &NodeContext<'_>, never_error: bool) -> Result<Option<Pagination>, NodeError> {
    let Some(Value::Object(option)) = ctx.raw_parameter(OPTION) else {
        return Ok(None);
    };
    let text = |name: &str| option.get(name).and_then(Value::as_str).unwrap_or("");
    let mode = match text("paginationMode").trim_start_matches('=') {
        "off" => return Ok(None),
        "responseContainsNextURL" => {
            Mode::NextUrl(option.get("nextURL").cloned().unwrap_or(Value::Null))
        }
        _ => Mode::UpdateParameters(parameters(option.get("parameters"))?),
    };
    let more = match text("paginationCompleteWhen").trim_start_matches('=') {
        "receiveSpecificStatusCodes" => {
            let codes: Vec<Value> = text("statusCodesWhenComplete")
                .split(',')
                .map(|code| code.trim().parse::<i64>().map_or(Value::Null, Value::from))
                .collect();
            format!(
                "={{{{ !{}.includes($response.statusCode) }}}}",
                Value::Array(codes)
            )
        }
        "other" => {
            let written = text("completeExpression");
            if !written.starts_with('=') {
                return Err(NodeError::operation("Invalid or empty Complete Expression"));
            }
            let complete = inner_code(written.trim());
            if never_error {
                format!("={{{{ !({complete}) }}}}")
            } else {
                format!(
                    "={{{{ !({complete}) || ($response.statusCode < 200 || $response.statusCode >= 300) }}}}"
                )
            }
        }
        _ => "={{ Array.isArray($response.body) ? $response.body.length : !!$response.body }}"
            .to_owned(),
    };
    let limited = option.get("limitPagesFetched").and_then(Value::as_bool) == Some(true);
    Ok(Some(Pagination {
        mode,
        more: Value::String(more),
        max_pages: limited.then(|| option.get("maxRequests").cloned().unwrap_or(json!(100))),
        interval: option.get("requestInterval").cloned().unwrap_or(json!(0)),
    }))
}

/// The code of a `={{ … }}` expression as n8n cuts it out: without the first three and the last
/// two characters.
fn inner_code(written: &str) -> String {
    let characters: Vec<char> = written.chars().collect();
    characters
        .get(3..characters.len().saturating_sub(2))
        .map(|code| code.iter().collect())
        .unwrap_or_default()
}

/// The `parameters.parameters` list, checked as n8n checks it.
fn parameters(list: Option<&Value>) -> Result<Vec<(Place, String, Value)>, NodeError> {
    // Unset, the list is n8n's default: one entry with neither name nor value.
    let unset = [json!({})];
    let entries = match list.and_then(|list| list.get("parameters")) {
        Some(entries) => entries.as_array().map(Vec::as_slice).unwrap_or_default(),
        None => &unset,
    };
    let text = |entry: &Value, name: &str| {
        entry
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    if let [only] = entries
        && text(only, "name").is_empty()
        && only.get("value").is_none_or(|value| value == "")
    {
        return Err(NodeError::operation(
            "At least one entry with 'Name' and 'Value' filled must be included in 'Parameters' \
             to use 'Update a Parameter in Each Request' mode ",
        ));
    }
    entries
        .iter()
        .enumerate()
        .map(|(position, entry)| {
            let number = position + 1;
            let name = text(entry, "name");
            if name.is_empty() {
                return Err(NodeError::operation(format!(
                    "Parameter name must be set for parameter [{number}] in pagination settings"
                )));
            }
            let place = match text(entry, "type").as_str() {
                "qs" | "" => Place::Query,
                "headers" => Place::Headers,
                "body" => Place::Body,
                _ => {
                    return Err(NodeError::operation(format!(
                        "Parameter type must be one of: body, headers, qs for parameter \
                         [{number}] in pagination settings"
                    )));
                }
            };
            let value = entry.get("value").cloned().unwrap_or(json!(""));
            if value == "" {
                return Err(NodeError::operation(format!(
                    "Some value must be provided for parameter [{number}] in pagination \
                     settings, omitting it will result in an infinite loop"
                )));
            }
            Ok((place, name, value))
        })
        .collect()
}

/// The variables pagination expressions see.
struct Variables(Map<String, Value>);

impl Variables {
    fn new(request: &Value, version: f64) -> Self {
        Self(Map::from_iter([
            ("$request".to_owned(), request.clone()),
            ("$response".to_owned(), json!({})),
            ("$version".to_owned(), json!(version)),
            ("$pageCount".to_owned(), json!(0)),
        ]))
    }

    fn pages(&self) -> u64 {
        self.0["$pageCount"].as_u64().unwrap_or(0)
    }

    /// `page` becomes `$response`, and one more page is counted.
    fn record(&mut self, page: &Page, format: Format) {
        let text = page.text();
        let body = match serde_json::from_str::<Value>(&text) {
            Ok(value) if format != Format::Autodetect || page.is_json => value,
            Err(_) if format == Format::Autodetect && page.is_json => json!({}),
            _ => Value::String(text.into_owned()),
        };
        let response = json!({
            "body": body,
            "headers": page.headers,
            "statusCode": page.status.as_u16(),
        });
        let pages = self.pages() + 1;
        self.0.insert("$response".to_owned(), response);
        self.0.insert("$pageCount".to_owned(), json!(pages));
    }
}

/// The items of every page for input item `index`, starting from `first`; `request_options`
/// is n8n's request options (`$request`).
pub async fn fetch(
    ctx: &NodeContext<'_>,
    http: &ClientWithMiddleware,
    pagination: &Pagination,
    first: Request,
    options: &Options,
    request_options: &Value,
    index: usize,
) -> Result<Vec<Item>, NodeError> {
    let mut variables = Variables::new(request_options, ctx.node().type_version);
    let mut repeats = Repeats::default();
    let mut pages = Vec::new();
    loop {
        let request = pagination.request(ctx, &first, &variables, index)?;
        let page = Page::read(request.send(http).await?, options.format).await?;
        repeats.check(&page)?;
        variables.record(&page, options.format);
        let status = page.status;
        let error = (!status.is_success()).then(|| page.status_error(options.format));
        pages.push(page);
        let evaluate = |name: &str, value: &Value| {
            ctx.evaluate(&format!("{OPTION}.{name}"), value, index, &variables.0)
        };
        let max_pages = match &pagination.max_pages {
            Some(max) => evaluate("maxRequests", max)?.as_f64().unwrap_or(0.0),
            None => 0.0,
        };
        if max_pages > 0.0 && variables.pages() as f64 >= max_pages {
            break;
        }
        if !truthy(Some(&evaluate("paginationCompleteWhen", &pagination.more)?)) {
            break;
        }
        if max_pages <= 0.0 && variables.pages() >= PAGE_BOUND {
            return Err(NodeError::operation(format!(
                "Pagination stopped after {PAGE_BOUND} pages without completing"
            ))
            .with_description(
                "weft fetches at most 10000 pages unless 'Limit Pages Fetched' is on: check \
                 'Pagination Complete When', or turn on 'Limit Pages Fetched' and set 'Max Pages'",
            ));
        }
        let interval = evaluate("requestInterval", &pagination.interval)?;
        if let Some(milliseconds) = interval.as_f64().filter(|ms| *ms > 0.0) {
            tokio::time::sleep(Duration::from_millis(milliseconds as u64)).await;
        }
        if let Some(error) = error {
            return Err(error);
        }
    }
    // n8n reads pages with `simple: false`: a last page with any status is output.
    let page_options = Options {
        never_error: true,
        ..options.clone()
    };
    let mut items = Vec::new();
    for page in pages {
        items.extend(page_items(page, &page_options, &ctx.input()[index], index)?);
    }
    Ok(items)
}

impl Pagination {
    /// The next request: `first` with the pagination parameters (or the next URL) evaluated
    /// for the pages so far. Before the first page an expression that fails (it reads the
    /// `$response` there is not yet) is left out, as n8n's evaluator yields `undefined` there.
    fn request(
        &self,
        ctx: &NodeContext<'_>,
        first: &Request,
        variables: &Variables,
        index: usize,
    ) -> Result<Request, NodeError> {
        let evaluate = |name: &str, value: &Value| match ctx.evaluate(
            &format!("{OPTION}.{name}"),
            value,
            index,
            &variables.0,
        ) {
            Err(_) if variables.pages() == 0 => Ok(None),
            other => other.map(Some),
        };
        let mut request = first.clone();
        match &self.mode {
            Mode::NextUrl(next) => {
                if let Some(url) = evaluate("nextURL", next)? {
                    next_url(&mut request, url, variables.pages())?;
                }
            }
            Mode::UpdateParameters(parameters) => {
                for (place, name, value) in parameters {
                    if let Some(value) = evaluate("parameters", value)? {
                        set(&mut request, *place, name, value);
                    }
                }
            }
        }
        Ok(request)
    }
}

/// Points `request` at `url`; the query pairs whose names the URL has are dropped.
fn next_url(request: &mut Request, url: Value, pages: u64) -> Result<(), NodeError> {
    let written = match url {
        Value::Null if pages == 0 => return Ok(()),
        Value::String(text) => text,
        other => other.to_string(),
    };
    let parsed = url::Url::parse(&written).map_err(|_| {
        NodeError::operation(format!("'{written}' is not a valid URL."))
            .with_description("Make sure the \"Next URL\" parameter evaluates to a valid URL.")
    })?;
    request
        .query
        .retain(|(name, _)| !parsed.query_pairs().any(|(key, _)| key == name.as_str()));
    request.url = parsed;
    Ok(())
}

/// Sets the pagination parameter `name` to `value` in the query, headers or body.
fn set(request: &mut Request, place: Place, name: &str, value: Value) {
    match place {
        Place::Query => {
            let object = Map::from_iter([(name.to_owned(), value)]);
            for (key, text) in flatten(&object, ArrayFormat::Brackets) {
                match request
                    .query
                    .iter_mut()
                    .find(|(existing, _)| *existing == key)
                {
                    Some(pair) => pair.1 = text,
                    None => request.query.push((key, text)),
                }
            }
        }
        Place::Headers => request.set_header(name, super::text(value)),
        Place::Body => match &mut request.body {
            Some(Body::Form(fields) | Body::Multipart(fields)) => {
                let text = super::text(value);
                match fields.iter_mut().find(|(existing, _)| existing == name) {
                    Some(field) => field.1 = text,
                    None => fields.push((name.to_owned(), text)),
                }
            }
            Some(Body::Json(Value::Object(object))) => {
                object.insert(name.to_owned(), value);
            }
            body => *body = Some(Body::Json(json!({ name: value }))),
        },
    }
}

/// n8n's check for a pagination that fetches the same page again and again: pages of the same
/// `Content-Length` (none counts as 0) are compared by `ETag`, else by body; a page identical to
/// the one before it for the third time in a row stops the loop.
#[derive(Debug, Default)]
struct Repeats {
    previous_length: u64,
    previous: String,
    identical: u32,
}

impl Repeats {
    fn check(&mut self, page: &Page) -> Result<(), NodeError> {
        let header = |name: &str| page.headers.get(name).and_then(Value::as_str);
        let length = header("content-length")
            .and_then(|length| length.trim().parse().ok())
            .unwrap_or(0);
        if length == self.previous_length {
            let text = page.text();
            let fingerprint = header("etag").unwrap_or(&text);
            if fingerprint == self.previous {
                self.identical += 1;
                if self.identical > 2 {
                    return Err(NodeError::operation(
                        "The returned response was identical 5x, so requests got stopped",
                    )
                    .with_description(
                        "Check if \"Pagination Completed When\" has been configured correctly.",
                    ));
                }
            } else {
                self.identical = 0;
            }
            self.previous = fingerprint.to_owned();
        } else {
            self.identical = 0;
        }
        self.previous_length = length;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_expressions_are_cut_like_n8n() {
        assert_eq!(
            inner_code("={{ $response.body.done }}"),
            " $response.body.done "
        );
        assert_eq!(inner_code("="), "");
    }

    #[test]
    fn parameters_are_checked_with_n8n_messages() {
        let message = |list: Value| parameters(Some(&list)).unwrap_err().message;
        assert!(
            message(json!({"parameters": [{"type": "qs", "name": "", "value": ""}]}))
                .starts_with("At least one entry")
        );
        assert_eq!(
            message(
                json!({"parameters": [{"name": "a", "value": "1"}, {"name": "", "value": "2"}]})
            ),
            "Parameter name must be set for parameter [2] in pagination settings"
        );
        assert_eq!(
            message(json!({"parameters": [{"type": "path", "name": "a", "value": "1"}]})),
            "Parameter type must be one of: body, headers, qs for parameter [1] in pagination settings"
        );
        assert!(
            message(
                json!({"parameters": [{"name": "a", "value": ""}, {"name": "b", "value": "1"}]})
            )
            .ends_with("omitting it will result in an infinite loop")
        );
    }
}
