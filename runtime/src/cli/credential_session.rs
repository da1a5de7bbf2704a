//! `weft credentials test` and `weft credentials connect`: the commands that talk to Salesforce
//! through a credential's session.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde_json::Value;
use tokio::sync::oneshot;
use url::Url;
use weft_credentials::scheme::{Grant, Pkce, random_token};

use crate::auth::{AuthError, Connections, ResolvedCredential, RetryPolicy, TokenClient};
use crate::store::Store;

/// `weft credentials test <name>`: the type's test request (OpenID Connect userinfo) through the
/// credential's session; prints the user and org, or Salesforce's answer and a hint.
pub fn test(id_or_name: &str) -> anyhow::Result<ExitCode> {
    let store = Arc::new(Store::open_default()?);
    runtime()?.block_on(async {
        let connections = Connections::new(store, RetryPolicy::default());
        let client = match connections.client(id_or_name) {
            Ok(client) => client,
            Err(error) => return Ok(refused(&error)),
        };
        let url = match client.test_url().await {
            Ok(url) => url,
            Err(error) => return Ok(refused(&error)),
        };
        let response = match client.http().get(url).send().await {
            Ok(response) => response,
            Err(reqwest_middleware::Error::Middleware(error)) => {
                eprintln!("weft: {error:#}");
                return Ok(ExitCode::from(1));
            }
            Err(error) => {
                eprintln!(
                    "weft: credential \"{id_or_name}\": the test request failed: {error}\n  hint: check the network and the credential's host"
                );
                return Ok(ExitCode::from(1));
            }
        };
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if status.is_success() {
            let user: Value = serde_json::from_str(&body).unwrap_or_default();
            let field = |key: &str| user[key].as_str().unwrap_or("?").to_owned();
            println!(
                "ok: credential \"{id_or_name}\" works: user {} ({}), org {}",
                field("preferred_username"),
                field("user_id"),
                field("organization_id")
            );
            Ok(ExitCode::SUCCESS)
        } else {
            let excerpt: String = body.chars().take(300).collect();
            eprintln!(
                "weft: credential \"{id_or_name}\": the test request answered HTTP {}: {}\n  hint: {}",
                status.as_u16(),
                excerpt.trim(),
                status_hint(status.as_u16())
            );
            Ok(ExitCode::from(1))
        }
    })
}

fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "Salesforce refused the session even after a renewal: check that the user is active and the app grants the `api` and `openid` (or `id`) scopes"
        }
        404 => "the host does not serve /services/oauth2/userinfo: check My Domain URL",
        _ => "Salesforce could not answer: try again later",
    }
}

fn refused(error: &AuthError) -> ExitCode {
    eprintln!("weft: {error}");
    ExitCode::from(1)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Options of `weft credentials connect`.
pub struct ConnectOptions {
    /// The loopback port of the callback (0 = any free port).
    pub port: u16,
    /// Try to open a browser.
    pub open_browser: bool,
    /// How long to wait for the browser.
    pub timeout: Duration,
}

type CallbackSender = Arc<Mutex<Option<oneshot::Sender<HashMap<String, String>>>>>;

/// `weft credentials connect <name>`: the OAuth2 authorization-code flow with PKCE through a
/// callback server on 127.0.0.1; stores the tokens and `instance_url` in the credential.
pub fn connect(id_or_name: &str, options: &ConnectOptions) -> anyhow::Result<ExitCode> {
    let store = Store::open_default()?;
    let credential = match ResolvedCredential::load(&store, id_or_name) {
        Ok(credential) => credential,
        Err(error) => return Ok(refused(&error)),
    };
    let scheme = credential.credential_type.scheme;
    if scheme.grant() != Grant::AuthorizationCode {
        eprintln!(
            "weft: credential \"{}\" is a {} credential, which needs no browser\n  hint: use `weft credentials test {id_or_name}` to check it",
            credential.name, credential.credential_type.name
        );
        return Ok(ExitCode::from(1));
    }
    runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", options.port))?;
        let port = listener.local_addr()?.port();
        let redirect = Url::parse(&format!("http://127.0.0.1:{port}/callback"))?;
        let state = random_token();
        let authorize = match scheme.authorize(&credential.data, &redirect, Pkce::generate(), state)
        {
            Ok(authorize) => authorize,
            Err(error) => {
                eprintln!("weft: credential \"{}\": {error}", credential.name);
                return Ok(ExitCode::from(1));
            }
        };
        let (sender, receiver) = oneshot::channel();
        let sender: CallbackSender = Arc::new(Mutex::new(Some(sender)));
        let app = Router::new()
            .route("/callback", get(callback))
            .with_state(sender);
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        eprintln!(
            "Open this address in a browser to connect \"{}\" (the app's callback URL must be {redirect}):\n{}",
            credential.name, authorize.url
        );
        if options.open_browser {
            open_browser(authorize.url.as_str());
        }
        let Ok(Ok(answer)) = tokio::time::timeout(options.timeout, receiver).await else {
            server.abort();
            eprintln!(
                "weft: no answer from the browser within {} s\n  hint: open the address above, or pass a longer --timeout",
                options.timeout.as_secs()
            );
            return Ok(ExitCode::from(1));
        };
        server.abort();
        if answer.get("state") != Some(&authorize.state) {
            eprintln!(
                "weft: the callback's state does not match this connection\n  hint: run `weft credentials connect` again and use only the newest address"
            );
            return Ok(ExitCode::from(1));
        }
        if let Some(error) = answer.get("error") {
            eprintln!(
                "weft: Salesforce did not authorise the connection: {error}: {}\n  hint: approve access on the Salesforce page, or check the app's Permitted Users policy",
                answer.get("error_description").map_or("", String::as_str)
            );
            return Ok(ExitCode::from(1));
        }
        let Some(code) = answer.get("code") else {
            eprintln!("weft: the callback carried no authorisation code\n  hint: run `weft credentials connect` again");
            return Ok(ExitCode::from(1));
        };
        let request = scheme
            .code_exchange(&credential.data, code, &redirect, &authorize.pkce)
            .map_err(|error| anyhow::anyhow!("credential \"{}\": {error}", credential.name))?;
        let session = match TokenClient::new().send(&credential, &request, None).await {
            Ok(session) => session,
            Err(error) => return Ok(refused(&error)),
        };
        let mut data = credential.data.clone();
        data["oauthTokenData"] = serde_json::to_value(&session)?;
        store.update_credential_data(&credential.id, &data)?;
        println!(
            "connected: credential \"{}\" now reaches {}{}",
            credential.name,
            session.instance_url,
            if session.refresh_token.is_some() {
                ""
            } else {
                " (no refresh token was granted: add the refresh_token scope to the app to stay connected)"
            }
        );
        Ok(ExitCode::SUCCESS)
    })
}

async fn callback(
    State(sender): State<CallbackSender>,
    Query(answer): Query<HashMap<String, String>>,
) -> Html<&'static str> {
    let sender = sender
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take();
    match sender {
        Some(sender) => {
            let _ = sender.send(answer);
            Html(
                "<!DOCTYPE html><title>weft</title><p>weft received Salesforce's answer. You can close this window.</p>",
            )
        }
        None => {
            Html("<!DOCTYPE html><title>weft</title><p>This connection is already complete.</p>")
        }
    }
}

/// Opens `url` in the desktop's browser when there is one; failures are ignored (the address is
/// printed anyway).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let has_display = cfg!(target_os = "macos")
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if has_display {
        let _ = std::process::Command::new(opener)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}
