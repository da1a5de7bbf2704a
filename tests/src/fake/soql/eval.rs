//! Runs a [`Plan`] over the store: filters every record of the table, sorts, applies OFFSET and
//! LIMIT, and returns the matching record numbers (rendered page by page later).

use super::compile::{Filter, Op, Path, Plan};
use crate::fake::render::field_index;
use crate::fake::store::{RowRef, Store};
use crate::fake::value::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Numbers of the records `plan` selects; `all` includes deleted records (queryAll).
pub fn run(store: &Store, plan: &Plan, now: i64, all: bool) -> Vec<u64> {
    let table = store.get(plan.table);
    let mut hits: Vec<u64> = table
        .numbers()
        .filter(|&n| {
            table.row(n, now).is_some_and(|row| {
                (all || !row.is_deleted())
                    && plan
                        .filter
                        .as_ref()
                        .is_none_or(|f| matches(store, plan.table, row, f, now))
            })
        })
        .collect();
    if !plan.order.is_empty() {
        let mut keyed: Vec<(Vec<Value>, u64)> = hits
            .iter()
            .filter_map(|&n| {
                let row = table.row(n, now)?;
                let keys = plan
                    .order
                    .iter()
                    .map(|(p, _, _)| resolve(store, plan.table, row, p, now).into_owned())
                    .collect();
                Some((keys, n))
            })
            .collect();
        keyed.sort_by(|(a, _), (b, _)| {
            plan.order
                .iter()
                .zip(a.iter().zip(b))
                .map(|((_, desc, nulls_first), (x, y))| order_values(x, y, *desc, *nulls_first))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
        hits = keyed.into_iter().map(|(_, n)| n).collect();
    }
    let offset = usize::try_from(plan.offset)
        .unwrap_or(usize::MAX)
        .min(hits.len());
    hits.drain(..offset);
    if let Some(limit) = plan.limit {
        hits.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    hits
}

fn order_values(a: &Value, b: &Value, desc: bool, nulls_first: bool) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => {
            if nulls_first {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (_, Value::Null) => {
            if nulls_first {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        _ if desc => b.sort_cmp(a),
        _ => a.sort_cmp(b),
    }
}

/// The value at the end of `path`, following references (null when a parent is missing).
pub fn resolve<'a>(
    store: &'a Store,
    table: usize,
    row: RowRef<'a>,
    path: &Path,
    now: i64,
) -> Cow<'a, Value> {
    let (mut table, mut row) = (table, row);
    for &(ref_idx, on, _) in &path.hops {
        let parent = field_index(store, on, table, ref_idx)
            .map(|i| row.get(store, i))
            .and_then(|id| id.as_str().and_then(|id| store.record(id, now)));
        let Some((t, _, r)) = parent else {
            return Cow::Owned(Value::Null);
        };
        (table, row) = (t, r);
    }
    match field_index(store, path.leaf.1, table, path.leaf.0) {
        Some(i) => row.get(store, i),
        None => Cow::Owned(Value::Null),
    }
}

fn matches(store: &Store, table: usize, row: RowRef<'_>, filter: &Filter, now: i64) -> bool {
    let value = |p: &Path| resolve(store, table, row, p, now);
    match filter {
        Filter::And(parts) => parts.iter().all(|f| matches(store, table, row, f, now)),
        Filter::Or(parts) => parts.iter().any(|f| matches(store, table, row, f, now)),
        Filter::Not(inner) => !matches(store, table, row, inner, now),
        Filter::IsNull(p, want_null) => (*value(p) == Value::Null) == *want_null,
        Filter::Compare(p, op, lit) => compare(&value(p), *op, lit),
        Filter::Range(p, op, start, end) => {
            let v = value(p);
            let (after_start, before_end) = (compare(&v, Op::Ge, start), compare(&v, Op::Lt, end));
            match op {
                Op::Eq => after_start && before_end,
                Op::Ne => !(after_start && before_end) && *v != Value::Null,
                Op::Lt => compare(&v, Op::Lt, start),
                Op::Le => before_end,
                Op::Gt => compare(&v, Op::Ge, end),
                Op::Ge => after_start,
            }
        }
        Filter::In(p, negated, list) => {
            let v = value(p);
            let found = list.iter().any(|lit| compare(&v, Op::Eq, lit));
            found != *negated && (*v != Value::Null || !*negated)
        }
        Filter::Like(p, negated, pattern) => match value(p).as_str() {
            Some(text) => {
                like(&text.to_lowercase().chars().collect::<Vec<_>>(), pattern) != *negated
            }
            None => false,
        },
        Filter::Includes(p, includes, wanted) => {
            let v = value(p);
            let chosen: Vec<String> = v
                .as_str()
                .map(|s| s.split(';').map(|x| x.trim().to_lowercase()).collect())
                .unwrap_or_default();
            let any = wanted.iter().any(|w| {
                w.split(';')
                    .all(|part| chosen.iter().any(|c| c == part.trim()))
            });
            any == *includes
        }
    }
}

fn compare(value: &Value, op: Op, lit: &Value) -> bool {
    if *lit == Value::Null {
        return match op {
            Op::Eq => *value == Value::Null,
            Op::Ne => *value != Value::Null,
            _ => false,
        };
    }
    let Some(order) = value.compare(lit) else {
        return op == Op::Ne && *value == Value::Null;
    };
    match op {
        Op::Eq => order == Ordering::Equal,
        Op::Ne => order != Ordering::Equal,
        Op::Lt => order == Ordering::Less,
        Op::Le => order != Ordering::Greater,
        Op::Gt => order == Ordering::Greater,
        Op::Ge => order != Ordering::Less,
    }
}

/// SQL LIKE over lower-cased characters: `%` any run, `_` one character, `\%` `\_` literal.
/// Dynamic programming over pattern positions, so long values cannot blow the stack.
fn like(text: &[char], pattern: &[char]) -> bool {
    enum Tok {
        Any,
        One,
        Lit(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.iter();
    while let Some(&c) = chars.next() {
        toks.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One,
            '\\' => Tok::Lit(chars.next().copied().unwrap_or('\\')),
            c => Tok::Lit(c),
        });
    }
    let m = toks.len();
    let mut dp = vec![false; m + 1];
    dp[0] = true;
    for j in 0..m {
        dp[j + 1] = dp[j] && matches!(toks[j], Tok::Any);
    }
    for &c in text {
        let mut next = vec![false; m + 1];
        for (j, tok) in toks.iter().enumerate() {
            next[j + 1] = match tok {
                Tok::Any => dp[j + 1] || next[j],
                Tok::One => dp[j],
                Tok::Lit(x) => dp[j] && *x == c,
            };
        }
        dp = next;
    }
    dp[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn like_patterns() {
        assert!(like(&chars("acme corp"), &chars("acme%")));
        assert!(like(&chars("acme"), &chars("a_me")));
        assert!(!like(&chars("acme"), &chars("b%")));
        assert!(like(&chars("50%"), &chars("50\\%")));
        assert!(!like(&chars("500"), &chars("50\\%")));
    }

    #[test]
    fn null_semantics() {
        assert!(compare(&Value::Null, Op::Eq, &Value::Null));
        assert!(!compare(&Value::Null, Op::Lt, &Value::Int(3)));
        assert!(compare(&Value::Null, Op::Ne, &Value::Int(3)));
    }
}
