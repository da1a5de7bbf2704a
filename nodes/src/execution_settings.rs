//! [`ExecutionSettings`]: what a node run knows about its execution besides its input: the
//! workflow's time zone (n8n's `getTimezone()`) and how long a Wait node may hold the run.

use std::time::Duration;

use chrono_tz::Tz;

/// Settings of one execution, the same for every node run in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecutionSettings {
    /// The workflow's time zone: its `settings.timezone`, else the machine's (`$TZ`), else UTC.
    pub time_zone: Tz,
    /// The longest a Wait node may hold the run (n8n parks longer waits in its database; weft
    /// runs in one process and refuses them).
    pub max_wait: Duration,
}

impl ExecutionSettings {
    /// The defaults of `weft run` and `weft start`: UTC, and a wait of five minutes at most.
    pub const DEFAULT: Self = Self {
        time_zone: Tz::UTC,
        max_wait: Duration::from_secs(300),
    };
}

impl Default for ExecutionSettings {
    fn default() -> Self {
        Self::DEFAULT
    }
}
