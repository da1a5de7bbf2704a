//! `js_sort` against V8: `v8_cases.json` holds arrays sorted by node's `Array.prototype.sort`
//! with consistent, inconsistent and "missing value" comparators (lengths 0 to 700, so binary
//! insertion, merges and galloping all run), and weft must give the same order.

use std::cmp::Ordering;

use proptest::prelude::*;
use serde::Deserialize;

use super::js_sort;

#[derive(Deserialize)]
struct Case {
    comparator: String,
    input: Vec<i64>,
    output: Vec<i64>,
}

/// The comparators of the generator script, as numbers turned into orderings the way V8 reads them.
fn comparator(name: &str) -> fn(&i64, &i64) -> Ordering {
    match name {
        "inconsistent" => |a, b| (((a * 31 + b * 17) % 5) - 2).cmp(&0),
        "buckets" => |a, b| ((a >> 3) - (b >> 3)).cmp(&0),
        "missing" => |a, b| {
            if a == b {
                Ordering::Equal
            } else if *a < 0 || *b < 0 || a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        },
        other => panic!("unknown comparator {other}"),
    }
}

#[test]
fn orders_as_v8_does_even_for_inconsistent_comparators() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("v8_cases.json")).unwrap();
    assert!(cases.len() > 100);
    for case in cases {
        let mut list = case.input.clone();
        js_sort(&mut list, comparator(&case.comparator));
        assert_eq!(
            list,
            case.output,
            "{} over {} elements",
            case.comparator,
            case.input.len()
        );
    }
}

proptest! {
    #[test]
    fn a_total_order_sorts_stably_like_the_standard_library(list in proptest::collection::vec(0u8..20, 0..400)) {
        let mut tagged: Vec<(u8, usize)> = list.iter().copied().zip(0..).collect();
        let mut expected = tagged.clone();
        expected.sort_by_key(|(key, _)| *key);
        js_sort(&mut tagged, |a, b| a.0.cmp(&b.0));
        prop_assert_eq!(tagged, expected);
    }
}
