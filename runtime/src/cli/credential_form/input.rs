//! Where the form's answers come from: stdin, one line per answer. On a terminal a secret is read
//! with masked input (`*` per character, through `rpassword`); from a pipe or a file every answer
//! is a plain line, with no masking and no terminal control codes, so a test or a script can
//! drive the form.

use std::io::{BufRead, IsTerminal, Stdin, StdinLock};

use anyhow::{Context, bail};

/// The answers typed on, or piped into, stdin.
pub struct Input {
    lines: StdinLock<'static>,
    terminal: bool,
}

impl Input {
    /// Answers from this process's stdin.
    pub fn stdin() -> Self {
        let stdin: Stdin = std::io::stdin();
        let terminal = stdin.is_terminal();
        Self {
            lines: stdin.lock(),
            terminal,
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
        if self.lines.read_line(&mut line)? == 0 {
            bail!("the input ended before the form was complete; nothing was stored");
        }
        // Ends the prompt's line, as a typed Enter would; the answer itself is not shown.
        eprintln!();
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}
