//! Hand-written end-to-end tests of the generated SDK live in `tests/`.
