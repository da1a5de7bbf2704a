//! The `weft` command line: argument parsing and dispatch. Machine output goes to stdout, problems
//! to stderr; exit status 0 = success, 1 = the input was checked and found wrong, 2 = weft could
//! not do what was asked (bad usage, unreadable file, ...).

mod credentials;
mod schema;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Print the JSON Schema of a credential type, or rewrite every committed schema.
    Schema {
        /// The credential type, e.g. salesforceJwtApi.
        #[arg(required_unless_present = "write")]
        type_name: Option<String>,
        /// Rewrite every generated schema under this folder (the repository's `schemas/`).
        #[arg(long, value_name = "DIR", conflicts_with = "type_name")]
        write: Option<PathBuf>,
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
}

/// Parses the command line and runs it.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Credentials { command } => match command {
            CredentialsCommand::Types { json } => credentials::types(json),
            CredentialsCommand::Validate { type_name, file } => {
                credentials::validate(&file, type_name.as_deref())
            }
        },
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
