//! Pieces the three Salesforce types share: typed parsing of data, host checks, the API base and
//! sessions that n8n stored inside a credential.

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::credential_type::CredentialType;
use crate::field_error::FieldError;
use crate::registry::validate;
use crate::schema::str_field;
use crate::scheme::{SchemeError, Session};
use crate::secret::Secret;

use super::ApiVersion;
use super::hosts::{endpoint, parse_host_url};

/// Reads a credential's data into its typed form, defaults applied. Data that does not fit is
/// reported with the same field errors as validation.
pub fn parse_data<T: DeserializeOwned>(
    credential_type: &CredentialType,
    data: &Value,
) -> Result<T, SchemeError> {
    serde_json::from_value(data.clone()).map_err(|_| {
        SchemeError::InvalidData(validate(credential_type, data).err().unwrap_or_else(|| {
            vec![FieldError::new(
                "",
                "does not fit the credential type",
                "run `weft credentials validate` for details",
            )]
        }))
    })
}

/// Host-rule errors for each of `fields` that holds a non-empty string.
pub fn host_errors(data: &Value, fields: &[&str]) -> Vec<FieldError> {
    fields
        .iter()
        .filter_map(|field| {
            str_field(data, field)
                .filter(|text| !text.trim().is_empty())
                .and_then(|text| parse_host_url(field, text).err())
        })
        .collect()
}

/// The org's host of a session. Salesforce types require one ([`crate::scheme::InstanceUrl::REQUIRED`]), so
/// every session they obtain names it.
pub fn instance(session: &Session) -> Result<&Url, SchemeError> {
    session
        .instance_url
        .as_ref()
        .ok_or(SchemeError::MissingInstance)
}

/// `<instance_url>/services/data/vXX.X`.
pub fn api_base(session: &Session, version: &ApiVersion) -> Result<Option<Url>, SchemeError> {
    Ok(Some(endpoint(
        instance(session)?,
        &format!("/services/data/{}", version.path_segment()),
    )))
}

/// A session from a token and instance URL that n8n cached in the credential, when both are set.
pub fn stored_session_from(token: Option<&str>, instance_url: Option<&str>) -> Option<Session> {
    let token = token.filter(|token| !token.is_empty())?;
    let instance_url = Url::parse(instance_url?).ok()?;
    Some(Session::new(Secret::new(token), Some(instance_url)))
}
