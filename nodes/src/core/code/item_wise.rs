//! When Code run once for each item may be streamed: its code reads nothing but the item it
//! runs for. A streamed Code node runs over its input batch by batch, each batch in a fresh
//! sandbox, so the code must not see other items (`items`, `$input.all()`, `$('Node')`), its
//! position in the input (`$itemIndex`) or state kept in the sandbox's globals between items.
//! Decided from the code's words, conservatively: a word in a comment or a string counts too.

/// The `$` names the code may use: the current item, the run's facts and n8n's helpers.
const ITEM_NAMES: &[&str] = &[
    "json",
    "binary",
    "now",
    "today",
    "workflow",
    "execution",
    "jmespath",
    "ifEmpty",
    "if",
    "min",
    "max",
];

/// Words that reach other items or the sandbox's globals.
const GLOBAL_WORDS: &[&str] = &[
    "items",
    "globalThis",
    "this",
    "global",
    "eval",
    "Function",
    "getWorkflowStaticData",
];

/// True when `code` reads only the item it runs for (see the module).
pub(super) fn reads_only_its_item(code: &str) -> bool {
    let mut rest = code;
    while let Some(start) = rest.find(|c: char| c == '$' || is_word(c)) {
        rest = &rest[start..];
        let end = rest[1..]
            .find(|c: char| !is_word(c))
            .map_or(rest.len(), |at| at + 1);
        let (word, after) = rest.split_at(end);
        let allowed = match word.strip_prefix('$') {
            Some("input") => after.starts_with(".item") && !after[5..].starts_with(is_word),
            Some(name) => ITEM_NAMES.contains(&name),
            None => !GLOBAL_WORDS.contains(&word),
        };
        if !allowed {
            return false;
        }
        rest = after;
    }
    true
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_code_that_reads_its_own_item_is_item_wise() {
        for (code, expected) in [
            (
                "return { json: { id: $json.n, double: $json.n * 2 } };",
                true,
            ),
            (
                "const x = $input.item.json.a; return { x, at: $now.toISO() };",
                true,
            ),
            ("item.json.seen = true; return item;", true),
            ("return { a: $json.itemsCount, b: $json.this_one };", true),
            ("return { n: $itemIndex };", false),
            ("return { n: $input.all().length };", false),
            ("return { n: $input.first().json.a };", false),
            ("return { n: $input.items };", false),
            ("return { n: $('Other').item.json.a };", false),
            ("return { n: $node['Other'].json.a };", false),
            ("return { n: items.length };", false),
            (
                "globalThis.count = (globalThis.count ?? 0) + 1; return {};",
                false,
            ),
            (
                "const s = $getWorkflowStaticData('node'); return {};",
                false,
            ),
            ("return { f: Function('return this')() };", false),
            ("return $items('Other')[0];", false),
        ] {
            assert_eq!(reads_only_its_item(code), expected, "{code}");
        }
    }
}
