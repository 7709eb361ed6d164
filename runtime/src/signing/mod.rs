//! Signing (placeholder).
