//! The condition engine shared by IF, Filter and Switch: n8n's filter-type parameter
//! ([`Filter`]: every operator of every type, strict and loose type validation with n8n's
//! error texts, filter versions 1-3) and the legacy conditions of IF v1, Filter v1 and
//! Switch v1/v2 ([`legacy`]).

mod error;
mod filter;
pub(crate) mod js;
pub mod legacy;
mod operand;
mod operators;
mod regex;

#[cfg(test)]
mod tests;

pub use error::ConditionError;
pub use filter::{Combinator, Condition, Filter, FilterOptions, Operator};
pub use operand::Validation;
pub(crate) use operand::{loose_boolean, parse_date_time_in};
