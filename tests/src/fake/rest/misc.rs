//! Small resources: the version list (no auth, not counted), the resource map of a version and
//! `limits` (DailyApiRequests shares the counter behind `Sforce-Limit-Info`).

use super::{Answer, Req, json};
use crate::fake::state::Fake;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use std::sync::Arc;

/// Release label of an API version: v31 was Summer '14, three releases a year since.
fn label(major: u32) -> String {
    let i = major.saturating_sub(31);
    let season = ["Summer", "Winter", "Spring"][(i % 3) as usize];
    format!("{season} '{}", 14 + (i + 2).div_euclid(3))
}

/// `GET /services/data/`: every served version, oldest first.
pub async fn versions(State(fake): State<Arc<Fake>>) -> Response {
    let list: Vec<_> = (fake.config.min_api_version..=fake.config.max_api_version)
        .map(|v| json!({"label": label(v), "url": format!("/services/data/v{v}.0"), "version": format!("{v}.0")}))
        .collect();
    json(StatusCode::OK, &list)
}

/// `GET /services/data/vXX.X/`: resource name → path.
pub fn resources(req: &Req) -> Answer {
    let base = format!("/services/data/v{}", req.version);
    let mut map = serde_json::Map::new();
    for (name, path) in [
        ("sobjects", "sobjects"),
        ("query", "query"),
        ("queryAll", "queryAll"),
        ("search", "search"),
        ("parameterizedSearch", "parameterizedSearch"),
        ("limits", "limits"),
        ("composite", "composite"),
        ("actions", "actions"),
        ("recent", "recent"),
        ("tooling", "tooling"),
    ] {
        map.insert(name.into(), format!("{base}/{path}").into());
    }
    let user_id = req.fake.user_id(&req.session.username).unwrap_or_default();
    map.insert("identity".into(), req.fake.identity_url(&user_id).into());
    Ok(json(StatusCode::OK, &map))
}

/// `GET limits`.
pub fn limits(req: &Req) -> Answer {
    let max = req.fake.config.daily_api_limit;
    let used = req.fake.api_usage();
    let limit = |max: u64, remaining: u64| json!({"Max": max, "Remaining": remaining});
    Ok(json(
        StatusCode::OK,
        &json!({
            "DailyApiRequests": limit(max, max.saturating_sub(used)),
            "DailyAsyncApexExecutions": limit(250_000, 250_000),
            "DailyBulkApiBatches": limit(15_000, 15_000),
            "DataStorageMB": limit(5, 5),
            "FileStorageMB": limit(20, 20),
            "HourlyODataCallout": limit(20_000, 20_000),
            "MassEmail": limit(5_000, 5_000),
            "SingleEmail": limit(5_000, 5_000),
        }),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn release_labels() {
        assert_eq!(super::label(31), "Summer '14");
        assert_eq!(super::label(66), "Spring '26");
        assert_eq!(super::label(68), "Winter '27");
    }
}
