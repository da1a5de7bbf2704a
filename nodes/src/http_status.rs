//! n8n's `NodeApiError` headline for an HTTP status, shared by every node that calls an API.

use crate::error::NodeError;

/// The message n8n chooses for `status`.
pub fn status_message(status: u16) -> &'static str {
    match status {
        400 => "Bad request - please check your parameters",
        401 => "Authorization failed - please check your credentials",
        402 => "Payment required - perhaps check your payment details?",
        403 => "Forbidden - perhaps check your credentials?",
        404 => "The resource you are requesting could not be found",
        405 => "Method not allowed - please check you are using the right HTTP method",
        429 => "The service is receiving too many requests from you",
        500 => "The service was not able to process your request",
        502 => "Bad gateway - the service failed to handle your request",
        503 => {
            "Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)"
        }
        504 => "Gateway timed out - perhaps try again later?",
        501.. => "The service failed to process your request",
        _ => "Your request is invalid or could not be processed by the service",
    }
}

impl NodeError {
    /// The `NodeApiError` for an HTTP error answer: n8n's message for the status, the status,
    /// and `<status> - <body>` as the cause.
    pub fn from_status(status: u16, body: &str) -> Self {
        NodeError::api(status_message(status))
            .with_http_code(status)
            .with_cause(format!("{status} - {body}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_n8n_messages() {
        assert_eq!(
            status_message(404),
            "The resource you are requesting could not be found"
        );
        assert_eq!(
            status_message(418),
            "Your request is invalid or could not be processed by the service"
        );
        assert_eq!(
            status_message(507),
            "The service failed to process your request"
        );
        let error = NodeError::from_status(400, "[]");
        assert_eq!(
            (error.http_code, error.cause.as_deref()),
            (Some(400), Some("400 - []"))
        );
    }
}
