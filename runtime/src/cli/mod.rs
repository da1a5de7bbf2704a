//! The `weft` command line: argument parsing and dispatch. Machine output goes to stdout, problems
//! to stderr; exit status 0 = success, 1 = the input was checked and found wrong, 2 = weft could
//! not do what was asked (bad usage, unreadable file, ...).

mod browser;
mod check;
mod credential_check;
mod credential_form;
mod credential_session;
mod credential_store;
mod credentials;
mod data_tables;
mod export;
mod item_output;
mod js_json;
mod run;
mod schema;
mod serve;
mod start;
mod table;
mod terminal_text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::executor::RunLimits;

/// weft runs n8n workflows.
#[derive(Debug, Parser)]
#[command(name = "weft", version, about = "weft runs n8n workflow JSON, fast")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Credential types and stored credentials.
    Credentials {
        #[command(subcommand)]
        command: CredentialsCommand,
    },
    /// Data tables (n8n's Data table node, Evaluation Trigger and Evaluation keep rows in them).
    DataTables {
        #[command(subcommand)]
        command: DataTablesCommand,
    },
    /// Check workflows without running them: every problem `weft run` would refuse, plus
    /// expression syntax errors and references to missing nodes; prints OK or the problems.
    Check {
        /// The workflow JSON files (as n8n exports them).
        #[arg(required = true)]
        workflows: Vec<PathBuf>,
    },
    /// Run an n8n workflow from its Manual Trigger; print the last node's items as JSON.
    Run {
        /// The workflow JSON file (as n8n exports it).
        workflow: PathBuf,
        /// Print n8n's whole run document (`n8n execute --rawOutput`): status, runData per node.
        #[arg(long)]
        raw_output: bool,
        /// Let each node's pinned data (`pinData`) replace its output, as n8n's manual runs do.
        #[arg(long)]
        pin_data: bool,
        /// Write the output to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The time limit of one JavaScript expression evaluation, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = 5000)]
        expression_timeout: u64,
        /// The folder of workflow files that Execute Workflow nodes (source database) find by
        /// their `id`.
        #[arg(long = "workflows", value_name = "DIR", env = "WEFT_WORKFLOWS")]
        workflows_folder: Option<PathBuf>,
        #[command(flatten)]
        limits: RunLimitArgs,
    },
    /// Run workflows that start with a polling trigger (such as the Schedule Trigger) until SIGINT or
    /// SIGTERM: one poll at activation, then one per tick of its Poll Times. Each trigger's
    /// position is saved in the store only after the run its poll started has finished.
    Start {
        /// The workflow files (n8n's JSON).
        #[arg(required = true)]
        workflows: Vec<PathBuf>,
        /// The shortest interval a schedule may have, in seconds (n8n's rule is a minute).
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        min_poll_interval: u64,
        /// Forget the triggers' saved cursors first: the first poll takes a new baseline, so
        /// records changed while the workflow was stopped are not emitted.
        #[arg(long)]
        reset_state: bool,
        /// The time limit of one JavaScript expression evaluation, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = 5000)]
        expression_timeout: u64,
        /// The folder of workflow files that Execute Workflow nodes (source database) find by
        /// their `id`.
        #[arg(long = "workflows", value_name = "DIR", env = "WEFT_WORKFLOWS")]
        workflows_folder: Option<PathBuf>,
        #[command(flatten)]
        limits: RunLimitArgs,
        /// Where Webhook nodes are served (`/webhook/<path>`). Anything but loopback exposes
        /// them to other machines (a warning is logged).
        #[arg(
            long,
            value_name = "ADDRESS:PORT",
            env = "WEFT_WEBHOOK_ADDRESS",
            default_value = "127.0.0.1:5678"
        )]
        webhook_address: std::net::SocketAddr,
    },
    /// Print the JSON Schema of a credential type, or rewrite every committed schema.
    Schema {
        /// The credential type, e.g. httpHeaderAuth.
        #[arg(required_unless_present = "write")]
        type_name: Option<String>,
        /// Rewrite every generated schema under this folder (the repository's `schemas/`).
        #[arg(long, value_name = "DIR", conflicts_with = "type_name")]
        write: Option<PathBuf>,
    },
    /// Serve a local web page for adding, testing and connecting credentials; prints its address,
    /// which carries this launch's token.
    Serve {
        /// The port (0 = any free port). OAuth2 apps must list http://127.0.0.1:PORT/callback.
        #[arg(long, default_value_t = 5678)]
        port: u16,
        /// The address to listen on. Anything but loopback exposes the page to other machines
        /// (a warning is printed).
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Print the address only; do not try to open a browser.
        #[arg(long)]
        no_open: bool,
    },
}

/// The limits of one workflow run (`executor::RunLimits`), shared by `run` and `start`.
#[derive(Debug, clap::Args)]
struct RunLimitArgs {
    /// The most node runs one execution may make (loops included).
    #[arg(long, value_name = "N", default_value_t = RunLimits::DEFAULT.max_node_runs)]
    max_node_runs: usize,
    /// The most items one execution may keep over all its node runs.
    #[arg(long, value_name = "N", default_value_t = RunLimits::DEFAULT.max_items)]
    max_items: usize,
    /// The most seconds a Wait node may hold one execution (n8n parks longer waits in its
    /// database and resumes them later; weft waits in place and refuses longer ones).
    #[arg(long, value_name = "SECONDS", default_value_t = RunLimits::DEFAULT.max_wait.as_secs())]
    max_wait: u64,
    /// The most milliseconds the code of one Code, Function or Function Item node run may take.
    #[arg(long, value_name = "MS", default_value_t = RunLimits::DEFAULT.code_timeout.as_millis() as u64)]
    code_timeout: u64,
}

impl From<RunLimitArgs> for RunLimits {
    fn from(args: RunLimitArgs) -> Self {
        Self {
            max_node_runs: args.max_node_runs,
            max_items: args.max_items,
            max_wait: std::time::Duration::from_secs(args.max_wait),
            code_timeout: std::time::Duration::from_millis(args.code_timeout),
        }
    }
}

#[derive(Debug, Subcommand)]
enum DataTablesCommand {
    /// List the data tables, their columns and row counts.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Create a data table; give the id an exported workflow uses (its `dataTableId` value).
    Create {
        /// The table's id (letters, digits, '-' or '_'); a new one when left out.
        #[arg(long)]
        id: Option<String>,
        /// The table's name (unique).
        #[arg(long)]
        name: String,
        /// A column as `name:type` (type string, number, boolean or date; string when left
        /// out), in order; repeat for each column.
        #[arg(long = "column", value_name = "NAME:TYPE", value_parser = data_tables::parse_column)]
        columns: Vec<weft_nodes::data_tables::Column>,
    },
    /// Print a table's rows as JSON (as the Data table node's get puts them out).
    Show {
        /// The table's id or name.
        table: String,
        /// At most this many rows.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Delete a data table and its rows.
    Delete {
        /// The table's id or name.
        table: String,
    },
}

#[derive(Debug, Subcommand)]
enum CredentialsCommand {
    /// List the credential types weft knows.
    Types {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check a credential file: a data object with --type, or an n8n
    /// `export:credentials --decrypted` file (every row is checked by its own type).
    Validate {
        /// The credential type of a bare data object.
        #[arg(long = "type", value_name = "TYPE")]
        type_name: Option<String>,
        /// The JSON file.
        file: PathBuf,
    },
    /// Store the credentials of an n8n `export:credentials --decrypted` file or a weft export,
    /// keeping their ids and names (a stored credential with the same id is replaced). Nothing is
    /// stored unless every credential is valid.
    Import {
        /// Require every credential in the file to be of this type.
        #[arg(long = "type", value_name = "TYPE")]
        type_name: Option<String>,
        /// The JSON file: an array of rows or one row.
        file: PathBuf,
    },
    /// Store one credential from a file holding its data object, or without --data from an
    /// interactive form (prompts on stderr, answers on stdin); prints its id.
    Add {
        /// The credential type, e.g. httpHeaderAuth; asked as a choice when left out.
        #[arg(long = "type", value_name = "TYPE")]
        type_name: Option<String>,
        /// The display name; asked when left out.
        #[arg(long)]
        name: Option<String>,
        /// The JSON file with the credential's data object (needs --type and --name).
        #[arg(long, value_name = "FILE", requires_all = ["type_name", "name"])]
        data: Option<PathBuf>,
        /// The id to give it (1 to 64 letters, digits, '-' or '_'); generated when left out.
        #[arg(long)]
        id: Option<String>,
    },
    /// List the stored credentials: id, name, type, created, updated (never their data).
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write stored credentials as n8n `export:credentials` rows (a JSON array).
    Export {
        /// Include the secrets in plain text: the only export that can be imported again.
        #[arg(long, conflicts_with = "without_secrets")]
        decrypted: bool,
        /// Keep only the fields the type's schema describes and does not mark secret.
        #[arg(long)]
        without_secrets: bool,
        /// Write to this file (created readable by its owner only) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Ids or names of the credentials to export; all when none is given.
        #[arg(value_name = "ID_OR_NAME")]
        credentials: Vec<String>,
    },
    /// Check a stored credential with its type's test request: prints who it acts as, or the
    /// server's answer and a hint.
    Test {
        /// Its id, or its name when no other credential has that name.
        #[arg(value_name = "ID_OR_NAME")]
        credential: String,
    },
    /// Connect an OAuth2 credential in a browser (authorization code with PKCE); stores the
    /// tokens and instance URL.
    Connect {
        /// Its id, or its name when no other credential has that name.
        #[arg(value_name = "ID_OR_NAME")]
        credential: String,
        /// The loopback port of the callback http://127.0.0.1:PORT/callback (0 = any free port;
        /// the app's callback URL must match).
        #[arg(long, default_value_t = 5678)]
        port: u16,
        /// Print the address only; do not try to open a browser.
        #[arg(long)]
        no_open: bool,
        /// Seconds to wait for the browser.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Remove a stored credential and its session.
    Remove {
        /// Its id, or its name when no other credential has that name.
        #[arg(value_name = "ID_OR_NAME")]
        credential: String,
    },
}

/// Logs go to stderr, filtered by `WEFT_LOG` (e.g. `debug`, `weft_runtime=trace`), else by
/// `default` (tracing's directive syntax). No layer logs headers or bodies, so no secret can
/// reach a log; async-imap's trace of every command it sends (the LOGIN with its password) is
/// always off.
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WEFT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default))
        .add_directive(
            "async_imap=off"
                .parse()
                .expect("a constant directive parses"),
        );
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging(match cli.command {
        // Each poll of a long-running trigger is worth a line.
        Command::Start { .. } => {
            "warn,weft_runtime::trigger=info,weft_runtime::webhook=info,weft_runtime::cli=info"
        }
        _ => "warn",
    });
    let outcome = match cli.command {
        Command::DataTables { command } => match command {
            DataTablesCommand::List { json } => data_tables::list(json),
            DataTablesCommand::Create { id, name, columns } => {
                data_tables::create(id.as_deref(), &name, &columns)
            }
            DataTablesCommand::Show { table, limit } => data_tables::show(&table, limit),
            DataTablesCommand::Delete { table } => data_tables::delete(&table),
        },
        Command::Credentials { command } => match command {
            CredentialsCommand::Types { json } => credentials::types(json),
            CredentialsCommand::Validate { type_name, file } => {
                credentials::validate(&file, type_name.as_deref())
            }
            CredentialsCommand::Import { type_name, file } => {
                credential_store::import(&file, type_name.as_deref())
            }
            CredentialsCommand::Add {
                type_name,
                name,
                data,
                id,
            } => credential_store::add(type_name.as_deref(), name.as_deref(), data.as_deref(), id),
            CredentialsCommand::List { json } => credential_store::list(json),
            CredentialsCommand::Export {
                decrypted,
                without_secrets,
                output,
                credentials,
            } => {
                let secrets = match (decrypted, without_secrets) {
                    (true, _) => Some(export::Secrets::Decrypted),
                    (false, true) => Some(export::Secrets::Without),
                    (false, false) => None,
                };
                export::export(secrets, output.as_deref(), &credentials)
            }
            CredentialsCommand::Remove { credential } => credential_store::remove(&credential),
            CredentialsCommand::Test { credential } => credential_session::test(&credential),
            CredentialsCommand::Connect {
                credential,
                port,
                no_open,
                timeout,
            } => credential_session::connect(
                &credential,
                &credential_session::ConnectOptions {
                    port,
                    open_browser: !no_open,
                    timeout: std::time::Duration::from_secs(timeout),
                },
            ),
        },
        Command::Check { workflows } => check::check_files(&workflows),
        Command::Run {
            workflow,
            raw_output,
            pin_data,
            output,
            expression_timeout,
            workflows_folder,
            limits,
        } => run::run(&run::RunRequest {
            workflow,
            raw_output,
            pin_data,
            output,
            expression_timeout: std::time::Duration::from_millis(expression_timeout),
            workflows_folder,
            limits: limits.into(),
        }),
        Command::Start {
            workflows,
            min_poll_interval,
            reset_state,
            expression_timeout,
            workflows_folder,
            limits,
            webhook_address,
        } => start::start(&start::StartRequest {
            webhook_address,
            workflows,
            min_poll_interval: std::time::Duration::from_secs(min_poll_interval),
            reset_state,
            expression_timeout: std::time::Duration::from_millis(expression_timeout),
            workflows_folder,
            limits: limits.into(),
        }),
        Command::Serve {
            port,
            host,
            no_open,
        } => serve::serve(&serve::ServeOptions {
            host,
            port,
            open_browser: !no_open,
        }),
        Command::Schema { type_name, write } => match (type_name, write) {
            (_, Some(dir)) => schema::write(&dir),
            (Some(type_name), None) => schema::print(&type_name),
            (None, None) => unreachable!("clap requires a type or --write"),
        },
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("weft: {error:#}");
            ExitCode::from(2)
        }
    }
}
