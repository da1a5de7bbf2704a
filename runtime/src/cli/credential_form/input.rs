//! Where the form's answers come from: stdin, one line per answer. On a terminal a secret is read
//! with masked input (`*` per character, through `rpassword`); from a pipe or a file every answer
//! is a plain line, with no masking and no terminal control codes, so a test or a script can
//! drive the form. What is read is bounded (4 MiB in all), so an endless stdin ends with an
//! error.

use std::io::{IsTerminal, Stdin, StdinLock};

use anyhow::{Context, bail};

use crate::bounded_read;

/// The answers typed on, or piped into, stdin.
pub struct Input {
    lines: StdinLock<'static>,
    terminal: bool,
    /// Bytes read so far, bounded by [`bounded_read::MAX_FORM_INPUT`].
    consumed: u64,
}

impl Input {
    /// Answers from this process's stdin.
    pub fn stdin() -> Self {
        let stdin: Stdin = std::io::stdin();
        let terminal = stdin.is_terminal();
        Self {
            lines: stdin.lock(),
            terminal,
            consumed: 0,
        }
    }

    /// Whether secrets are typed with masked input (stdin is a terminal).
    pub fn masks_secrets(&self) -> bool {
        self.terminal
    }

    /// The next answer without its line ending; masked when `secret` and stdin is a terminal. An
    /// error when the input has ended.
    pub fn line(&mut self, secret: bool) -> anyhow::Result<String> {
        if secret && self.terminal {
            let masked = rpassword::ConfigBuilder::new()
                .password_feedback_mask('*')
                .build();
            return rpassword::read_password_with_config(masked)
                .context("cannot read the hidden answer from the terminal");
        }
        let mut line = String::new();
        let budget = bounded_read::MAX_FORM_INPUT - self.consumed;
        let read = match bounded_read::line(&mut self.lines, &mut line, budget) {
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::FileTooLarge => bail!(
                "the answers on stdin are longer than {} MiB in all; nothing was stored (hint: pipe one answer per line, or use --data <file>)",
                bounded_read::MAX_FORM_INPUT >> 20
            ),
            Err(error) => return Err(error).context("cannot read the answers on stdin"),
        };
        if read == 0 {
            bail!("the input ended before the form was complete; nothing was stored");
        }
        self.consumed += read as u64;
        // Ends the prompt's line, as a typed Enter would; the answer itself is not shown.
        eprintln!();
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}
