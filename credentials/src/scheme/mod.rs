//! The pure logic of authentication schemes: the requests a scheme sends and how their answers
//! become a [`Session`]. No HTTP client and no clock: the caller sends the request and passes the
//! time in.

mod auth_scheme;
mod pkce;
pub mod server_answer;
mod session;
mod token_error;
mod token_request;

pub use auth_scheme::{AuthScheme, AuthorizeRequest, Grant, SchemeError, TokenHosts, UnixTime};
pub use pkce::{Pkce, random_token};
pub use session::{InstanceUrl, Session, parse_token_response};
pub use token_error::{TokenError, TokenErrorKind};
pub use token_request::{ClientAuth, TokenRequest};
