//! `/services/oauth2/authorize`: the browser step of the web-server flow. `GET` shows a small HTML
//! page (username field, Approve and Deny buttons) that posts back to the same URL; the `POST`
//! redirects to the callback with `code` and `state`, or `error=access_denied`. A bad `client_id`
//! or `redirect_uri` gets an HTML error page and no redirect, as on Salesforce.

use super::form;
use super::tokens::Code;
use crate::fake::config::ConnectedApp;
use crate::fake::state::Fake;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// How long a code can be exchanged.
const CODE_LIFETIME_MS: i64 = 15 * 60 * 1000;

/// Parameters of the authorize request that travel through the page.
const CARRIED: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

/// `GET`: the consent page.
pub async fn page(State(fake): State<Arc<Fake>>, RawQuery(query): RawQuery) -> Response {
    let params = form(query.unwrap_or_default().as_bytes());
    match check(&fake, &params) {
        Err(response) => *response,
        Ok(_) => {
            let user = params
                .get("login_hint")
                .cloned()
                .or_else(|| fake.config.users.first().map(|u| u.username.clone()))
                .unwrap_or_default();
            Html(consent_page(&params, &user, None)).into_response()
        }
    }
}

/// `POST`: the user's decision.
pub async fn decide(State(fake): State<Arc<Fake>>, body: Bytes) -> Response {
    let params = form(&body);
    let app = match check(&fake, &params) {
        Err(response) => return *response,
        Ok(app) => app,
    };
    let redirect = params.get("redirect_uri").cloned().unwrap_or_default();
    let state = params.get("state");
    if params.get("decision").map(String::as_str) != Some("approve") {
        return redirect_to(
            &redirect,
            &[
                ("error", "access_denied"),
                ("error_description", "end-user denied authorization"),
            ],
            state,
        );
    }
    let username = params.get("username").cloned().unwrap_or_default();
    let Some(user) = fake.config.user(&username).filter(|u| u.active) else {
        let page = consent_page(
            &params,
            &username,
            Some("Please check your username and password."),
        );
        return (StatusCode::OK, Html(page)).into_response();
    };
    let code = fake.tokens.lock().issue_code(Code {
        client_id: app.client_id.clone(),
        username: user.username.clone(),
        redirect_uri: redirect.clone(),
        challenge: params.get("code_challenge").cloned(),
        scope: params.get("scope").cloned().unwrap_or_default(),
        expires_ms: fake.now() + CODE_LIFETIME_MS,
    });
    redirect_to(&redirect, &[("code", &code)], state)
}

/// Validates the client and callback; errors are pages or redirects as Salesforce answers them.
fn check<'a>(
    fake: &'a Fake,
    params: &HashMap<String, String>,
) -> Result<&'a ConnectedApp, Box<Response>> {
    let app = params
        .get("client_id")
        .and_then(|id| fake.config.app(id))
        .ok_or_else(|| Box::new(error_page("invalid_client_id", "client identifier invalid")))?;
    let redirect = params
        .get("redirect_uri")
        .filter(|r| app.allows_redirect(r))
        .ok_or_else(|| {
            Box::new(error_page(
                "redirect_uri_mismatch",
                "redirect_uri must match configuration",
            ))
        })?;
    let state = params.get("state");
    if params.get("response_type").map(String::as_str) != Some("code") {
        return Err(Box::new(redirect_to(
            redirect,
            &[
                ("error", "unsupported_response_type"),
                ("error_description", "response type not supported"),
            ],
            state,
        )));
    }
    let method = params.get("code_challenge_method").map(String::as_str);
    if params.contains_key("code_challenge") && method.is_some_and(|m| m != "S256") {
        return Err(Box::new(redirect_to(
            redirect,
            &[
                ("error", "invalid_request"),
                ("error_description", "unsupported code challenge method"),
            ],
            state,
        )));
    }
    Ok(app)
}

fn redirect_to(base: &str, pairs: &[(&str, &str)], state: Option<&String>) -> Response {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    if let Some(s) = state {
        query.append_pair("state", s);
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    let location = format!("{base}{sep}{}", query.finish());
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

fn error_page(error: &str, description: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>error={error}</h1>\
         <p>error_description={description}</p></body></html>"
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn consent_page(params: &HashMap<String, String>, user: &str, problem: Option<&str>) -> String {
    let hidden: String = CARRIED
        .iter()
        .filter_map(|k| params.get(*k).map(|v| (k, v)))
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                escape(v)
            )
        })
        .collect();
    let problem = problem
        .map(|p| format!("<p class=\"error\">{}</p>", escape(p)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html><head><title>Allow Access?</title></head><body>\
         <h1>Allow Access?</h1>{problem}<form method=\"post\" action=\"/services/oauth2/authorize\">{hidden}\
         <label>Username <input name=\"username\" value=\"{}\"></label>\
         <button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form></body></html>",
        escape(user)
    )
}
