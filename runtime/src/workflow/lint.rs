//! What n8n finds only when a node runs, found from the workflow JSON alone (for `weft check`):
//! an expression whose JavaScript does not compile ("invalid syntax"), and `$('Name')`,
//! `$node["Name"]` or `$items("Name")` naming a node the workflow does not have ("Referenced node
//! doesn't exist").

use std::collections::HashSet;

use serde_json::Value;
use weft_credentials::FieldError;

use crate::expressions::{SyntaxCheck, code_parts};

/// Every such problem of `document`'s node parameters, with its JSON path.
pub fn run_time_problems(document: &Value, syntax: &SyntaxCheck) -> Vec<FieldError> {
    let nodes = document
        .get("nodes")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let names: HashSet<&str> = nodes
        .iter()
        .filter_map(|node| node.get("name")?.as_str())
        .collect();
    let mut problems = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        if let Some(parameters) = node.get("parameters") {
            let path = format!("nodes[{index}].parameters");
            visit_strings(parameters, &path, &mut |path, text| {
                for code in code_parts(text) {
                    check_code(code, path, &names, syntax, &mut problems);
                }
            });
        }
    }
    problems
}

fn check_code(
    code: &str,
    path: &str,
    names: &HashSet<&str>,
    syntax: &SyntaxCheck,
    problems: &mut Vec<FieldError>,
) {
    if let Some(error) = syntax.error(code) {
        problems.push(FieldError::new(
            path,
            format!("the expression {{{{ {code} }}}} does not compile: {error}"),
            "n8n fails the node with \"invalid syntax\" when it runs: fix the JavaScript between {{ and }}",
        ));
    }
    for name in referenced_nodes(code) {
        if !names.contains(name.as_str()) {
            problems.push(FieldError::new(
                path,
                format!("the expression {{{{ {code} }}}} reads node \"{name}\", which is not a node of this workflow"),
                "n8n fails the node with \"Referenced node doesn't exist\" when it runs: use an existing node's name (renamed nodes keep their old name in expressions)",
            ));
        }
    }
}

/// The node names in `$('Name')`, `$node["Name"]` and `$items("Name")`: string literals only.
fn referenced_nodes(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (opener, closer) in [("$(", ')'), ("$node[", ']'), ("$items(", ')')] {
        let mut rest = code;
        while let Some(at) = rest.find(opener) {
            let preceded_by_identifier = code[..code.len() - rest.len() + at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
            rest = &rest[at + opener.len()..];
            if preceded_by_identifier {
                continue;
            }
            if let Some((name, after)) = string_literal(rest.trim_start())
                && after.trim_start().starts_with([closer, ','])
            {
                names.push(name);
            }
        }
    }
    names
}

/// A leading `'…'`, `"…"` or plain `` `…` `` literal (escapes resolved) and what follows it.
fn string_literal(text: &str) -> Option<(String, &str)> {
    let quote = text
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let mut value = String::new();
    let mut chars = text[1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?.1),
            '$' if quote == '`' && text[1 + offset..].starts_with("${") => return None,
            c if c == quote => return Some((value, &text[1 + offset + 1..])),
            c => value.push(c),
        }
    }
    None
}

/// Calls `f` with the JSON path and text of every string in `value`.
fn visit_strings(value: &Value, path: &str, f: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(text) => f(path, text),
        Value::Array(values) => values
            .iter()
            .enumerate()
            .for_each(|(index, v)| visit_strings(v, &format!("{path}[{index}]"), f)),
        Value::Object(map) => map
            .iter()
            .for_each(|(key, v)| visit_strings(v, &format!("{path}.{key}"), f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn node_references() {
        assert_eq!(
            referenced_nodes(
                r#"$('Edit Fields').item.json.a + $node["It's"].json.b + $items('X', 0)"#
            ),
            ["Edit Fields", "It's", "X"]
        );
        assert!(referenced_nodes("$(`${name}`).first() + my$('A')").is_empty());
    }

    #[test]
    fn problems_have_paths() {
        let document = json!({"nodes": [
            {"name": "A", "parameters": {"x": "={{ $('A').first().json.a }}"}},
            {"name": "B", "parameters": {"list": [{"v": "=a {{ $json.b. }} {{ $('Gone').item }}"}], "plain": "{{ $json. }}"}}
        ]});
        let problems = run_time_problems(&document, &SyntaxCheck::new().unwrap());
        let found: Vec<(&str, bool)> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.message.contains("Gone")))
            .collect();
        assert_eq!(
            found,
            [
                ("nodes[1].parameters.list[0].v", false),
                ("nodes[1].parameters.list[0].v", true)
            ]
        );
    }
}
