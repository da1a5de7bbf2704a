//! The Email Trigger (IMAP) (`n8n-nodes-base.emailReadImap`, typeVersions 1, 2, 2.1, 2.2). n8n
//! keeps an IMAP connection open and fetches when the server announces a new message; weft polls
//! instead ([`PollingTrigger`], every minute by default): each poll connects, selects the mailbox
//! and, when its `UIDNEXT` moved (a message arrived, n8n's cue), searches the Custom Email Rules
//! ([`criteria`]), fetches the matches and emits one item per email ([`items`]). "Mark as Read"
//! happens after the run is committed ([`PollingTrigger::after_commit`]), so a crash before the
//! commit leaves the emails unread. The state is n8n's static data, `lastMessageUid` (typeVersion
//! 1, and 2.1 on unless Fetch Only New Emails is off), plus `uidValidity` and `uidNext`.
//!
//! Run by hand (`weft run`) it searches once, emits what matches and applies the action, as n8n's
//! manual execution does when an email arrives.

mod criteria;
mod description;
mod items;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::core::binary_data::MAX_FILE_BYTES;
use crate::credentials::imap::IMAP;
use crate::mail::MailboxSession;
use crate::node::{Emitter, Node, NodeContext, Unsupported};
use crate::{Item, NodeError, Poll, PollingTrigger, description::NodeDescription, register_node};
use items::{Format, ItemShape};

/// The Email Trigger (IMAP) node.
pub struct EmailReadImap;

/// Messages fetched in one command (n8n's `EMAIL_BATCH_SIZE`).
const BATCH: usize = 20;

/// The most messages one poll or manual run emits; a scheduled poll leaves the rest for the
/// next tick.
const MAX_PER_POLL: usize = 500;

/// The parameters a poll needs, read once.
struct Settings {
    mailbox: String,
    search: String,
    mark_read: bool,
    shape: ItemShape,
    /// n8n's `lastMessageUid` is kept.
    tracks_last_uid: bool,
    /// typeVersion 1's Ignore SSL Issues.
    allow_unauthorized_certs: Option<bool>,
}

impl Settings {
    fn read(ctx: &NodeContext<'_>) -> Result<Self, NodeError> {
        let version = ctx.node().type_version;
        let text = |name: &str| -> Result<Option<String>, NodeError> {
            Ok(match ctx.optional_parameter(name, 0)? {
                Some(Value::String(text)) => Some(text),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            })
        };
        let flag = |name: &str| -> Result<Option<bool>, NodeError> {
            Ok(ctx
                .optional_parameter(name, 0)?
                .and_then(|value| value.as_bool()))
        };
        let format = match text("format")?.as_deref() {
            Some("raw") => Format::Raw,
            Some("resolved") => Format::Resolved,
            _ => Format::Simple,
        };
        let attachment_prefix = match format {
            Format::Resolved => Some(
                text("dataPropertyAttachmentsPrefixName")?.unwrap_or_else(|| "attachment_".into()),
            ),
            Format::Simple if flag("downloadAttachments")? == Some(true) => Some(
                text("dataPropertyAttachmentsPrefixName")?.unwrap_or_else(|| "attachment_".into()),
            ),
            _ => None,
        };
        let search = criteria::search_text(text("options.customEmailConfig")?.as_deref())?;
        let tracks_last_uid =
            version < 2.0 || (version >= 2.1 && flag("options.trackLastMessageId")? != Some(false));
        Ok(Self {
            mailbox: text("mailbox")?.unwrap_or_else(|| "INBOX".into()),
            search,
            mark_read: text("postProcessAction")?.as_deref() != Some("nothing"),
            shape: ItemShape {
                format,
                with_uid: version >= 2.0,
                attachment_prefix,
            },
            tracks_last_uid,
            allow_unauthorized_certs: if version < 2.0 {
                flag("options.allowUnauthorizedCerts")?
            } else {
                None
            },
        })
    }

    async fn open(&self, ctx: &NodeContext<'_>) -> Result<Box<dyn MailboxSession>, NodeError> {
        ctx.open_mailbox(IMAP.name, &self.mailbox, self.allow_unauthorized_certs)
            .await
    }
}

/// The trigger's state: n8n's `lastMessageUid`, and where the mailbox stood at the last poll.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_message_uid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uid_validity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uid_next: Option<u32>,
}

/// What a poll does after the commit: the UIDs to mark read.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MarkRead {
    mark_seen: Vec<u32>,
}

/// What one search found: the items and the UIDs they came from.
struct Found {
    items: Vec<Item>,
    uids: Vec<u32>,
    /// The highest UID looked at (emitted or skipped).
    highest: Option<u32>,
    /// More matched than [`MAX_PER_POLL`].
    truncated: bool,
    warnings: Vec<String>,
}

/// Searches `search`, keeps UIDs above `after`, fetches them in batches and builds the items.
async fn find(
    session: &mut dyn MailboxSession,
    settings: &Settings,
    search: &str,
    after: Option<u32>,
) -> Result<Found, NodeError> {
    let mut uids = session.search(search).await?;
    uids.retain(|uid| after.is_none_or(|after| *uid > after));
    let truncated = uids.len() > MAX_PER_POLL;
    uids.truncate(MAX_PER_POLL);
    let mut found = Found {
        items: Vec::new(),
        uids: Vec::new(),
        highest: uids.last().copied(),
        truncated,
        warnings: Vec::new(),
    };
    for batch in uids.chunks(BATCH) {
        let mut wanted = Vec::new();
        for (uid, size) in session.sizes(batch).await? {
            if size <= MAX_FILE_BYTES as u64 {
                wanted.push(uid);
            } else {
                found.warnings.push(format!(
                    "email UID {uid} is skipped: it has {size} bytes, over weft's limit of {MAX_FILE_BYTES}"
                ));
            }
        }
        for message in session.fetch(&wanted).await? {
            found.items.push(items::item_of(&message, &settings.shape));
            found.uids.push(message.uid);
        }
    }
    Ok(found)
}

#[async_trait]
impl Node for EmailReadImap {
    fn description(&self) -> &'static NodeDescription {
        &description::DESCRIPTION
    }

    /// Manual mode: one search of the rules, every match emitted, then the action.
    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let settings = Settings::read(ctx)?;
        let mut session = settings.open(ctx).await?;
        let result = async {
            let found = find(session.as_mut(), &settings, &settings.search, None).await?;
            if settings.mark_read {
                session.mark_seen(&found.uids).await?;
            }
            Ok::<_, NodeError>(found)
        }
        .await;
        session.logout().await;
        let found = result?;
        for warning in &found.warnings {
            tracing::warn!(node = %ctx.node().name, "{warning}");
        }
        out.emit(0, found.items).await
    }

    fn polling(&self) -> Option<&dyn PollingTrigger> {
        Some(self)
    }

    fn unsupported(&self, version: f64, parameters: &Value) -> Vec<Unsupported> {
        if version < 2.0 && parameters["options"]["allowUnauthorizedCerts"] == Value::Bool(true) {
            return vec![Unsupported::new(
                "options.allowUnauthorizedCerts",
                "weft always checks the IMAP server's certificate",
                "remove the option and give the server a certificate the system trusts",
            )];
        }
        Vec::new()
    }
}

#[async_trait]
impl PollingTrigger for EmailReadImap {
    async fn poll(
        &self,
        ctx: &NodeContext<'_>,
        state: Option<Value>,
        _at: DateTime<Utc>,
    ) -> Result<Poll, NodeError> {
        let settings = Settings::read(ctx)?;
        let state: State = match state {
            Some(state) => serde_json::from_value(state).map_err(|error| {
                NodeError::operation(format!(
                    "The saved state of the Email Trigger cannot be read: {error}"
                ))
                .with_description("`weft start --reset-state` forgets it")
            })?,
            None => State::default(),
        };
        let mut session = settings.open(ctx).await?;
        let polled = poll_mailbox(session.as_mut(), &settings, state).await;
        session.logout().await;
        polled
    }

    async fn after_commit(&self, ctx: &NodeContext<'_>, work: Value) -> Result<(), NodeError> {
        let MarkRead { mark_seen } = serde_json::from_value(work)
            .map_err(|error| NodeError::operation(error.to_string()))?;
        let settings = Settings::read(ctx)?;
        let mut session = settings.open(ctx).await?;
        let marked = session.mark_seen(&mark_seen).await;
        session.logout().await;
        marked
    }
}

/// One scheduled poll of the open mailbox from `state`.
async fn poll_mailbox(
    session: &mut dyn MailboxSession,
    settings: &Settings,
    mut state: State,
) -> Result<Poll, NodeError> {
    let status = session.status();
    let mut warnings = Vec::new();
    if state.uid_validity.is_some() && state.uid_validity != status.uid_validity {
        warnings.push(format!(
            "the mailbox \"{}\" was recreated (its UIDVALIDITY changed); the trigger starts again from its newest email",
            settings.mailbox
        ));
        state = State::default();
    }
    if !settings.tracks_last_uid {
        state.last_message_uid = None;
    }
    let first_poll = state.uid_next.is_none() && state.last_message_uid.is_none();
    let arrived = match (state.uid_next, status.uid_next) {
        (Some(before), Some(now)) => now > before,
        _ => true,
    };
    let unchanged = |state: State, warnings| Poll {
        items: Vec::new(),
        state: json!(state),
        warnings,
        after_commit: None,
    };
    if first_poll {
        // As n8n at activation: nothing is emitted; what arrives from now on is.
        let baseline = State {
            last_message_uid: settings
                .tracks_last_uid
                .then(|| status.uid_next.map(|next| next.saturating_sub(1)))
                .flatten(),
            uid_validity: status.uid_validity,
            uid_next: status.uid_next,
        };
        return Ok(unchanged(baseline, warnings));
    }
    if !arrived {
        return Ok(unchanged(state, warnings));
    }
    let search = match state.last_message_uid {
        Some(last) => format!("{} UID {last}:*", settings.search),
        None => settings.search.clone(),
    };
    let found = find(session, settings, &search, state.last_message_uid).await?;
    warnings.extend(found.warnings);
    let next = State {
        last_message_uid: if settings.tracks_last_uid {
            found.highest.max(state.last_message_uid)
        } else {
            None
        },
        uid_validity: status.uid_validity,
        // A poll that left matches for the next tick must search again then.
        uid_next: if found.truncated {
            state.uid_next
        } else {
            status.uid_next
        },
    };
    let after_commit = (settings.mark_read && !found.uids.is_empty()).then(|| {
        json!(MarkRead {
            mark_seen: found.uids
        })
    });
    Ok(Poll {
        items: found.items,
        state: json!(next),
        warnings,
        after_commit,
    })
}

register_node!(EmailReadImap);
