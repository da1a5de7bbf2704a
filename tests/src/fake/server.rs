//! The two listeners (login host and My Domain host) and the front door every request passes:
//! request log, fault injection, then the router. Connections are served with hyper directly so a
//! `drop_connection` fault can close the socket without answering.

use super::faults::{self, Action};
use super::log::{self, HostRole, LogEntry};
use super::state::Fake;
use super::{admin, oauth, rest};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;

/// Largest request body accepted (ContentVersion uploads included).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Per-connection context, inserted into every request's extensions.
#[derive(Clone)]
pub struct Conn {
    pub role: HostRole,
    kill: Arc<Notify>,
}

/// The whole application: OAuth, REST, admin, behind the front door.
pub fn router(fake: Arc<Fake>) -> Router {
    let gzip = fake.config.gzip;
    let router = Router::new()
        .merge(oauth::routes())
        .merge(rest::routes())
        .nest("/__admin", admin::routes())
        .layer(middleware::from_fn_with_state(fake.clone(), front_door))
        .with_state(fake);
    if gzip {
        router.layer(CompressionLayer::new().gzip(true))
    } else {
        router
    }
}

/// Logs the request, applies a matching fault, runs the handler, records the status.
async fn front_door(State(fake): State<Arc<Fake>>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/__admin") {
        return next.run(req).await;
    }
    let Some(conn) = req.extensions().get::<Conn>().cloned() else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return rest::error_response(&super::error::ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "REQUEST_ENTITY_TOO_LARGE",
            "Request body too large",
        ));
    };
    let fault = fake
        .faults
        .lock()
        .take(parts.method.as_str(), parts.uri.path());
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            let text = String::from_utf8_lossy(v.as_bytes()).into_owned();
            let shown = if *k == header::AUTHORIZATION {
                log::redact_authorization(&text)
            } else {
                text
            };
            (k.as_str().to_string(), shown)
        })
        .collect();
    let seq = fake.log.lock().push(LogEntry {
        seq: 0,
        host: conn.role,
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers,
        body: log::body_text(&bytes),
        status: 0,
        fault: fault.as_ref().map(|f| f.name()),
    });
    let mut break_body = None;
    match fault.map(|f| f.action()) {
        Some(Action::Respond(response)) => {
            fake.log.lock().finish(seq, response.status().as_u16());
            return response;
        }
        Some(Action::Drop) => {
            conn.kill.notify_one();
            return std::future::pending().await;
        }
        Some(Action::Delay(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(Action::BreakBody { truncate }) => break_body = Some(truncate),
        None => {}
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    fake.log.lock().finish(seq, response.status().as_u16());
    match break_body {
        None => response,
        Some(truncate) => {
            let (mut parts, body) = response.into_parts();
            let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(faults::break_body(&body, truncate)))
        }
    }
}

/// Accepts connections until `shutdown` changes (or its sender is dropped), counting them.
pub async fn serve(
    listener: TcpListener,
    role: HostRole,
    fake: Arc<Fake>,
    mut shutdown: watch::Receiver<bool>,
) {
    let app = router(Arc::clone(&fake));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    fake.counters.lock().connections += 1;
                    tokio::spawn(connection(stream, role, app.clone(), shutdown.clone()));
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

async fn connection(
    stream: TcpStream,
    role: HostRole,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let kill = Arc::new(Notify::new());
    let conn = Conn {
        role,
        kill: kill.clone(),
    };
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(conn.clone());
        app.clone().oneshot(req.map(Body::new))
    });
    let serving =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = serving => {}
        () = kill.notified() => {}
        _ = shutdown.changed() => {}
    }
}
