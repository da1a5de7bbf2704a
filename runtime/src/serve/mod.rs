//! `weft serve`: a local web page for adding, checking and connecting credentials, its forms
//! drawn from the credential types' JSON Schemas.
//!
//! - [`router`]: routes and layers; [`guard`]: Host, launch token and origin checks;
//!   [`headers`]: CSP and other security headers; [`body`]: JSON bodies with clear refusals;
//!   [`api_error`]: the `{error, hint, problems}` answers.
//! - [`types`]: the registered types and their schemas; [`credentials`]: list, read (never a
//!   secret), add, edit (stored secrets kept), remove; [`test_action`] and [`connect`]: Test and
//!   Connect through [`crate::auth`]'s shared actions.
//! - [`assets`]: the built front end (web/), embedded; [`launch_token`]: the per-launch token;
//!   [`state`]: what the handlers share.

mod api_error;
mod assets;
mod body;
mod connect;
mod credentials;
mod guard;
mod headers;
mod launch_token;
mod router;
mod state;
mod test_action;
mod types;

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::store::Store;
use launch_token::LaunchToken;
use state::{AllowedHosts, AppState};

/// A bound server, not yet serving.
pub struct Server {
    listener: TcpListener,
    address: SocketAddr,
    state: Arc<AppState>,
}

impl Server {
    /// Binds `address:port` (port 0 = any free port) with a new launch token.
    pub async fn bind(store: Store, address: IpAddr, port: u16) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((address, port))
            .await
            .with_context(|| format!("cannot listen on {}", SocketAddr::new(address, port)))?;
        let address = listener.local_addr()?;
        let state = Arc::new(AppState::new(
            Arc::new(store),
            LaunchToken::generate(),
            allowed_hosts(address),
        ));
        Ok(Self {
            listener,
            address,
            state,
        })
    }

    /// The page's address with the launch token: `http://127.0.0.1:<port>/#token=<hex>`.
    pub fn url(&self) -> String {
        let host = if self.address.ip().is_unspecified() {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), self.address.port())
        } else {
            self.address
        };
        format!("http://{host}/#token={}", self.state.token.expose())
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        axum::serve(self.listener, router::router(self.state))
            .with_graceful_shutdown(shutdown)
            .await
            .context("the server stopped")
    }
}

/// The Host values of `address`: itself, and the loopback names for a loopback address; any for
/// an unspecified one.
fn allowed_hosts(address: SocketAddr) -> AllowedHosts {
    let ip = address.ip();
    if ip.is_unspecified() {
        return AllowedHosts::Any;
    }
    let port = address.port();
    let mut hosts = vec![address.to_string()];
    if ip.is_loopback() {
        hosts.extend(
            ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .map(|name| format!("{name}:{port}")),
        );
    }
    AllowedHosts::Only(hosts)
}
