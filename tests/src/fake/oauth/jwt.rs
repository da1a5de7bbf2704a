//! Verification of JWT bearer assertions, with the checks and exact errors of Salesforce:
//! `iss` a known consumer key, RS256 signature by the app's registered key, `aud` among the
//! accepted audiences (exact strings) (External Client Apps refuse legacy ones), `exp` in the future, `sub` (or
//! `prn`) a known, active, pre-authorised user.

use super::OAuthError;
use crate::fake::state::Fake;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;
use serde_json::Value as Json;

#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    prn: Option<String>,
    #[serde(default)]
    aud: Json,
    exp: Option<f64>,
}

/// Largest accepted `exp` in strict mode: 3 minutes plus 30 seconds of skew.
const STRICT_EXP_SECS: f64 = 210.0;

/// Checks an assertion; returns the app's consumer key and the username.
pub fn verify(fake: &Fake, assertion: &str) -> Result<(String, String), OAuthError> {
    let invalid = OAuthError::bad("invalid_grant", "invalid assertion");
    let claims: Claims =
        jsonwebtoken::dangerous::insecure_decode_claims(assertion).map_err(|_| invalid.clone())?;
    let iss = claims.iss.clone().unwrap_or_default();
    let app = fake.config.app(&iss).ok_or(OAuthError::bad(
        "invalid_client_id",
        "client identifier invalid",
    ))?;
    let key = fake
        .keys
        .get(&app.client_id)
        .filter(|_| app.jwt_enabled)
        .ok_or(invalid.clone())?;
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| invalid.clone())?;
    if header.alg != Algorithm::RS256 {
        return Err(invalid);
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Json>(assertion, key, &validation).map_err(|_| invalid.clone())?;

    let audiences: Vec<&str> = match &claims.aud {
        Json::String(s) => vec![s.as_str()],
        Json::Array(list) => list.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    let my_domain = audiences.iter().any(|a| *a == fake.instance_url);
    if !my_domain {
        let legacy = audiences
            .iter()
            .any(|a| *a == fake.login_url || fake.config.legacy_audiences.iter().any(|l| l == a));
        if legacy && app.external_client_app {
            return Err(OAuthError::bad(
                "app_not_found",
                "External client app is not installed in this org",
            ));
        }
        if !legacy {
            return Err(OAuthError::bad("invalid_grant", "audience is invalid"));
        }
    }
    let now = fake.now() as f64 / 1000.0;
    match claims.exp {
        Some(exp) if exp > now => {
            if fake.config.strict_jwt_exp && exp > now + STRICT_EXP_SECS {
                return Err(invalid);
            }
        }
        _ => {
            return Err(OAuthError::bad(
                "invalid_grant",
                "expired authorization code",
            ));
        }
    }
    let username = claims.prn.or(claims.sub).unwrap_or_default();
    let user = fake
        .config
        .user(&username)
        .filter(|u| u.pre_authorized)
        .ok_or(OAuthError::bad(
            "invalid_grant",
            "user hasn't approved this consumer",
        ))?;
    if !user.active {
        return Err(OAuthError::bad("invalid_grant", "inactive user"));
    }
    Ok((app.client_id.clone(), user.username.clone()))
}
