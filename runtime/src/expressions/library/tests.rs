//! The library's behaviour, family by family: each case is an expression and n8n's answer (a
//! value, or the exact error), evaluated through the whole expression engine.

use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use serde_json::{Value, json};
use weft_nodes::Item;

use crate::expressions::{Expressions, RunFacts, RunLog, Scope};

fn engine(zone: Tz) -> Expressions {
    let facts = RunFacts {
        workflow: json!({ "id": "wf1", "name": "Library", "active": false }),
        execution: json!({ "id": "1", "mode": "cli" }),
        zone,
    };
    Expressions::new(facts, Duration::from_secs(5))
}

fn scope() -> Scope {
    let json = json!({ "email": "Jane Doe <jane@acme.example.com>", "n": 3 });
    Scope {
        input: Arc::new(vec![Item::new(json.as_object().unwrap().clone(), 0)]),
        item_index: 0,
        source: None,
        run_index: 0,
        log: Arc::new(RunLog::default()),
    }
}

/// Evaluates each `(expression, expected)`; an expected `Err` is the exact error message.
fn check(zone: Tz, cases: &[(&str, Result<Value, &str>)]) {
    let engine = engine(zone);
    for (expression, expected) in cases {
        let got = engine
            .resolve(&json!(format!("={{{{ {expression} }}}}")), &scope())
            .map_err(|error| error.message);
        let expected = expected.clone().map_err(str::to_owned);
        assert_eq!(got, expected, "{expression}");
    }
}

#[test]
fn string_functions() {
    check(
        Tz::UTC,
        &[
            ("'ship by sea'.toTitleCase()", Ok(json!("Ship by Sea"))),
            ("'the end of it'.toTitleCase()", Ok(json!("The End of It"))),
            ("''.toTitleCase()", Ok(json!(""))),
            (
                "'hello WORLD. bye!'.toSentenceCase()",
                Ok(json!("Hello world. Bye!")),
            ),
            (
                "'Hello World-now!'.toSnakeCase()",
                Ok(json!("hello_world_now")),
            ),
            (
                "$json.email.extractEmail()",
                Ok(json!("jane@acme.example.com")),
            ),
            ("''.extractEmail()", Ok(Value::Null)),
            (
                "'a@b.example.com'.extractDomain()",
                Ok(json!("b.example.com")),
            ),
            (
                "'https://www.n8n.io/path?q=1'.extractDomain()",
                Ok(json!("www.n8n.io")),
            ),
            (
                "'see https://n8n.io/x now'.extractUrl()",
                Ok(json!("https://n8n.io/x")),
            ),
            ("$json.email.isEmail()", Ok(json!(false))),
            ("'jane@acme.example.com'.isEmail()", Ok(json!(true))),
            ("'https://n8n.io'.isUrl()", Ok(json!(true))),
            ("'n8n.io'.isUrl()", Ok(json!(false))),
            (
                "['', 'x'].map(s => [s.isEmpty(), s.isNotEmpty()])",
                Ok(json!([[true, false], [false, true]])),
            ),
            ("'018956'.toNumber()", Ok(json!(18956))),
            ("'$12.5'.toNumber()", Ok(json!(12.5))),
            (
                "'EC1A 1BB'.toNumber()",
                Err("ExpressionExtensionError: cannot convert to number"),
            ),
            (
                "['EC1A 1BB', '12', '1e3', ''].map(s => s.isNumeric())",
                Ok(json!([false, true, true, false])),
            ),
            (
                "['yes', 'no', '0', 'false', 'true', ''].map(s => s.toBoolean())",
                Ok(json!([true, false, false, false, true, false])),
            ),
            (
                "'SO-1001'.hash()",
                Ok(json!("2ebcf085a41e7f490c3e7296ba93960d")),
            ),
            (
                "'abc'.hash('sha256')",
                Ok(json!(
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                )),
            ),
            (
                "'abc'.hash('SHA1')",
                Ok(json!("a9993e364706816aba3e25717850c26c9cd0d89d")),
            ),
            (
                "'abc'.hash('crc')",
                Err(
                    "ExpressionExtensionError: Unknown algorithm crc. Available algorithms are: md5,sha1,sha224,sha256,sha384,sha512,sha3, and Base64.",
                ),
            ),
            (
                "'<p>Hi <b>there</b></p>'.removeTags()",
                Ok(json!("Hi there")),
            ),
            ("'a b&c'.urlEncode()", Ok(json!("a%20b%26c"))),
            ("'a%20b%26c'.urlDecode()", Ok(json!("a b&c"))),
            ("'héllo'.base64Encode()", Ok(json!("aMOpbGxv"))),
            ("'aMOpbGxv'.base64Decode()", Ok(json!("héllo"))),
            ("'say \"hi\"'.quote()", Ok(json!("\"say \\\"hi\\\"\""))),
            ("'{\"a\":1}'.parseJson().a", Ok(json!(1))),
            (
                "\"{'a':1}\".parseJson()",
                Err("ExpressionExtensionError: Parsing failed. Check you're using double quotes"),
            ),
            ("'abc'.length", Ok(json!(3))),
            (
                "'Crème brûlée Straße ✓'.replaceSpecialChars()",
                Ok(json!("Creme brulee Strasse ?")),
            ),
            (
                "['https://n8n.io/a/b?c=1', 'https://n8n.io', 'nope'].map(u => u.extractUrlPath())",
                Ok(json!(["/a/b", "/", null])),
            ),
            (
                "'2024-01-05T10:00:00Z'.toDate().toISOString()",
                Ok(json!("2024-01-05T10:00:00.000Z")),
            ),
            (
                "'soon'.toDate()",
                Err("ExpressionExtensionError: cannot convert to date"),
            ),
        ],
    );
}

#[test]
fn number_and_boolean_functions() {
    check(
        Tz::UTC,
        &[
            (
                "[(1.005).round(2), (1.256).round(2), (-2.5).round()]",
                Ok(json!([1, 1.26, -3])),
            ),
            ("(2.5).round()", Ok(json!(3))),
            ("(2.7).floor() + (2.1).ceil()", Ok(json!(5))),
            (
                "[(4).isEven(), (4).isOdd(), (-3).isOdd()]",
                Ok(json!([true, false, true])),
            ),
            (
                "(1.5).isEven()",
                Err("ExpressionExtensionError: isEven() is only callable on integers"),
            ),
            (
                "[(0).toBoolean(), (2).toBoolean()]",
                Ok(json!([false, true])),
            ),
            (
                "(1704447000000).toDateTime().toISO()",
                Ok(json!("2024-01-05T09:30:00.000Z")),
            ),
            (
                "(1704447000).toDateTime('s').toISO()",
                Ok(json!("2024-01-05T09:30:00.000Z")),
            ),
            ("[true.toNumber(), false.toNumber()]", Ok(json!([1, 0]))),
            (
                "[(1234567.891).format(), (-0.5).format(), (12).format('de-DE', { minimumFractionDigits: 2 }), (1234.5678).format('en-US', { maximumFractionDigits: 1 })]",
                Ok(json!(["1,234,567.891", "-0.5", "12.00", "1,234.6"])),
            ),
        ],
    );
}

#[test]
fn array_functions() {
    check(
        Tz::UTC,
        &[
            ("[1, 2, 3].first() + [1, 2, 3].last()", Ok(json!(4))),
            (
                "[[1, 2, 3].sum(), [1, 2, 3].min(), [1, 2, 3].max(), [1, 2, 3].average()]",
                Ok(json!([6, 1, 3, 2])),
            ),
            (
                "[1, 'a'].sum()",
                Err("ExpressionExtensionError: sum(): all array elements must be numbers"),
            ),
            (
                "[1, 1, {a: 1}, {a: 1}].unique()",
                Ok(json!([1, { "a": 1 }])),
            ),
            (
                "[{a: 1, b: 1}, {a: 1, b: 2}].removeDuplicates('a')",
                Ok(json!([{ "a": 1, "b": 1 }])),
            ),
            (
                "[0, null, '', 'nil', 'x', undefined, {}, [], {a: null, b: [1]}].compact()",
                Ok(json!([0, "x", { "b": { "0": 1 } }])),
            ),
            ("[1, 2].append(3, [4])", Ok(json!([1, 2, 3, [4]]))),
            (
                "[{a: 1}, {b: 2, a: 5}].merge()",
                Ok(json!({ "a": 1, "b": 2 })),
            ),
            (
                "[{a: 1}].mergeIntoObject([{a: 2, c: 3}])",
                Ok(json!({ "a": 1, "c": 3 })),
            ),
            (
                "[1].merge(2)",
                Err(
                    "ExpressionExtensionError: merge(): expected array arg, e.g. .merge([{ id: 1, otherValue: 3 }])",
                ),
            ),
            (
                "[1].union(2)",
                Err(
                    "ExpressionExtensionError: union(): expected array arg, e.g. .union([1, 2, 3, 4])",
                ),
            ),
            (
                "[1].chunk(0)",
                Err(
                    "ExpressionExtensionError: chunk(): expected non-zero numeric arg, e.g. .chunk(5)",
                ),
            ),
            (
                "[{a: 1}].renameKeys('a')",
                Err(
                    "ExpressionExtensionError: renameKeys(): expected an even amount of args: from1, to1 [, from2, to2, ...]. e.g. .renameKeys(\"name\", \"title\")",
                ),
            ),
            ("[].average()", Ok(json!(0))),
            (
                "[{a: 1, b: 2}, {b: 3, a: 4}, 5].pluck('b', 'a')",
                Ok(json!([[1, 2], [3, 4]])),
            ),
            (
                "[{b: 1, a: 2}, {a: 2, b: 1}].unique()",
                Ok(json!([{ "b": 1, "a": 2 }])),
            ),
            ("[[].isEmpty(), [1].isNotEmpty()]", Ok(json!([true, true]))),
            ("[{a: 1, b: 2}, {a: 3}].pluck('a')", Ok(json!([1, 3]))),
            ("[1, 2, 3, 4, 5].chunk(2)", Ok(json!([[1, 2], [3, 4], [5]]))),
            ("[1, 2, 3].difference([2])", Ok(json!([1, 3]))),
            ("[1, 2, 3].intersection([3, 2, 9])", Ok(json!([2, 3]))),
            ("[1, 2].union([2, 3])", Ok(json!([1, 2, 3]))),
            ("[{a: 1}].merge([{b: 2}])", Ok(json!({ "a": 1, "b": 2 }))),
            ("[5].randomItem()", Ok(json!(5))),
            ("[{a: 1}].renameKeys('a', 'z')", Ok(json!([{ "z": 1 }]))),
            (
                "[{k: 'x', v: 1}, {k: 'y', v: 2}].smartJoin('k', 'v')",
                Ok(json!({ "x": 1, "y": 2 })),
            ),
            ("[1, 'a'].toJsonString()", Ok(json!("[1,\"a\"]"))),
        ],
    );
}

#[test]
fn object_functions() {
    check(
        Tz::UTC,
        &[
            (
                "[({}).isEmpty(), ({a: 1}).isNotEmpty()]",
                Ok(json!([true, true])),
            ),
            ("({a: 1, b: 2}).keys()", Ok(json!(["a", "b"]))),
            ("({a: 1, b: 2}).values()", Ok(json!([1, 2]))),
            (
                "[({a: 1}).hasField('a'), ({a: 1}).hasField('b')]",
                Ok(json!([true, false])),
            ),
            ("({a: 1, b: 2}).removeField('a')", Ok(json!({ "b": 2 }))),
            (
                "({a: null, b: '', c: 1, d: {e: null}}).compact()",
                Ok(json!({ "c": 1, "d": {} })),
            ),
            (
                "({a: 1}).merge({a: 2, b: 2})",
                Ok(json!({ "a": 1, "b": 2 })),
            ),
            ("({a: 1}).toJsonString()", Ok(json!("{\"a\":1}"))),
            ("({a: 'x y!', b: 1}).urlEncode()", Ok(json!("a=x+y%21&b=1"))),
            (
                "({a: 'xyz', b: 1, c: 'y'}).removeFieldsContaining('y')",
                Ok(json!({ "b": 1 })),
            ),
            (
                "({a: 'xyz', b: 1, c: 'y'}).keepFieldsContaining('y')",
                Ok(json!({ "a": "xyz", "c": "y" })),
            ),
            (
                "({a: 1}).keepFieldsContaining('')",
                Err(
                    "ExpressionExtensionError: argument of keepFieldsContaining must be a non-empty string",
                ),
            ),
            (
                "[({a: 1}).toInt(), true.toBoolean(), true.toInt(), '12'.toWholeNumber(), '1.5'.toDecimalNumber(), (2.6).toInt()]",
                Ok(json!([null, true, 1, 12, 1.5, 3])),
            ),
            (
                "Object.keys({a: 1}).length + [...Object.entries({a: 1})].length",
                Ok(json!(2)),
            ),
        ],
    );
}

#[test]
fn dates_and_luxon_in_the_workflows_zone() {
    let berlin: Tz = "Europe/Berlin".parse().unwrap();
    check(
        berlin,
        &[
            (
                "'2024-01-05'.toDateTime().toISO()",
                Ok(json!("2024-01-05T00:00:00.000+01:00")),
            ),
            (
                "'2024-07-05T09:30:00Z'.toDateTime().toISO()",
                Ok(json!("2024-07-05T09:30:00.000Z")),
            ),
            (
                "DateTime.fromISO('2024-07-05T09:30:00Z').toISO()",
                Ok(json!("2024-07-05T11:30:00.000+02:00")),
            ),
            (
                "DateTime.fromISO('2024-03-31T00:30:00Z').plus({ hours: 1 }).toISO()",
                Ok(json!("2024-03-31T03:30:00.000+02:00")),
            ),
            (
                "DateTime.fromISO('2024-01-05T10:00:00').plus(3, 'days').toFormat('yyyy-MM-dd HH:mm')",
                Ok(json!("2024-01-08 10:00")),
            ),
            (
                "DateTime.fromISO('2024-01-05T10:00:00').minus(2, 'hours').hour",
                Ok(json!(8)),
            ),
            (
                "DateTime.fromISO('2024-01-05').format('cccc d LLLL yyyy')",
                Ok(json!("Friday 5 January 2024")),
            ),
            (
                "DateTime.fromISO('2024-01-05').diffTo('2024-01-01', 'days')",
                Ok(json!(4)),
            ),
            (
                "DateTime.fromISO('2024-01-05T10:00').beginningOf('month').toISO()",
                Ok(json!("2024-01-01T00:00:00.000+01:00")),
            ),
            (
                "DateTime.fromISO('2024-02-10').endOfMonth().toISODate()",
                Ok(json!("2024-02-29")),
            ),
            (
                "DateTime.fromISO('2024-01-05').extract('month')",
                Ok(json!(1)),
            ),
            (
                "DateTime.fromISO('2024-01-05').isBetween('2024-01-01', '2024-02-01')",
                Ok(json!(true)),
            ),
            (
                "[DateTime.fromISO('2024-01-06').isWeekend(), DateTime.fromISO('2024-01-05').isWeekend()]",
                Ok(json!([true, false])),
            ),
            (
                "$now.minus(1, 'minutes').isInLast(1, 'hours')",
                Ok(json!(true)),
            ),
            (
                "$now.zoneName + ' ' + $today.toFormat('HH:mm:ss')",
                Ok(json!("Europe/Berlin 00:00:00")),
            ),
            (
                "Duration.fromObject({ hours: 2 }).as('minutes')",
                Ok(json!(120)),
            ),
            (
                "Interval.fromISO('2024-01-01/2024-01-11').length('days')",
                Ok(json!(10)),
            ),
            (
                "DateTime.fromISO('2024-01-05T10:00:00Z')",
                Ok(json!("2024-01-05T11:00:00.000+01:00")),
            ),
            (
                "DateTime.fromISO('2024-01-05', { zone: 'Mars/Base' }).invalidReason",
                Ok(json!("unsupported zone")),
            ),
            (
                "DateTime.fromISO('nonsense')",
                Ok(json!("Invalid DateTime")),
            ),
            (
                "new Date(Date.UTC(2024, 0, 5)).plus(1, 'days').toISOString()",
                Ok(json!("2024-01-06T00:00:00.000Z")),
            ),
        ],
    );
    let engine = engine(berlin);
    let text = engine
        .resolve(
            &json!("=at {{ DateTime.fromISO('2024-01-05T10:00:00Z') }}"),
            &scope(),
        )
        .unwrap();
    assert_eq!(
        text,
        json!("at 2024-01-05T11:00:00.000+01:00"),
        "a DateTime in a template prints its ISO string"
    );
}

#[test]
fn helper_globals() {
    check(
        Tz::UTC,
        &[
            ("$if($json.n > 2, 'big', 'small')", Ok(json!("big"))),
            ("$if(false, 'big')", Ok(json!(false))),
            (
                "$if($json.missing, $json.missing.x, 'only the chosen branch runs')",
                Ok(json!("only the chosen branch runs")),
            ),
            (
                "$if(true)",
                Err(
                    "ExpressionExtensionError: $if requires at least 2 parameters: test, value_if_true[, and value_if_false]",
                ),
            ),
            (
                "[$ifEmpty('', 'x'), $ifEmpty([], 'y'), $ifEmpty(0, 'z'), $ifEmpty({a: 1}, 'w'), $ifEmpty({}, 'v')]",
                Ok(json!(["x", "y", 0, { "a": 1 }, "v"])),
            ),
            (
                "$ifEmpty('')",
                Err(
                    "ExpressionError: expected two arguments (value, defaultValue) for this function",
                ),
            ),
            (
                "[$min(3, 1, 2), $max(3, 1, 2), min(4, 5), $average(1, 2, 6), $not(0)]",
                Ok(json!([1, 3, 4, 3, true])),
            ),
            (
                "[numberList(3, 1), zip(['a', 'b'], [1, 2])]",
                Ok(json!([[3, 2, 1], { "a": 1, "b": 2 }])),
            ),
            (
                "zip(['a'], [])",
                Err("ExpressionExtensionError: keys and values not of equal length"),
            ),
            (
                "[$position, $prevNode.name, $items().length, $items()[0].json.n]",
                Ok(json!([0, null, 1, 3])),
            ),
            (
                "$jmespath({ people: [{ name: 'a', age: 3 }, { name: 'b', age: 40 }] }, 'people[?age > `20`].name')",
                Ok(json!(["b"])),
            ),
        ],
    );
}

#[test]
fn one_runs_prototype_changes_stay_in_that_run() {
    let first = engine(Tz::UTC);
    let changed = "={{ (String.prototype.toTitleCase = () => 'hacked', Object.prototype.polluted = 1, 'a b'.toTitleCase()) }}";
    assert_eq!(
        first.resolve(&json!(changed), &scope()).unwrap(),
        json!("hacked")
    );
    let second = engine(Tz::UTC);
    assert_eq!(
        second
            .resolve(
                &json!("={{ ['a b'.toTitleCase(), ({}).polluted] }}"),
                &scope()
            )
            .unwrap(),
        json!(["A B", null]),
        "another run has its own runtime"
    );
    for reach in [
        "='a'.toTitleCase.constructor('return typeof __weft_hash + typeof __weft_offset + typeof __weft_get')()",
        "=$now.constructor.constructor('return Object.keys(globalThis).filter(k => k.startsWith(\"__weft\") && k !== \"__weft_text\")')()",
    ] {
        let got = second
            .resolve(&json!(format!("={{{{ {} }}}}", &reach[1..])), &scope())
            .unwrap();
        assert!(
            got == json!("undefinedundefinedundefined") || got == json!([]),
            "{reach}: {got}"
        );
    }
}
