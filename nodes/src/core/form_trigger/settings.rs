//! What a Form Trigger reads at activation and keeps in its endpoint
//! ([`crate::WebhookEndpoint::settings`]) for the requests it answers.

use serde::{Deserialize, Serialize};

use super::fields::FormField;

/// A form as served.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct FormSettings {
    /// `formTitle`.
    pub title: String,
    /// `formDescription` (HTML, cleaned when shown).
    pub description: String,
    /// The form's elements in order.
    pub fields: Vec<FormField>,
    /// `options.buttonLabel`, else `Submit`.
    pub button_label: String,
    /// `options.appendAttribution` (typeVersion 2 on; typeVersion 1 always appends).
    pub append_attribution: bool,
    /// `options.customCss`.
    pub custom_css: Option<String>,
    /// The workflow's time zone when `submittedAt` is in it; `None`: UTC.
    pub zone: Option<String>,
    /// `options.ignoreBots`.
    pub ignore_bots: bool,
    /// `options.showHeaders`.
    pub show_headers: bool,
}
