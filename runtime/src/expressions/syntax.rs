//! Static expression checks for `weft check`: the JavaScript of a `{{ }}` part is compiled, never
//! run, so a syntax error that n8n reports only when the node runs ("invalid syntax") is found
//! before.

use rquickjs::{CatchResultExt, Context, Function, Runtime};

use super::path::PlainPath;
use super::template::{self, Part};

/// Compiles expression code in a bare QuickJS context (no workflow data, nothing runs).
pub struct SyntaxCheck {
    context: Context,
}

/// How much memory compiling may take.
const MEMORY_LIMIT: usize = 64 << 20;

impl SyntaxCheck {
    /// A fresh checker.
    pub fn new() -> Result<Self, String> {
        let runtime = Runtime::new().map_err(|error| error.to_string())?;
        runtime.set_memory_limit(MEMORY_LIMIT);
        let context = Context::full(&runtime).map_err(|error| error.to_string())?;
        Ok(Self { context })
    }

    /// The syntax error of `code` (one `{{ }}` part), as the run would compile it.
    pub fn error(&self, code: &str) -> Option<String> {
        if PlainPath::parse(code).is_some() {
            return None;
        }
        self.context.with(|ctx| {
            // The Function constructor parses a function body: nothing in it runs, and the code
            // cannot close the body early.
            let compile = || -> rquickjs::Result<()> {
                let constructor: Function = ctx.globals().get("Function")?;
                constructor.call::<_, rquickjs::Value>((format!("return ({code}\n)"),))?;
                Ok(())
            };
            compile()
                .catch(&ctx)
                .err()
                .map(|error| super::js::describe(&ctx, error))
        })
    }
}

/// The `{{ }}` JavaScript parts of a parameter value: none unless it is an expression (`=…`).
pub fn code_parts(value: &str) -> Vec<&str> {
    value
        .strip_prefix('=')
        .map(|template| {
            template::parse(template)
                .into_iter()
                .filter_map(|part| match part {
                    Part::Code(code) => Some(code),
                    Part::Text(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_found_without_running() {
        let check = SyntaxCheck::new().unwrap();
        assert_eq!(check.error("$json.customer"), None);
        assert_eq!(check.error("$json.a.toUpperCase() + 'x'"), None);
        assert_eq!(check.error("{ a: 1 }"), None);
        assert!(
            check
                .error("$json.customer.")
                .unwrap()
                .starts_with("SyntaxError")
        );
        assert!(check.error("1 }); while (true) {} ({").is_some());
        // Compiling does not run: an endless loop in a function body only compiles.
        assert_eq!(check.error("(() => { while (true) {} })"), None);
    }

    #[test]
    fn code_parts_of_templates() {
        assert_eq!(
            code_parts("={{ $json.a }} and {{ 1 + 2 }}"),
            ["$json.a", "1 + 2"]
        );
        assert!(code_parts("{{ $json.a }}").is_empty());
    }
}
