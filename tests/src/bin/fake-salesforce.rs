//! `fake-salesforce`: runs the fake Salesforce server from the command line.
//!
//! Prints one JSON line when ready — `{"login_url": ..., "instance_url": ..., "admin_url": ...}` —
//! then serves until SIGINT or SIGTERM.

use anyhow::{Context, bail};
use clap::Parser;
use std::time::Duration;
use weft_runtime::signals::shutdown_signal;
use weft_tests::fake::{ConnectedApp, FakeConfig, FakeSalesforce, FaultRule, UserConfig};

/// A fake Salesforce org: login host + My Domain host, OAuth, REST, faults, request log.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Port of the My Domain (instance) host; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Port of the login host; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    login_port: u16,
    /// A JSON file with the full configuration (apps, users, seeds, flows, ...).
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Seed records: `Object=count` (repeatable), e.g. `--seed Account=100000`.
    #[arg(long = "seed", value_name = "OBJECT=COUNT")]
    seeds: Vec<String>,
    /// Do not seed the small default data set.
    #[arg(long)]
    no_default_seed: bool,
    /// Access token lifetime (session timeout) in seconds.
    #[arg(long, value_name = "SECONDS")]
    token_lifetime: Option<u64>,
    /// Register a connected app: `CLIENT_ID:SECRET[:PUBLIC_KEY_OR_CERT_PEM_FILE]` (repeatable).
    #[arg(long = "app", value_name = "ID:SECRET[:PEM]")]
    apps: Vec<String>,
    /// Register a user: `USERNAME` (pre-authorised) or `USERNAME:unapproved` (repeatable).
    #[arg(long = "user", value_name = "USERNAME[:unapproved]")]
    users: Vec<String>,
    /// Largest query page (Salesforce: 2000).
    #[arg(long)]
    page_size: Option<usize>,
    /// Compress answers with gzip when the client accepts it.
    #[arg(long)]
    gzip: bool,
    /// Inject a fault from the start: JSON rule or `KIND[:ARG] [METHOD] [PATH] [xCOUNT]` (repeatable).
    #[arg(long = "fault", value_name = "RULE")]
    faults: Vec<String>,
    /// Add a field: `Object.Field;type[;flags]` (repeatable).
    #[arg(long = "field", value_name = "SPEC")]
    fields: Vec<String>,
    /// Hide a field through field-level security: `Object.Field` (repeatable).
    #[arg(long = "hide", value_name = "OBJECT.FIELD")]
    hidden: Vec<String>,
}

fn config(args: &Args) -> anyhow::Result<FakeConfig> {
    let mut config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?
        }
        None => FakeConfig::default(),
    };
    config.instance_port = args.port;
    config.login_port = args.login_port;
    config.default_seed &= !args.no_default_seed;
    if let Some(secs) = args.token_lifetime {
        config.token_lifetime = Duration::from_secs(secs);
    }
    if let Some(size) = args.page_size {
        config.page_size = size;
    }
    config.gzip |= args.gzip;
    for seed in &args.seeds {
        let (object, count) = seed.split_once('=').context("--seed takes OBJECT=COUNT")?;
        config
            .seeds
            .push((object.to_string(), count.parse().context("--seed count")?));
    }
    for user in &args.users {
        let (username, unapproved) = match user.split_once(':') {
            Some((name, "unapproved")) => (name, true),
            Some((_, other)) => bail!("--user: unknown flag '{other}'"),
            None => (user.as_str(), false),
        };
        let (first, last) = username
            .split_once('@')
            .map_or((username, "User"), |(local, _)| (local, "User"));
        config.users.push(UserConfig {
            username: username.to_string(),
            first_name: first.to_string(),
            last_name: last.to_string(),
            email: username.to_string(),
            pre_authorized: !unapproved,
            active: true,
        });
    }
    for app in &args.apps {
        let mut parts = app.splitn(3, ':');
        let (Some(id), Some(secret)) = (parts.next(), parts.next()) else {
            bail!("--app takes CLIENT_ID:SECRET[:PEM_FILE]");
        };
        let public_key_pem = parts
            .next()
            .map(|path| std::fs::read_to_string(path).with_context(|| format!("reading {path}")))
            .transpose()?;
        config.apps.push(ConnectedApp {
            name: id.to_string(),
            client_id: id.to_string(),
            client_secret: secret.to_string(),
            public_key_pem,
            ..ConnectedApp::default()
        });
    }
    config.custom_fields.extend(args.fields.iter().cloned());
    config.hidden_fields.extend(args.hidden.iter().cloned());
    Ok(config)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let rules = args
        .faults
        .iter()
        .map(|f| FaultRule::parse(f).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let fake = FakeSalesforce::start(config(&args)?).await?;
    for rule in rules {
        fake.inject(rule);
    }
    let ready = serde_json::json!({
        "login_url": fake.login_url(), "instance_url": fake.instance_url(), "admin_url": fake.admin_url(),
    });
    println!("{ready}");
    shutdown_signal().await;
    fake.shutdown().await;
    Ok(())
}
