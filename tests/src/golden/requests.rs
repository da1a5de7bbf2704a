//! Compares the requests weft made with the recorded ones, in order, as the golden README asks:
//! method, decoded path (API version normalized, the object name after `sobjects/` compared
//! ignoring case, as Salesforce does), decoded query, `Authorization`, `Content-Type` (only when
//! the recorded request has a body: n8n sends `application/json` on every GET), the body (JSON as
//! an object, form fields, multipart parts) and the token call's JWT claims. `User-Agent`,
//! `Accept`, `Accept-Encoding`, `Connection`, `Host` and `Content-Length` are ignored. The `q`
//! that n8n re-sends on page requests (`/query/<locator>`) may be left out: the locator alone
//! names the page and weft follows `nextRecordsUrl` verbatim.

use super::call::{Body, Call, Segment};
use super::diff::{Difference, Mode, first_difference, show};

/// The first difference between the recorded calls and weft's (composite calls already
/// expanded), as `request N: ...`.
pub fn compare(expected: &[Call], actual: &[Call]) -> Option<String> {
    for (index, pair) in expected.iter().zip(actual).enumerate() {
        if let Some(difference) = compare_call(pair.0, pair.1) {
            return Some(format!("request {}: {difference}", index + 1));
        }
    }
    let number = expected.len().min(actual.len()) + 1;
    match (expected.get(number - 1), actual.get(number - 1)) {
        (Some(missing), None) => Some(format!(
            "request {number}: expected {}, weft sent no more requests ({} in all, n8n sent {})",
            missing.describe(),
            actual.len(),
            expected.len()
        )),
        (None, Some(extra)) => Some(format!(
            "request {number}: weft sent {} beyond n8n's {} requests",
            extra.describe(),
            expected.len()
        )),
        _ => None,
    }
}

/// The first difference between one recorded call and weft's.
fn compare_call(want: &Call, got: &Call) -> Option<String> {
    if want.method != got.method || !same_path(want, got) {
        return Some(format!(
            "expected {}, got {}",
            want.describe(),
            got.describe()
        ));
    }
    if let Some(problem) = encoding_problem(want, got) {
        return Some(problem);
    }
    if let Some(problem) = compare_query(want, got) {
        return Some(problem);
    }
    if want.authorization != got.authorization {
        return Some(format!(
            "{}: Authorization {:?} expected, got {:?}",
            got.describe(),
            want.authorization,
            got.authorization
        ));
    }
    if want.body != Body::Empty && want.content_type != got.content_type {
        return Some(format!(
            "{}: Content-Type {:?} expected, got {:?}",
            got.describe(),
            want.content_type,
            got.content_type
        ));
    }
    if let Some(problem) = compare_body(&want.body, &got.body, "body") {
        return Some(format!("{}: {problem}", got.describe()));
    }
    if let (Some(want_jwt), Some(got_jwt)) = (&want.jwt, &got.jwt)
        && let Some(difference) = first_difference(want_jwt, got_jwt, "jwt", Mode::Exact)
    {
        return Some(format!("{}: {difference}", got.describe()));
    }
    None
}

/// Same segments, decoded; wildcards match anything, object names ignore case.
fn same_path(want: &Call, got: &Call) -> bool {
    want.segments.len() == got.segments.len()
        && want
            .segments
            .iter()
            .zip(&got.segments)
            .enumerate()
            .all(|(index, (w, g))| {
                let object_name = index > 0 && want.segments[index - 1].raw == "sobjects";
                match (&w.decoded, &g.decoded) {
                    (Some(w), Some(g)) if object_name => w.eq_ignore_ascii_case(g),
                    (Some(w), Some(g)) => w == g,
                    _ => true,
                }
            })
}

/// A segment that must be percent-encoded but was not.
fn encoding_problem(want: &Call, got: &Call) -> Option<String> {
    want.segments
        .iter()
        .zip(&got.segments)
        .filter(|(w, _)| w.require_encoded)
        .find_map(|(w, g): (&Segment, &Segment)| {
            let raw: String = g.unencoded_characters().into_iter().collect();
            (!raw.is_empty()).then(|| {
                format!(
                    "{}: path segment {:?} must be percent-encoded (n8n sent {:?} unencoded), got {:?} with {raw:?} unencoded",
                    got.describe(),
                    g.decoded.as_deref().unwrap_or_default(),
                    w.raw,
                    g.raw
                )
            })
        })
}

/// Query parameters; `q` may be absent from page requests.
fn compare_query(want: &Call, got: &Call) -> Option<String> {
    let page_request = matches!(
        want.api_segments()
            .map(|rest| rest
                .iter()
                .filter_map(|s| s.decoded.as_deref())
                .collect::<Vec<_>>())
            .as_deref(),
        Some(["query" | "queryAll", _])
    );
    let mut want_query = want.query.clone();
    if page_request && !got.query.contains_key("q") {
        want_query.remove("q");
    }
    let keys = want_query.keys().chain(got.query.keys());
    for key in keys {
        let (w, g) = (want_query.get(key), got.query.get(key));
        if w != g {
            let show = |values: Option<&Vec<String>>| match values {
                None => "nothing".to_owned(),
                Some(values) => format!("{:?}", values.join(",")),
            };
            return Some(format!(
                "{}: query {key}: expected {}, got {}",
                got.describe(),
                show(w),
                show(g)
            ));
        }
    }
    None
}

/// The first difference between two bodies, with `path` naming the place.
fn compare_body(want: &Body, got: &Body, path: &str) -> Option<String> {
    match (want, got) {
        (Body::Json(w), Body::Json(g)) => {
            first_difference(w, g, path, Mode::Exact).map(|d: Difference| d.to_string())
        }
        (Body::Multipart(w), Body::Multipart(g)) => {
            if w.len() != g.len() {
                return Some(format!(
                    "{path}: expected {} multipart parts, got {}",
                    w.len(),
                    g.len()
                ));
            }
            w.iter().zip(g).enumerate().find_map(|(index, (w, g))| {
                let here = format!("{path} part {}", index + 1);
                if w.headers != g.headers {
                    Some(format!(
                        "{here}: headers {:?} expected, got {:?}",
                        w.headers, g.headers
                    ))
                } else {
                    compare_body(&w.body, &g.body, &here)
                }
            })
        }
        _ if want == got => None,
        _ => Some(format!(
            "{path}: expected {}, got {}",
            describe_body(want),
            describe_body(got)
        )),
    }
}

/// A body in a few words.
fn describe_body(body: &Body) -> String {
    match body {
        Body::Empty => "no body".to_owned(),
        Body::Json(value) => format!("JSON {}", show(value)),
        Body::Form(fields) => format!("form {fields:?}"),
        Body::Multipart(parts) => format!("{} multipart parts", parts.len()),
        Body::Text(text) => format!("text {}", show(&text.as_str().into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(method: &str, path: &str, query: &str, body: &str) -> Call {
        let line = json!({"method": method, "path": path, "rawQuery": query,
            "headers": {"Authorization": "Bearer t.1", "Content-Type": "application/json", "User-Agent": "x"},
            "body": body});
        Call::from_log_line(&line.to_string(), 1).unwrap()
    }

    #[test]
    fn version_and_key_order_do_not_matter() {
        let want = [call(
            "POST",
            "/services/data/v59.0/sobjects/account",
            "",
            r#"{"Name":"A","Type":"B"}"#,
        )];
        let got = [call(
            "POST",
            "/services/data/v66.0/sobjects/Account",
            "",
            r#"{"Type":"B","Name":"A"}"#,
        )];
        assert_eq!(compare(&want, &got), None);
    }

    #[test]
    fn body_difference_in_words() {
        let want = [call(
            "POST",
            "/services/data/v59.0/sobjects/account",
            "",
            r#"{"Name":"A"}"#,
        )];
        let got = [call(
            "POST",
            "/services/data/v66.0/sobjects/account",
            "",
            r#"{"Name":"B"}"#,
        )];
        assert_eq!(
            compare(&want, &got).unwrap(),
            r#"request 1: POST /services/data/vXX/sobjects/account: body.Name: expected "A", got "B""#
        );
    }

    #[test]
    fn path_and_count_differences() {
        let want = [
            call("GET", "/services/data/v59.0/sobjects/account/001A", "", ""),
            call("GET", "/services/data/v59.0/sobjects/account/001B", "", ""),
        ];
        let got = [call(
            "GET",
            "/services/data/v66.0/sobjects/account/001C",
            "",
            "",
        )];
        assert_eq!(
            compare(&want, &got).unwrap(),
            "request 1: expected GET /services/data/vXX/sobjects/account/001A, got GET /services/data/vXX/sobjects/account/001C"
        );
        let got = [call(
            "GET",
            "/services/data/v66.0/sobjects/account/001A",
            "",
            "",
        )];
        assert!(
            compare(&want, &got)
                .unwrap()
                .starts_with("request 2: expected GET")
        );
        assert!(
            compare(&want[..1], &want)
                .unwrap()
                .contains("beyond n8n's 1 requests")
        );
    }

    #[test]
    fn query_compared_decoded_and_page_q_optional() {
        let want = [
            call(
                "GET",
                "/services/data/v59.0/query",
                "q=SELECT%20Id%20FROM%20Account",
                "",
            ),
            call(
                "GET",
                "/services/data/v59.0/query/01gX-2",
                "q=SELECT%20Id%20FROM%20Account",
                "",
            ),
        ];
        let got = [
            call(
                "GET",
                "/services/data/v66.0/query",
                "q=SELECT+Id+FROM+Account",
                "",
            ),
            call("GET", "/services/data/v66.0/query/01gX-2", "", ""),
        ];
        assert_eq!(compare(&want, &got), None);
        let got = [call(
            "GET",
            "/services/data/v66.0/query",
            "q=SELECT%20Name%20FROM%20Account",
            "",
        )];
        assert!(compare(&want[..1], &got).unwrap().contains(
            r#"query q: expected "SELECT Id FROM Account", got "SELECT Name FROM Account""#
        ));
    }

    #[test]
    fn content_type_only_with_a_body() {
        let want = [call(
            "GET",
            "/services/data/v59.0/sobjects/account/001A",
            "",
            "",
        )];
        let mut got = want.clone();
        got[0].content_type = None;
        assert_eq!(compare(&want, &got), None);
        let want = [call(
            "PATCH",
            "/services/data/v59.0/sobjects/account/001A",
            "",
            "{}",
        )];
        let mut got = want.clone();
        got[0].content_type = Some("text/plain".into());
        assert!(compare(&want, &got).unwrap().contains("Content-Type"));
    }

    #[test]
    fn required_encoding() {
        let mut want = [call(
            "PATCH",
            "/services/data/v59.0/sobjects/account/External_Id__c/A&B%201",
            "",
            "",
        )];
        want[0].segments[6].require_encoded = true;
        let raw = [call(
            "PATCH",
            "/services/data/v66.0/sobjects/account/External_Id__c/A&B%201",
            "",
            "",
        )];
        assert!(
            compare(&want, &raw)
                .unwrap()
                .contains("must be percent-encoded")
        );
        let encoded = [call(
            "PATCH",
            "/services/data/v66.0/sobjects/account/External_Id__c/A%26B%201",
            "",
            "",
        )];
        assert_eq!(compare(&want, &encoded), None);
    }

    #[test]
    fn empty_versus_json_body() {
        let want = [call(
            "PATCH",
            "/services/data/v59.0/sobjects/account/001A",
            "",
            "",
        )];
        let got = [call(
            "PATCH",
            "/services/data/v66.0/sobjects/account/001A",
            "",
            "{}",
        )];
        assert!(
            compare(&want, &got)
                .unwrap()
                .ends_with("body: expected no body, got JSON {}")
        );
    }
}
