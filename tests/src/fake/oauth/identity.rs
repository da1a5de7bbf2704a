//! The identity URL (`/id/{org}/{user}`) and OpenID Connect userinfo. A bad, expired or revoked
//! token gets HTTP 403 with the plain-text body `Bad_OAuth_Token`, not JSON.

use super::bearer;
use crate::fake::state::{Fake, org_id};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

fn bad_token() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain;charset=UTF-8")],
        "Bad_OAuth_Token",
    )
        .into_response()
}

/// The username of a valid session presented by the request (header or `oauth_token` parameter).
fn session_user(
    fake: &Fake,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Option<String> {
    let token = bearer(headers).or(query.get("oauth_token").map(String::as_str))?;
    fake.tokens
        .lock()
        .session(token, fake.now())
        .map(|s| s.username.clone())
}

fn urls(fake: &Fake, version: &str, user_id: &str) -> Value {
    let base = format!("{}/services/data/v{version}", fake.instance_url);
    json!({
        "rest": format!("{base}/"), "sobjects": format!("{base}/sobjects/"), "search": format!("{base}/search/"),
        "query": format!("{base}/query/"), "recent": format!("{base}/recent/"),
        "profile": format!("{}/{user_id}", fake.instance_url), "custom_domain": fake.instance_url,
    })
}

fn describe_user(fake: &Fake, username: &str, version: &str) -> Option<Value> {
    let user = fake.config.user(username)?;
    let user_id = fake.user_id(username)?;
    Some(json!({
        "id": fake.identity_url(&user_id), "asserted_user": true, "user_id": user_id,
        "organization_id": org_id(), "username": user.username, "nick_name": user.first_name,
        "display_name": format!("{} {}", user.first_name, user.last_name), "email": user.email,
        "email_verified": true, "first_name": user.first_name, "last_name": user.last_name,
        "timezone": "GMT", "active": user.active, "user_type": "STANDARD", "language": "en_US",
        "locale": "en_US", "utcOffset": 0, "urls": urls(fake, version, &user_id), "is_app_installed": true,
    }))
}

/// `GET /id/{org}/{user}`.
pub async fn identity(
    State(fake): State<Arc<Fake>>,
    Path((org, user)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if session_user(&fake, &headers, &query).is_none() {
        return bad_token();
    }
    let version = query.get("version").map_or("{version}", String::as_str);
    let username = fake
        .config
        .users
        .iter()
        .find(|u| {
            fake.user_id(&u.username)
                .is_some_and(|id| id.eq_ignore_ascii_case(&user))
        })
        .map(|u| u.username.clone());
    match username.filter(|_| org.eq_ignore_ascii_case(&org_id())) {
        Some(name) => {
            describe_user(&fake, &name, version).map_or_else(bad_token, |j| Json(j).into_response())
        }
        None => (StatusCode::NOT_FOUND, "Bad_Id").into_response(),
    }
}

/// `GET /services/oauth2/userinfo`.
pub async fn userinfo(
    State(fake): State<Arc<Fake>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let Some(username) = session_user(&fake, &headers, &query) else {
        return bad_token();
    };
    let Some(me) = describe_user(&fake, &username, "{version}") else {
        return bad_token();
    };
    Json(json!({
        "sub": me["id"], "user_id": me["user_id"], "organization_id": me["organization_id"],
        "preferred_username": me["username"], "nickname": me["nick_name"], "name": me["display_name"],
        "email": me["email"], "email_verified": true, "given_name": me["first_name"],
        "family_name": me["last_name"], "zoneinfo": "GMT", "active": me["active"], "user_type": "STANDARD",
        "language": "en_US", "locale": "en_US", "utcOffset": 0, "urls": me["urls"], "is_app_installed": true,
        "is_salesforce_integration_user": false,
    }))
    .into_response()
}
