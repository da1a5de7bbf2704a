//! `weft credentials test` and `weft credentials connect`: the commands that talk to a service
//! through a credential's session. The work is done by [`crate::auth`]'s shared actions (also
//! used by `weft serve`); this module prints their outcome.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use tokio::sync::oneshot;
use url::Url;

use super::browser;
use crate::auth::{PendingAuthorization, Problem, ResolvedCredential, test_credential};
use crate::store::Store;

/// `weft credentials test <name>`: the type's test request through the credential's session;
/// prints who the credential acts as, or the service's answer and a hint.
pub fn test(id_or_name: &str) -> anyhow::Result<ExitCode> {
    let store = Arc::new(Store::open_default()?);
    let tested = runtime()?.block_on(test_credential(store, id_or_name));
    match tested {
        Ok(tested) => {
            println!("ok: credential \"{id_or_name}\" {tested}");
            Ok(ExitCode::SUCCESS)
        }
        Err(problem) => Ok(refused(&problem)),
    }
}

fn refused(problem: &Problem) -> ExitCode {
    eprintln!("weft: {problem}");
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
        Err(error) => return Ok(refused(&Problem::from_error(&error, "check the name"))),
    };
    runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", options.port))?;
        let port = listener.local_addr()?.port();
        let redirect = Url::parse(&format!("http://127.0.0.1:{port}/callback"))?;
        let pending = match PendingAuthorization::start(credential, redirect) {
            Ok(pending) => pending,
            Err(problem) => return Ok(refused(&problem)),
        };
        let (sender, receiver) = oneshot::channel();
        let sender: CallbackSender = Arc::new(Mutex::new(Some(sender)));
        let app = Router::new()
            .route("/callback", get(callback))
            .with_state(sender);
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let name = pending.credential().name.clone();
        eprintln!(
            "Open this address in a browser to connect \"{name}\" (the app's callback URL must be {}):\n{}",
            pending.redirect_uri(),
            pending.authorize_url()
        );
        if options.open_browser {
            browser::open(pending.authorize_url().as_str());
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
        match pending.finish(&store, &answer).await {
            Ok(connected) => {
                println!("connected: credential \"{name}\" {connected}");
                Ok(ExitCode::SUCCESS)
            }
            Err(problem) => Ok(refused(&problem)),
        }
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
                "<!DOCTYPE html><title>weft</title><p>weft received the authorization server's answer. You can close this window.</p>",
            )
        }
        None => {
            Html("<!DOCTYPE html><title>weft</title><p>This connection is already complete.</p>")
        }
    }
}
