//! The registry: every linked type, in name order, duplicates refused.

use weft_credentials::{Registry, RegistryError, salesforce};

#[test]
fn lists_the_generic_and_salesforce_types_in_name_order() {
    let registry = Registry::global().unwrap();
    let names: Vec<&str> = registry.types().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "httpBasicAuth",
            "httpBearerAuth",
            "httpCustomAuth",
            "httpDigestAuth",
            "httpHeaderAuth",
            "httpQueryAuth",
            "imap",
            "oAuth2Api",
            "salesforceClientCredentialsApi",
            "salesforceJwtApi",
            "salesforceOAuth2Api",
            "smtp"
        ]
    );
}

#[test]
fn refuses_a_duplicate_name() {
    let error = Registry::build([
        &salesforce::SALESFORCE_JWT,
        &salesforce::SALESFORCE_OAUTH2,
        &salesforce::SALESFORCE_JWT,
    ])
    .unwrap_err();
    assert_eq!(error, RegistryError::Duplicate("salesforceJwtApi"));
    assert!(error.to_string().contains("registered more than once"));
}
