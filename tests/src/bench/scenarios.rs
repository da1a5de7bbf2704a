//! The scenarios of issue #8, each against its own in-process fake Salesforce (on the harness's
//! runtime threads) and the real `weft` binary. Every timed command runs `runs` times, interleaved
//! with its floor so that load from elsewhere hits both alike; figures are medians, comparisons
//! ratios of medians from the same run.

use std::ffi::OsString;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use serde_json::{Value, json};
use url::Url;
use weft_runtime::auth::{Connections, RetryPolicy};
use weft_runtime::store::{KeySource, NewCredential, Store};

use super::floor;
use super::measure::{Sample, measured, median};
use super::report::Row;
use super::workflows::{chain, connected, no_op, node, raw_list, salesforce, split_out, trigger};
use crate::{
    FakeConfig, FakeSalesforce, TEST_CLIENT_ID, TEST_CLIENT_SECRET, WeftHome,
    client_credentials_token,
};

/// The query the Salesforce node sends for getAll Account without fields.
const ACCOUNT_QUERY: &str = "SELECT id,name,type,LastModifiedDate FROM Account ";

/// The programs a benchmark runs.
pub struct Programs {
    /// This executable (its `measure` and floor subcommands).
    pub bench: PathBuf,
    /// The `weft` binary under test.
    pub weft: PathBuf,
    /// The hello-world binary.
    pub hello: PathBuf,
    /// Measured runs per command.
    pub runs: usize,
}

/// A fake org with `seeds` and nothing else, and a weft home whose JWT credential points at it.
pub(super) struct Org {
    fake: FakeSalesforce,
    home: WeftHome,
    pub(super) folder: PathBuf,
}

impl Org {
    pub(super) async fn start(
        programs: &Programs,
        seeds: Vec<(String, u64)>,
    ) -> anyhow::Result<Self> {
        let fake = FakeSalesforce::start(FakeConfig::seeded_only(seeds)).await?;
        let home = WeftHome::for_binary(programs.weft.clone());
        home.import_jwt(fake.instance_url());
        let folder = home.path().to_path_buf();
        Ok(Self { fake, home, folder })
    }

    /// `weft run <workflow> -o <output>` measured, with the fake's calls during the run.
    pub(super) fn weft_run(
        &self,
        programs: &Programs,
        workflow: &Path,
        output: &Path,
    ) -> anyhow::Result<Run> {
        self.fake.reset_log();
        let command = [
            programs.weft.clone().into_os_string(),
            "run".into(),
            workflow.into(),
            "-o".into(),
            output.into(),
        ];
        let sample = measured(&programs.bench, &command, &self.envs())?;
        let counters = self.fake.counters();
        Ok(Run {
            sample,
            api_calls: counters.api_calls,
            token_requests: counters.token_requests.values().sum(),
        })
    }

    fn envs(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("WEFT_HOME", self.home.path().into()),
            ("WEFT_ENCRYPTION_KEY", "k".into()),
        ]
    }

    /// A bench subcommand measured (a floor program).
    fn floor(&self, programs: &Programs, args: &[String]) -> anyhow::Result<Sample> {
        let mut command = vec![programs.bench.clone().into_os_string()];
        command.extend(args.iter().map(OsString::from));
        measured(&programs.bench, &command, &[])
    }

    fn api(&self, path: &str) -> anyhow::Result<Url> {
        api(&self.fake, path)
    }

    pub(super) fn write(&self, name: &str, workflow: &Value) -> anyhow::Result<PathBuf> {
        let path = self.folder.join(name);
        std::fs::write(&path, workflow.to_string())?;
        Ok(path)
    }
}

/// `<instance>/services/data/v66.0/<path>`.
fn api(fake: &FakeSalesforce, path: &str) -> anyhow::Result<Url> {
    Ok(Url::parse(&format!(
        "{}/services/data/v66.0/{path}",
        fake.instance_url()
    ))?)
}

/// One measured `weft run`.
pub(super) struct Run {
    pub(super) sample: Sample,
    api_calls: u64,
    token_requests: u64,
}

pub(super) fn ms(samples: &[Sample]) -> f64 {
    median(&samples.iter().map(|sample| sample.wall).collect::<Vec<_>>()).as_secs_f64() * 1000.0
}

pub(super) fn mib(samples: &[Sample]) -> f64 {
    median(
        &samples
            .iter()
            .map(|sample| sample.max_rss_kib)
            .collect::<Vec<_>>(),
    ) as f64
        / 1024.0
}

/// Scenarios 1 and 2: getAll Account over `records` records (pages of 2,000) → No Op, written
/// to a file, against the fetch-and-parse floor and the fake alone.
pub async fn get_all(programs: &Programs, records: u64) -> anyhow::Result<Vec<Row>> {
    let org = Org::start(programs, vec![("Account".to_owned(), records)]).await?;
    let workflow = chain(vec![
        trigger(),
        salesforce(
            "Salesforce",
            json!({"resource": "account", "operation": "getAll",
                                        "returnAll": true, "options": {}}),
        ),
        no_op("End"),
    ]);
    let workflow = org.write("getall.json", &workflow)?;
    let output = org.folder.join("items.json");
    let mut query = org.api("query")?;
    query.query_pairs_mut().append_pair("q", ACCOUNT_QUERY);
    let token = client_credentials_token(&org.fake).await;
    let floor_args = |parse: bool| {
        let mut args = vec![
            "floor-fetch".to_owned(),
            "--url".to_owned(),
            query.to_string(),
        ];
        args.extend(["--token".to_owned(), token.clone()]);
        if parse {
            args.push("--parse".to_owned());
        }
        args
    };
    org.weft_run(programs, &workflow, &output)?; // caches the session, warms the caches
    let (mut alone, mut floors, mut runs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..programs.runs {
        alone.push(org.floor(programs, &floor_args(false))?);
        floors.push(org.floor(programs, &floor_args(true))?);
        runs.push(org.weft_run(programs, &workflow, &output)?);
    }
    let items = items_in(&output)?;
    let weft: Vec<Sample> = runs.iter().map(|run| run.sample).collect();
    let scenario = format!("getall-{}k", records / 1000);
    let rss_limit = if records <= 100_000 { 50.0 } else { 64.0 };
    Ok(vec![
        Row::info(
            &scenario,
            "fake alone: fetch pages, no parse, wall",
            ms(&alone),
            "ms",
        ),
        Row::info(
            &scenario,
            "floor: reqwest + serde_json, wall",
            ms(&floors),
            "ms",
        ),
        Row::info(&scenario, "floor peak RSS", mib(&floors), "MiB"),
        Row::info(&scenario, "weft wall", ms(&weft), "ms"),
        wall_ratio(&scenario, "floor", &weft, &floors, 1.3),
        Row::at_most(&scenario, "weft peak RSS", mib(&weft), "MiB", rss_limit),
        Row::exactly(
            &scenario,
            "items written",
            items as f64,
            "items",
            records as f64,
        ),
        Row::exactly(
            &scenario,
            "API calls per weft run",
            max_calls(&runs),
            "calls",
            records.div_ceil(2000).max(1) as f64,
        ),
        Row::info(
            &scenario,
            "token requests in measured runs",
            tokens(&runs),
            "calls",
        ),
    ])
}

/// Scenario 7: getAll Account over `records` records → IF (the Name ends in an even digit: half
/// of them) → Edit Fields → No Op, streamed through the IF's `true` output.
pub async fn get_all_if(programs: &Programs, records: u64) -> anyhow::Result<Vec<Row>> {
    let org = Org::start(programs, vec![("Account".to_owned(), records)]).await?;
    let even = json!({"conditions": {
        "options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict", "version": 2},
        "conditions": [{"id": "even", "leftValue": "={{ $json.Name }}", "rightValue": "[02468]$",
                        "operator": {"type": "string", "operation": "regex"}}],
        "combinator": "and"}, "options": {}});
    let fields = json!({"assignments": {"assignments": [
        {"id": "a", "name": "name", "value": "={{ $json.Name.toUpperCase() }}", "type": "string"}]},
        "includeOtherFields": true, "options": {}});
    let workflow = chain(vec![
        trigger(),
        salesforce(
            "Salesforce",
            json!({"resource": "account", "operation": "getAll",
                   "returnAll": true, "options": {}}),
        ),
        node("Even", "n8n-nodes-base.if", 2.2, even),
        node("Fields", "n8n-nodes-base.set", 3.4, fields),
        no_op("End"),
    ]);
    let workflow = org.write("getall-if.json", &workflow)?;
    let output = org.folder.join("even.json");
    org.weft_run(programs, &workflow, &output)?; // caches the session
    let mut runs = Vec::new();
    for _ in 0..programs.runs {
        runs.push(org.weft_run(programs, &workflow, &output)?);
    }
    let weft: Vec<Sample> = runs.iter().map(|run| run.sample).collect();
    let scenario = format!("getall-if-{}k", records / 1000);
    Ok(vec![
        Row::info(&scenario, "weft wall", ms(&weft), "ms"),
        Row::info(
            &scenario,
            "weft wall per record",
            ms(&weft) * 1000.0 / records as f64,
            "µs",
        ),
        Row::at_most(&scenario, "weft peak RSS", mib(&weft), "MiB", 64.0),
        Row::exactly(
            &scenario,
            "items written",
            items_in(&output)? as f64,
            "items",
            (records / 2) as f64,
        ),
        Row::exactly(
            &scenario,
            "API calls per weft run",
            max_calls(&runs),
            "calls",
            records.div_ceil(2000).max(1) as f64,
        ),
    ])
}

/// Scenario 8: Merge (v3.2, combine by the field `n`, keep matches) of two lists of `items`
/// items each, made in the workflow (Edit Fields raw JSON → Split Out per input), the second in
/// reverse order; per size, and the growth in wall time between consecutive sizes, which must be
/// at most n log n's (the Merge joins through a hash map).
pub async fn merge(programs: &Programs, sizes: &[usize]) -> anyhow::Result<Vec<Row>> {
    let org = Org::start(programs, Vec::new()).await?;
    let mut rows = Vec::new();
    let mut previous: Option<(usize, f64)> = None;
    for &items in sizes {
        let list = |name: &str, numbers: Vec<usize>| {
            raw_list(name, "n", numbers.into_iter().map(Value::from).collect())
        };
        let each = |name: &str| split_out(name, "n");
        let workflow = connected(
            vec![
                trigger(),
                list("Left", (0..items).collect()),
                each("Each left"),
                list("Right", (0..items).rev().collect()),
                each("Each right"),
                node(
                    "Merge",
                    "n8n-nodes-base.merge",
                    3.2,
                    json!({"mode": "combine", "fieldsToMatchString": "n", "options": {}}),
                ),
            ],
            &[
                ("Start", 0, "Left", 0),
                ("Start", 0, "Right", 0),
                ("Left", 0, "Each left", 0),
                ("Right", 0, "Each right", 0),
                ("Each left", 0, "Merge", 0),
                ("Each right", 0, "Merge", 1),
            ],
        );
        let workflow = org.write(&format!("merge-{items}.json"), &workflow)?;
        let output = org.folder.join("merged.json");
        let mut runs = Vec::new();
        for _ in 0..programs.runs {
            runs.push(org.weft_run(programs, &workflow, &output)?);
        }
        let weft: Vec<Sample> = runs.iter().map(|run| run.sample).collect();
        let scenario = format!("merge-{}k", items as f64 / 1000.0);
        rows.push(Row::exactly(
            &scenario,
            "items written",
            items_in(&output)? as f64,
            "items",
            items as f64,
        ));
        rows.push(Row::info(&scenario, "weft wall", ms(&weft), "ms"));
        rows.push(Row::info(&scenario, "weft peak RSS", mib(&weft), "MiB"));
        if let Some((before, wall)) = previous {
            let n_log_n = |n: usize| n as f64 * (n as f64).log2();
            rows.push(Row::at_most(
                &scenario,
                &format!("wall growth from {before} items"),
                ms(&weft) / wall,
                "×",
                n_log_n(items) / n_log_n(before),
            ));
        }
        previous = Some((items, ms(&weft)));
    }
    Ok(rows)
}

/// Scenario 3: `contacts` contacts created from as many items (Edit Fields → Split Out →
/// Salesforce create), against the floor that sends the same composite calls.
pub async fn create(programs: &Programs, contacts: usize) -> anyhow::Result<Vec<Row>> {
    let org = Org::start(programs, Vec::new()).await?;
    let workflow = chain(vec![
        trigger(),
        raw_list(
            "Names",
            "name",
            (0..contacts)
                .map(|n| Value::from(format!("Contact {n}")))
                .collect(),
        ),
        split_out("Each", "name"),
        salesforce(
            "Create",
            json!({"resource": "contact", "operation": "create",
                                    "lastname": "={{ $json.name }}", "additionalFields": {}}),
        ),
    ]);
    let workflow = org.write("create.json", &workflow)?;
    let output = org.folder.join("created.json");
    let floor_args = vec![
        "floor-create".to_owned(),
        "--url".to_owned(),
        org.api("composite/sobjects")?.to_string(),
        "--token".to_owned(),
        client_credentials_token(&org.fake).await,
        "--records".to_owned(),
        contacts.to_string(),
    ];
    let first = org.weft_run(programs, &workflow, &output)?;
    let (mut floors, mut runs) = (Vec::new(), Vec::new());
    for _ in 0..programs.runs {
        floors.push(org.floor(programs, &floor_args)?);
        runs.push(org.weft_run(programs, &workflow, &output)?);
    }
    let weft: Vec<Sample> = runs.iter().map(|run| run.sample).collect();
    let scenario = "create";
    Ok(vec![
        Row::at_most(
            scenario,
            "API calls per weft run",
            max_calls(&runs),
            "calls",
            5.0,
        ),
        Row::exactly(
            scenario,
            "token requests, first run (new store)",
            first.token_requests as f64,
            "calls",
            1.0,
        ),
        Row::exactly(
            scenario,
            "token requests, later runs (cached)",
            tokens(&runs),
            "calls",
            0.0,
        ),
        Row::exactly(
            scenario,
            "items written",
            items_in(&output)? as f64,
            "items",
            contacts as f64,
        ),
        Row::info(
            scenario,
            "floor: same composite calls, wall",
            ms(&floors),
            "ms",
        ),
        Row::info(scenario, "weft wall", ms(&weft), "ms"),
        wall_ratio(scenario, "floor", &weft, &floors, 2.0),
        Row::info(scenario, "weft peak RSS", mib(&weft), "MiB"),
    ])
}

/// Scenario 6: an Edit Fields node over `items` items whose expressions read every item
/// (`$input.all()`, once per item), as n8n workflows that look across items do. Each `.all()`
/// must cost O(1) after the first, so the run stays linear in the item count.
pub async fn expressions(programs: &Programs, items: usize) -> anyhow::Result<Vec<Row>> {
    let org = Org::start(programs, Vec::new()).await?;
    let workflow = chain(vec![
        trigger(),
        raw_list("Numbers", "n", (0..items).map(Value::from).collect()),
        split_out("Each", "n"),
        node(
            "Look across",
            "n8n-nodes-base.set",
            3.4,
            json!({"assignments": {"assignments": [
                {"id": "a", "name": "of", "type": "number", "value": "={{ $input.all().length }}"},
                {"id": "b", "name": "next", "type": "number",
                 "value": "={{ $input.all()[($itemIndex + 1) % $input.all().length].json.n }}"}
            ]}, "options": {}}),
        ),
    ]);
    let workflow = org.write("expressions.json", &workflow)?;
    let output = org.folder.join("looked.json");
    let mut runs = Vec::new();
    for _ in 0..programs.runs {
        runs.push(org.weft_run(programs, &workflow, &output)?);
    }
    let weft: Vec<Sample> = runs.iter().map(|run| run.sample).collect();
    let scenario = "expressions";
    Ok(vec![
        Row::exactly(
            scenario,
            "items written",
            items_in(&output)? as f64,
            "items",
            items as f64,
        ),
        Row::info(scenario, "weft wall", ms(&weft), "ms"),
        Row::info(
            scenario,
            "weft wall per item",
            ms(&weft) * 1000.0 / items as f64,
            "µs",
        ),
        Row::info(scenario, "weft peak RSS", mib(&weft), "MiB"),
    ])
}

/// Scenario 4: `weft run` of Manual Trigger → No Op against a hello-world binary.
pub async fn startup(programs: &Programs) -> anyhow::Result<Vec<Row>> {
    let home = WeftHome::for_binary(programs.weft.clone());
    let workflow = home.path().join("noop.json");
    std::fs::write(&workflow, chain(vec![trigger(), no_op("End")]).to_string())?;
    let output = home.path().join("out.json");
    let envs = [
        ("WEFT_HOME", OsString::from(home.path())),
        ("WEFT_ENCRYPTION_KEY", "k".into()),
    ];
    let weft_command = [
        programs.weft.clone().into_os_string(),
        "run".into(),
        workflow.into(),
        "-o".into(),
        output.clone().into(),
    ];
    let hello_command = [programs.hello.clone().into_os_string()];
    let (mut hello, mut weft) = (Vec::new(), Vec::new());
    for _ in 0..programs.runs {
        hello.push(measured(&programs.bench, &hello_command, &[])?);
        weft.push(measured(&programs.bench, &weft_command, &envs)?);
    }
    let scenario = "startup";
    Ok(vec![
        Row::info(scenario, "hello-world wall", ms(&hello), "ms"),
        Row::info(
            scenario,
            "weft run (Manual Trigger → No Op) wall",
            ms(&weft),
            "ms",
        ),
        wall_ratio(scenario, "hello-world", &weft, &hello, 10.0),
        Row::info(scenario, "weft peak RSS", mib(&weft), "MiB"),
        Row::exactly(
            scenario,
            "items written",
            items_in(&output)? as f64,
            "items",
            1.0,
        ),
    ])
}

/// Sequential GETs timed together, the clients compared taking turns.
const SEQUENTIAL_CHUNK: usize = 25;

/// Scenario 5: `requests` concurrent GETs on one credential through the runtime's middleware
/// client (a new store each run: exactly one token request), then, warm, the same burst and the
/// same number of sequential GETs against plain reqwest with the same bearer token and through
/// the middleware, in process. The per-request overhead is judged on the sequential GETs (their
/// latency); the burst, where both clients and the fake contend for 2 cores, is reported too.
pub async fn auth(programs: &Programs, requests: usize) -> anyhow::Result<Vec<Row>> {
    let fake = FakeSalesforce::start(FakeConfig::seeded_only(Vec::new())).await?;
    let mut token_requests = Vec::new();
    // By [plain, middleware]: burst walls, sequential chunk walls.
    let (mut bursts, mut chunks): ([Vec<Duration>; 2], [Vec<Duration>; 2]) = Default::default();
    // Middleware over plain, chunk by chunk.
    let mut ratios = Vec::new();
    for run in 0..programs.runs {
        let folder = tempfile::tempdir()?;
        let store = Store::open_with_key(folder.path(), &KeySource::passphrase("bench"))?;
        store.insert_credential(NewCredential {
            id: Some("cc".into()),
            name: "client credentials".into(),
            type_name: "salesforceClientCredentialsApi".into(),
            data: json!({"url": fake.instance_url(), "clientId": TEST_CLIENT_ID,
                         "clientSecret": TEST_CLIENT_SECRET}),
        })?;
        let connections = Connections::new(Arc::new(store), RetryPolicy::default());
        let client = connections.client("cc")?;
        let url = api(&fake, "limits")?;
        fake.reset_log();
        floor::concurrent_gets(client.http(), &url, requests).await?;
        token_requests.push(fake.counters().token_requests.values().sum::<u64>());
        let token = client_credentials_token(&fake).await;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse()?,
        );
        let direct = reqwest::Client::builder()
            .default_headers(headers)
            .build()?;
        let direct = reqwest_middleware::ClientWithMiddleware::from(direct);
        // Warm both pools alike: a burst opens a connection per request still waiting for one.
        // The cold burst opened fewer (its requests queued behind the token and then found
        // connections freed by earlier ones), which would leave the middleware's measured burst
        // opening hundreds of connections that the plain one does not.
        floor::concurrent_gets(&direct, &url, requests).await?;
        floor::concurrent_gets(client.http(), &url, requests).await?;
        let clients = [&direct, client.http()];
        // Alternate which client goes first, so neither always meets the other's leftovers.
        for which in [run % 2, 1 - run % 2] {
            let burst = timed(floor::concurrent_gets(clients[which], &url, requests)).await?;
            bursts[which].push(burst);
        }
        // Sequential GETs in short chunks, the clients taking turns: a change in the machine's
        // load (it is shared) falls on a chunk of each alike, and the overhead is the median
        // ratio of such neighbouring chunks.
        for chunk in 0..requests.div_ceil(SEQUENTIAL_CHUNK) {
            let mut pair = [Duration::ZERO; 2];
            for which in [chunk % 2, 1 - chunk % 2] {
                let gets = floor::sequential_gets(clients[which], &url, SEQUENTIAL_CHUNK);
                pair[which] = timed(gets).await?;
                chunks[which].push(pair[which]);
            }
            ratios.push(pair[1].as_secs_f64() / pair[0].as_secs_f64());
        }
    }
    let bursts = bursts.map(|walls| median(&walls));
    let burst_overhead = (bursts[1].as_secs_f64() / bursts[0].as_secs_f64() - 1.0) * 100.0;
    ratios.sort_by(f64::total_cmp);
    let sequential_overhead = (ratios[ratios.len() / 2] - 1.0) * 100.0;
    let latency =
        |which: usize| median(&chunks[which]).as_secs_f64() * 1e6 / SEQUENTIAL_CHUNK as f64;
    let scenario = "auth";
    Ok(vec![
        Row::exactly(
            scenario,
            "token requests per cold batch (max)",
            token_requests.iter().copied().max().unwrap_or(0) as f64,
            "calls",
            1.0,
        ),
        Row::info(
            scenario,
            "plain reqwest, sequential GET latency",
            latency(0),
            "µs",
        ),
        Row::info(
            scenario,
            "middleware client, sequential GET latency",
            latency(1),
            "µs",
        ),
        Row::at_most(
            scenario,
            "middleware overhead per request",
            sequential_overhead,
            "%",
            5.0,
        ),
        Row::info(
            scenario,
            "plain reqwest, concurrent burst wall",
            bursts[0].as_secs_f64() * 1e3,
            "ms",
        ),
        Row::info(
            scenario,
            "middleware client, concurrent burst wall",
            bursts[1].as_secs_f64() * 1e3,
            "ms",
        ),
        Row::info(
            scenario,
            "middleware overhead on the burst",
            burst_overhead,
            "%",
        ),
    ])
}

async fn timed(run: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<Duration> {
    let started = Instant::now();
    run.await?;
    Ok(started.elapsed())
}

/// weft's median wall time over the floor's, which must be at most `limit`.
fn wall_ratio(scenario: &str, floor: &str, weft: &[Sample], floors: &[Sample], limit: f64) -> Row {
    let ratio = ms(weft) / ms(floors);
    Row::at_most(
        scenario,
        &format!("weft wall / {floor} wall"),
        ratio,
        "×",
        limit,
    )
}

fn max_calls(runs: &[Run]) -> f64 {
    runs.iter().map(|run| run.api_calls).max().unwrap_or(0) as f64
}

fn tokens(runs: &[Run]) -> f64 {
    runs.iter().map(|run| run.token_requests).sum::<u64>() as f64
}

/// The items of a `weft run` output file: the lines that open a top-level array element.
pub(super) fn items_in(path: &Path) -> anyhow::Result<usize> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{} is missing", path.display()))?;
    let mut count = 0;
    for line in std::io::BufReader::new(file).lines() {
        count += usize::from(line? == "  {");
    }
    ensure!(
        count > 0 || std::fs::read(path)? == b"[]\n",
        "{} is not an item array",
        path.display()
    );
    Ok(count)
}
