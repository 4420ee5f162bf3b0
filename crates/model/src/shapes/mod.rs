//! Request and response shapes with AWS's member names, for serde.
//!
//! Requests keep every member as its raw wire value (`Option<String>`, `Option<bool>`,
//! `Option<i64>`), required ones included: serde only rejects a body whose JSON types are wrong
//! (a `SerializationException`), and the service decides, with [`crate::validate`], which field
//! is missing or invalid (an `InvalidParametersException` naming it). Responses are typed, and
//! leave out optional members that are absent.

#[macro_use]
pub mod structure;

pub mod access;
pub mod catalog;
pub mod iam;
pub mod organizations;
pub mod products;

#[cfg(test)]
mod tests;
