//! `weft schema`: print one credential type's JSON Schema, or rewrite the committed ones.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use weft_credentials::Registry;

use crate::schemas::{pretty, write_all};

/// Prints the schema of `type_name`.
pub fn print(type_name: &str) -> anyhow::Result<ExitCode> {
    let registry = Registry::global()?;
    match registry.require(type_name) {
        Ok(credential_type) => {
            print!("{}", pretty((credential_type.schema)().as_value()));
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!(
                "weft: {}: {}\n  hint: {}",
                type_name, error.message, error.hint
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Rewrites every generated schema under `dir`.
pub fn write(dir: &Path) -> anyhow::Result<ExitCode> {
    let count =
        write_all(dir).with_context(|| format!("writing schemas under {}", dir.display()))?;
    eprintln!("wrote {count} schemas under {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
