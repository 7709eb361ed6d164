//! Wire JSON (placeholder).
