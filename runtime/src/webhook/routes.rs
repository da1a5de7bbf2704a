//! Which webhook a request path means: n8n's production URLs `/webhook/<path>`, and for a path
//! with `:name` parameters `/webhook/<webhookId>/<path>`, the parameters taken from the request's
//! segments. Two webhooks on the same path and method are refused at activation, as n8n refuses
//! the second.

use serde_json::{Map, Value};

/// One segment of a registered path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// Must be this text.
    Fixed(String),
    /// Any text, given to the node as this parameter.
    Parameter(String),
}

/// A webhook's registered path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutePath {
    /// The path under `/webhook/` as n8n prints it.
    pub text: String,
    segments: Vec<Segment>,
}

impl RoutePath {
    /// The registered path of a node's `path` (slashes trimmed) and `webhookId`: the path
    /// itself, or with parameters the id in front; an empty path is the id. `None` when the
    /// path needs an id the node lacks.
    pub fn new(path: &str, webhook_id: Option<&str>) -> Option<Self> {
        let path = path.trim_matches('/');
        let has_parameters = path.split('/').any(|segment| segment.starts_with(':'));
        let text = match (path.is_empty() || has_parameters, webhook_id) {
            (false, _) => path.to_owned(),
            (true, Some(id)) if path.is_empty() => id.to_owned(),
            (true, Some(id)) => format!("{id}/{path}"),
            (true, None) => return None,
        };
        let segments = text
            .split('/')
            .map(|segment| match segment.strip_prefix(':') {
                Some(name) => Segment::Parameter(name.to_owned()),
                None => Segment::Fixed(segment.to_owned()),
            })
            .collect();
        Some(Self { text, segments })
    }

    /// The path's parameters when `requested` (the part after `/webhook/`, percent-decoded
    /// segments) is this path.
    pub fn matches(&self, requested: &[String]) -> Option<Map<String, Value>> {
        if requested.len() != self.segments.len() {
            return None;
        }
        let mut params = Map::new();
        for (segment, given) in self.segments.iter().zip(requested) {
            match segment {
                Segment::Fixed(text) if text == given => {}
                Segment::Fixed(_) => return None,
                Segment::Parameter(name) => {
                    params.insert(name.clone(), Value::String(given.clone()));
                }
            }
        }
        Some(params)
    }
}

/// The request path's segments after `/webhook/`, percent-decoded.
pub fn requested_segments(rest: &str) -> Vec<String> {
    rest.trim_matches('/')
        .split('/')
        .map(|segment| {
            String::from_utf8_lossy(&urlencoding::decode_binary(segment.as_bytes())).into_owned()
        })
        .collect()
}

/// n8n's text for a request no webhook takes: unknown path, or a method the path lacks.
pub fn not_registered(method: &str, path: &str, methods: &[String]) -> String {
    match methods {
        [] => format!("The requested webhook \"{method} {path}\" is not registered."),
        [only] => format!(
            "This webhook is not registered for {method} requests. Did you mean to make a {only} request?"
        ),
        [rest @ .., last] => format!(
            "This webhook is not registered for {method} requests. Did you mean to make a {} or {last} request?",
            rest.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn segments(path: &str) -> Vec<String> {
        requested_segments(path)
    }

    #[test]
    fn paths_with_parameters_carry_the_webhook_id_and_fill_params() {
        let fixed = RoutePath::new("/new-hire/", Some("id-1")).unwrap();
        assert_eq!(fixed.text, "new-hire");
        assert_eq!(fixed.matches(&segments("new-hire")), Some(Map::new()));
        assert_eq!(fixed.matches(&segments("new-hire/x")), None);
        let dynamic = RoutePath::new("user/:id/:action", Some("abc")).unwrap();
        assert_eq!(dynamic.text, "abc/user/:id/:action");
        let params = dynamic.matches(&segments("abc/user/42/caf%C3%A9")).unwrap();
        assert_eq!(Value::Object(params), json!({"id": "42", "action": "café"}));
        assert_eq!(dynamic.matches(&segments("zzz/user/42/x")), None);
        assert_eq!(RoutePath::new("", Some("abc")).unwrap().text, "abc");
        assert_eq!(RoutePath::new("a/:b", None), None);
    }

    #[test]
    fn unregistered_requests_are_named_as_n8n_names_them() {
        assert_eq!(
            not_registered("GET", "p", &[]),
            "The requested webhook \"GET p\" is not registered."
        );
        assert_eq!(
            not_registered("GET", "p", &["POST".into()]),
            "This webhook is not registered for GET requests. Did you mean to make a POST request?"
        );
        assert_eq!(
            not_registered("GET", "p", &["POST".into(), "PUT".into(), "PATCH".into()]),
            "This webhook is not registered for GET requests. Did you mean to make a POST, PUT or PATCH request?"
        );
    }
}
