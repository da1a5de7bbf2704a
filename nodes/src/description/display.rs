//! `displayOptions`: when a parameter (or a credential slot) applies, decided by the values of
//! other parameters and by the node's typeVersion (`@version`), as in n8n.

use serde_json::Value;

use super::literal::{Literal, number};

/// The key that refers to the node's typeVersion instead of a parameter.
pub const VERSION_KEY: &str = "@version";

/// One accepted value of a `show`/`hide` entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Condition {
    /// Equal to this value.
    Is(Literal),
    /// A number at least this (n8n's `{ _cnd: { gte } }`).
    Gte(f64),
    /// A number below this (n8n's `{ _cnd: { lt } }`).
    Lt(f64),
}

/// The condition that a parameter is the text `value` (n8n's `show: { name: ['value'] }`).
pub const fn is(value: &'static str) -> Condition {
    Condition::Is(Literal::String(value))
}

impl Condition {
    fn holds(&self, value: &Value) -> bool {
        match self {
            Condition::Is(literal) => literal.matches(value),
            Condition::Gte(bound) => value.as_f64().is_some_and(|actual| actual >= *bound),
            Condition::Lt(bound) => value.as_f64().is_some_and(|actual| actual < *bound),
        }
    }
}

/// Display conditions by parameter name: what `show` and `hide` hold.
pub type Show = &'static [(&'static str, &'static [Condition])];

/// `show`: every named parameter must hold one of its conditions; `hide`: the parameter is hidden
/// when any named parameter holds one of its conditions. Keys are parameter names (a leading `/`
/// means the node's top level, as in n8n) or [`VERSION_KEY`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DisplayOptions {
    /// Conditions that must all hold.
    pub show: Show,
    /// Conditions of which none may hold.
    pub hide: Show,
}

impl DisplayOptions {
    /// Always shown.
    pub const ALWAYS: DisplayOptions = DisplayOptions {
        show: &[],
        hide: &[],
    };

    /// True when the options let the parameter show, given the node's `version` and `lookup`,
    /// which returns the resolved value of a top-level parameter.
    pub fn allows<'v>(&self, version: f64, lookup: impl Fn(&str) -> Option<&'v Value>) -> bool {
        let version = number(version);
        let value_of = |key: &str| -> Option<&Value> {
            if key == VERSION_KEY {
                Some(&version)
            } else {
                lookup(key.trim_start_matches('/'))
            }
        };
        let shown = self.show.iter().all(|(key, conditions)| {
            value_of(key).is_some_and(|value| conditions.iter().any(|c| c.holds(value)))
        });
        let hidden = self.hide.iter().any(|(key, conditions)| {
            value_of(key).is_some_and(|value| conditions.iter().any(|c| c.holds(value)))
        });
        shown && !hidden
    }

    /// The parameter names (not `@version`) these options read.
    pub fn dependencies(&self) -> impl Iterator<Item = &'static str> {
        self.show
            .iter()
            .chain(self.hide)
            .map(|(key, _)| key.trim_start_matches('/'))
            .filter(|key| *key != VERSION_KEY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const JWT_ONLY_FROM_1_1: DisplayOptions = DisplayOptions {
        show: &[
            ("authentication", &[Condition::Is(Literal::String("jwt"))]),
            (VERSION_KEY, &[Condition::Gte(1.1)]),
        ],
        hide: &[("/returnAll", &[Condition::Is(Literal::Bool(true))])],
    };

    #[test]
    fn show_needs_every_key_and_hide_any() {
        let values = json!({ "authentication": "jwt", "returnAll": false });
        let lookup = |key: &str| values.get(key);
        assert!(JWT_ONLY_FROM_1_1.allows(1.1, lookup));
        assert!(
            !JWT_ONLY_FROM_1_1.allows(1.0, lookup),
            "version below the bound"
        );
        let hidden = json!({ "authentication": "jwt", "returnAll": true });
        assert!(!JWT_ONLY_FROM_1_1.allows(2.0, |key| hidden.get(key)));
        let absent = json!({});
        assert!(
            !JWT_ONLY_FROM_1_1.allows(2.0, |key| absent.get(key)),
            "an absent value shows nothing"
        );
        assert_eq!(
            JWT_ONLY_FROM_1_1.dependencies().collect::<Vec<_>>(),
            ["authentication", "returnAll"]
        );
    }
}
