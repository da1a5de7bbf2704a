//! Answering an HTTP Digest challenge (RFC 7616) for a static credential's `DigestLogin`: the
//! server's `WWW-Authenticate: Digest …` of a 401 becomes the `Authorization: Digest …` of the
//! one replay. Parsing the challenge and computing the answer (MD5, SHA-256, their `-sess`
//! variants, `qop=auth`) is the `http-auth` crate's.

use http_auth::{ChallengeRef, DigestClient, PasswordParams, parse_challenges};
use reqwest::header::{HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Request, Response, StatusCode};
use weft_credentials::authenticate::DigestLogin;

/// Why a Digest challenge could not be answered. Names no value of the credential.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// The challenge offers nothing weft can answer (an unknown algorithm, `qop=auth-int` only).
    #[error(
        "the server's Digest challenge cannot be answered: {0} (hint: the server must offer algorithm MD5 or SHA-256 with qop=auth)"
    )]
    Unanswerable(String),
}

/// The first Digest challenge of a 401 that weft can answer (servers list their preferred one
/// first), or `None` when `response` is not a 401 with a Digest challenge.
pub fn challenge(response: &Response) -> Option<Result<DigestClient, DigestError>> {
    if response.status() != StatusCode::UNAUTHORIZED {
        return None;
    }
    let mut refusal = None;
    for value in response.headers().get_all(WWW_AUTHENTICATE) {
        let Ok(text) = value.to_str() else { continue };
        let Ok(challenges) = parse_challenges(text) else {
            continue;
        };
        for offered in challenges.iter().filter(|offered| is_digest(offered)) {
            match DigestClient::try_from(offered) {
                Ok(client) => return Some(Ok(client)),
                Err(reason) => refusal = Some(reason),
            }
        }
    }
    refusal.map(|reason| Err(DigestError::Unanswerable(reason)))
}

fn is_digest(challenge: &ChallengeRef<'_>) -> bool {
    challenge.scheme.eq_ignore_ascii_case("Digest")
}

/// The `Authorization` value that answers `client`'s challenge for `request` (its method and
/// its path with the query, as the request line carries them), marked sensitive.
pub fn answer(
    client: &mut DigestClient,
    login: &DigestLogin,
    request: &Request,
) -> Result<HeaderValue, DigestError> {
    let url = request.url();
    let uri = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let params = PasswordParams {
        username: &login.user,
        password: login.password.expose(),
        uri: &uri,
        method: request.method().as_str(),
        body: request.body().and_then(|body| body.as_bytes()),
    };
    let text = client.respond(&params).map_err(DigestError::Unanswerable)?;
    let mut value = HeaderValue::from_str(&text).map_err(|_| {
        DigestError::Unanswerable("the user name cannot be sent in a header".to_owned())
    })?;
    value.set_sensitive(true);
    Ok(value)
}
