//! `SALESFORCE_API`: how Salesforce's REST API answers, for the runtime's middleware. PATCH by id
//! or external id sets fields, so it may be repeated; the concurrent-request 403
//! (`REQUEST_LIMIT_EXCEEDED`, "Concurrent") is worth another attempt, the daily-quota 403 is
//! final; identity and userinfo answer a bad token with the 403 `Bad_OAuth_Token`; a test shows
//! OpenID Connect userinfo's user and org; token errors get hints that say what to change in the
//! org or the app.

use serde_json::{Map, Value};

use crate::api_policy::{ApiPolicy, Identity};
use crate::scheme::server_answer::plain_line;
use crate::scheme::{TokenError, TokenErrorKind};

/// Salesforce's policy, shared by its three credential types.
#[derive(Clone, Copy, Debug)]
pub struct SalesforceApi;

/// The policy of the Salesforce credential types.
pub static SALESFORCE_API: SalesforceApi = SalesforceApi;

impl ApiPolicy for SalesforceApi {
    fn is_idempotent(&self, method: &str) -> bool {
        matches!(
            method,
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "PATCH"
        )
    }

    fn reads_body(&self, status: u16) -> bool {
        status == 403
    }

    fn is_retryable(&self, status: u16, body: &str) -> bool {
        match status {
            429 | 500 | 502 | 503 | 504 => true,
            403 => body.contains("REQUEST_LIMIT_EXCEEDED") && body.contains("Concurrent"),
            _ => false,
        }
    }

    fn session_refused(&self, status: u16, body: &str) -> bool {
        status == 401 || (status == 403 && body.trim() == "Bad_OAuth_Token")
    }

    fn identity(&self, answer: &Value) -> Option<Identity> {
        let field = |key: &str| {
            answer[key]
                .as_str()
                .map_or_else(|| "?".to_owned(), plain_line)
        };
        let (username, user_id, organization_id) = (
            field("preferred_username"),
            field("user_id"),
            field("organization_id"),
        );
        let summary = format!("user {username} ({user_id}), org {organization_id}");
        let mut fields = Map::new();
        fields.insert("username".into(), username.into());
        fields.insert("userId".into(), user_id.into());
        fields.insert("organizationId".into(), organization_id.into());
        Some(Identity { summary, fields })
    }

    fn test_failure_hint(&self, status: u16) -> &'static str {
        match status {
            401 | 403 => {
                "Salesforce refused the session even after a renewal: check that the user is active and the app grants the `api` and `openid` (or `id`) scopes"
            }
            404 => "the host does not serve /services/oauth2/userinfo: check My Domain URL",
            _ => "Salesforce could not answer: try again later",
        }
    }

    fn token_error_hint(&self, error: &TokenError) -> &'static str {
        if error.is_retryable() {
            return "Salesforce is busy or unavailable: weft retries; if it persists, check https://status.salesforce.com";
        }
        match error.kind {
            TokenErrorKind::IncompleteResponse => {
                "the token endpoint is not a Salesforce token endpoint, or the app's scopes omit `api`: check the URL and the app's OAuth scopes"
            }
            TokenErrorKind::Unreadable | TokenErrorKind::MalformedResponse => {
                "the URL does not point at a Salesforce token endpoint: check My Domain URL / environment"
            }
            _ => HINTS
                .iter()
                .find(|(code, prefix, _)| {
                    *code == error.error && error.description.starts_with(prefix)
                })
                .map_or(
                    "check the app's OAuth settings and the credential's fields",
                    |(_, _, hint)| hint,
                ),
        }
    }
}

/// Hints keyed by (`error`, start of `error_description`); the first match wins, and an empty
/// description prefix matches any description.
const HINTS: &[(&str, &str, &str)] = &[
    (
        "invalid_grant",
        "user hasn't approved this consumer",
        "pre-authorise the user: in the app's policies set Permitted Users to \"Admin approved users are pre-authorized\" and assign the user's profile or a permission set to the app",
    ),
    (
        "invalid_grant",
        "audience is invalid",
        "the JWT audience is not accepted by this org: set My Domain URL to the org's My Domain (https://<domain>.my.salesforce.com), or pick the right environment (sandboxes use test.salesforce.com)",
    ),
    (
        "invalid_grant",
        "invalid assertion",
        "the assertion's signature did not verify: upload the certificate that matches this private key to the app, and check the Client ID and username",
    ),
    (
        "invalid_grant",
        "expired authorization code",
        "the JWT assertion or authorisation code expired: check this machine's clock, or run `weft credentials connect` again",
    ),
    (
        "invalid_grant",
        "login rate exceeded",
        "Salesforce caps logins per user and hour: wait, and make sure no other tool logs in as this user in a loop (weft reuses its sessions)",
    ),
    (
        "invalid_grant",
        "inactive user",
        "activate the user in Setup > Users",
    ),
    (
        "invalid_grant",
        "user is locked",
        "unlock or unfreeze the user in Setup > Users",
    ),
    (
        "invalid_grant",
        "inactive organization",
        "the org is inactive or expired: use an active org",
    ),
    (
        "invalid_grant",
        "request not supported on this domain",
        "client credentials only work on your My Domain, e.g. https://acme.my.salesforce.com",
    ),
    (
        "invalid_grant",
        "no client credentials user enabled",
        "choose a Run As user in the app's Client Credentials Flow settings",
    ),
    (
        "invalid_grant",
        "expired access/refresh token",
        "the refresh token was revoked or expired: run `weft credentials connect <name>` to reconnect",
    ),
    (
        "invalid_grant",
        "no valid scopes",
        "give the app at least the `api` OAuth scope",
    ),
    (
        "invalid_grant",
        "",
        "Salesforce refused the grant: check the app's OAuth policies, the user, and the Client ID",
    ),
    (
        "invalid_client_id",
        "",
        "the Client ID (Consumer Key) is not known to this org: copy it from the app's consumer details, and check the environment or My Domain URL",
    ),
    (
        "invalid_client_credentials",
        "",
        "the Client Secret is wrong: copy the Consumer Secret from the app's consumer details again",
    ),
    (
        "invalid_client",
        "",
        "the Client Secret is wrong: copy the Consumer Secret from the app's consumer details again",
    ),
    (
        "app_not_found",
        "",
        "the External Client App is not installed in this org, or the audience is a legacy login host: set My Domain URL to the org's My Domain",
    ),
    (
        "unsupported_grant_type",
        "",
        "the flow is not enabled on the app: enable it in the app's OAuth settings (JWT bearer needs a certificate; client credentials needs a Run As user)",
    ),
    (
        "unauthorized_client",
        "",
        "the app may not use this flow: enable it in the app's OAuth settings",
    ),
    (
        "redirect_uri_mismatch",
        "",
        "the callback URL must equal one of the app's Callback URLs exactly (scheme, host, port and path)",
    ),
    (
        "invalid_request",
        "refresh_token scope is required",
        "add the refresh_token (offline_access) scope to the app, install it in the org and pre-authorise the user's profile or permission set",
    ),
    (
        "invalid_request",
        "",
        "the request was malformed (for PKCE, the verifier did not match): run `weft credentials connect` again",
    ),
    (
        "invalid_scope",
        "",
        "request only scopes the app allows (`api refresh_token` is enough for weft)",
    ),
];
