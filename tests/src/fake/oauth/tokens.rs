//! Issued credentials: access tokens (opaque `00D…!AQ….` strings), refresh tokens (with rotation
//! families) and authorization codes. Each remembers its app, user, scope and times.

use crate::fake::state::org_id;
use rand::Rng;
use rand::distr::Alphanumeric;
use std::collections::HashMap;

/// An access token's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub client_id: String,
    pub username: String,
    pub scope: String,
    pub issued_ms: i64,
    pub expires_ms: i64,
    pub revoked: bool,
    /// The refresh token this session came from.
    pub refresh: Option<String>,
}

/// A refresh token.
#[derive(Clone, Debug)]
pub struct Refresh {
    pub client_id: String,
    pub username: String,
    pub scope: String,
    pub revoked: bool,
    /// Rotated away: presenting it again revokes its whole family.
    pub used: bool,
    pub family: u64,
}

/// An authorization code waiting to be exchanged.
#[derive(Clone, Debug)]
pub struct Code {
    pub client_id: String,
    pub username: String,
    pub redirect_uri: String,
    pub challenge: Option<String>,
    pub scope: String,
    pub expires_ms: i64,
}

/// All issued credentials.
#[derive(Debug, Default)]
pub struct Tokens {
    access: HashMap<String, Session>,
    refresh: HashMap<String, Refresh>,
    codes: HashMap<String, Code>,
    families: u64,
}

fn random(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

impl Tokens {
    /// Issues an access token.
    pub fn issue_access(&mut self, session: Session) -> String {
        let org = org_id();
        let token = format!("{}!AQ8AQ.{}", &org[..15], random(96));
        self.access.insert(token.clone(), session);
        token
    }

    /// Issues a refresh token, in a new family unless `family` continues a rotated one.
    pub fn issue_refresh(
        &mut self,
        client_id: &str,
        username: &str,
        scope: &str,
        family: Option<u64>,
    ) -> String {
        let family = family.unwrap_or_else(|| {
            self.families += 1;
            self.families
        });
        let token = format!("5Aep861{}", random(80));
        self.refresh.insert(
            token.clone(),
            Refresh {
                client_id: client_id.into(),
                username: username.into(),
                scope: scope.into(),
                revoked: false,
                used: false,
                family,
            },
        );
        token
    }

    /// Stores an authorization code and returns it (ends in `==`, like Salesforce's).
    pub fn issue_code(&mut self, code: Code) -> String {
        let text = format!("aPrx{}==", random(60));
        self.codes.insert(text.clone(), code);
        text
    }

    /// Takes a code out (codes are single-use).
    pub fn take_code(&mut self, code: &str) -> Option<Code> {
        self.codes.remove(code)
    }

    /// A session that is valid at `now`.
    pub fn session(&self, token: &str, now: i64) -> Option<&Session> {
        self.access
            .get(token)
            .filter(|s| !s.revoked && s.expires_ms > now)
    }

    /// Any known session, valid or not (for introspection).
    pub fn any_session(&self, token: &str) -> Option<&Session> {
        self.access.get(token)
    }

    pub fn refresh_token(&self, token: &str) -> Option<&Refresh> {
        self.refresh.get(token)
    }

    /// Marks a refresh token as rotated away.
    pub fn mark_used(&mut self, token: &str) {
        if let Some(r) = self.refresh.get_mut(token) {
            r.used = true;
        }
    }

    /// Revokes every refresh token of a family and all sessions they produced.
    pub fn revoke_family(&mut self, family: u64) {
        let members: Vec<String> = self
            .refresh
            .iter_mut()
            .filter(|(_, r)| r.family == family)
            .map(|(t, r)| {
                r.revoked = true;
                t.clone()
            })
            .collect();
        for s in self.access.values_mut() {
            if s.refresh.as_ref().is_some_and(|r| members.contains(r)) {
                s.revoked = true;
            }
        }
    }

    /// Revokes an access token, or a refresh token with its sessions. False if unknown.
    pub fn revoke(&mut self, token: &str) -> bool {
        if let Some(s) = self.access.get_mut(token) {
            s.revoked = true;
            return true;
        }
        let Some(r) = self.refresh.get_mut(token) else {
            return false;
        };
        r.revoked = true;
        for s in self.access.values_mut() {
            if s.refresh.as_deref() == Some(token) {
                s.revoked = true;
            }
        }
        true
    }

    /// Revokes every access token (refresh tokens keep working).
    pub fn revoke_all_access(&mut self) {
        self.access.values_mut().for_each(|s| s.revoked = true);
    }

    /// Makes every current session expire at `now`.
    pub fn expire_all(&mut self, now: i64) {
        self.access
            .values_mut()
            .for_each(|s| s.expires_ms = s.expires_ms.min(now));
    }
}
