//! The benchmark harness behind the `bench` binary (issue #8): scenarios that run the real `weft`
//! binary against an in-process fake Salesforce and compare it with floor programs, measuring
//! wall time and peak RSS per child process, and the fake's request counts.

pub mod floor;
pub mod measure;
pub mod per_item;
pub mod report;
pub mod scenarios;
pub mod workflows;
