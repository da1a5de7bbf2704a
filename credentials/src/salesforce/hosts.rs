//! Rules for the Salesforce hosts a user may type: https only (loopback excepted), no Lightning
//! UI hosts, no paths, and My Domain only where a flow demands it.

use url::{Host, Url};

use crate::field_error::FieldError;

/// Parses a host URL typed into `field`. A bare host name (`acme.my.salesforce.com`) becomes
/// `https://acme.my.salesforce.com`; one trailing `/` is dropped.
pub fn parse_host_url(field: &str, text: &str) -> Result<Url, FieldError> {
    let text = text.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| {
        FieldError::new(
            field,
            "is not a valid URL",
            "use the form https://acme.my.salesforce.com",
        )
    })?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(FieldError::new(
            field,
            "must be a host URL without a path, query or fragment",
            "keep only the scheme and host, e.g. https://acme.my.salesforce.com",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(
            field,
            "must not contain a user name or password",
            "keep only the scheme and host, e.g. https://acme.my.salesforce.com",
        ));
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if host.ends_with(".lightning.force.com") {
        return Err(FieldError::new(
            field,
            "is a Lightning UI host, which does not serve the API",
            "use the My Domain URL instead: https://<domain>.my.salesforce.com (Setup > My Domain)",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(FieldError::new(
                field,
                "uses plain http on a host that is not loopback",
                "use https (plain http is allowed only for 127.0.0.1, ::1 and localhost, e.g. a test server)",
            ));
        }
        _ => {
            return Err(FieldError::new(
                field,
                "must be an http(s) URL",
                "use the form https://acme.my.salesforce.com",
            ));
        }
    }
    Ok(url)
}

/// True for 127.0.0.0/8, ::1 and `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// True for Salesforce's generic login hosts, which do not serve client credentials.
pub fn is_generic_login_host(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    host == "login.salesforce.com"
        || host == "test.salesforce.com"
        || host.ends_with(".salesforce-setup.com")
}

/// The URL without its trailing slash, as Salesforce compares audiences.
pub fn origin_text(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_owned()
}

/// `base` joined with an absolute path such as `/services/oauth2/token`.
pub fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    url.set_path(path);
    url.set_query(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_hosts_become_https_and_trailing_slash_goes() {
        let url = parse_host_url("url", "acme.my.salesforce.com").unwrap();
        assert_eq!(origin_text(&url), "https://acme.my.salesforce.com");
        let url = parse_host_url("url", "https://acme.my.salesforce.com/").unwrap();
        assert_eq!(origin_text(&url), "https://acme.my.salesforce.com");
    }

    #[test]
    fn refuses_lightning_paths_and_plain_http() {
        for bad in [
            "https://acme.lightning.force.com",
            "https://acme.my.salesforce.com/services",
            "http://acme.my.salesforce.com",
            "ftp://acme.my.salesforce.com",
        ] {
            assert!(parse_host_url("url", bad).is_err(), "{bad}");
        }
        for good in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(parse_host_url("url", good).is_ok(), "{good}");
        }
    }
}
