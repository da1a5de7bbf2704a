//! Tests of the Date & Time node.
