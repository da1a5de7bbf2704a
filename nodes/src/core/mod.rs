//! The core nodes every workflow uses: Manual Trigger, No Op, Stop and Error, HTTP Request.

mod http_request;
mod manual_trigger;
mod no_op;
mod stop_and_error;

pub use http_request::HttpRequest;
pub use manual_trigger::ManualTrigger;
pub use no_op::NoOp;
pub use stop_and_error::StopAndError;
