//! Hand-written end-to-end tests of the generated SDK live in `tests/`.
//!
//! The README's quick start is compiled here as a doctest, so it always matches the SDK.
#![doc = include_str!("../../README.md")]
