//! Tests of the condition engine.
