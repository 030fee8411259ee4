//! Runs DCImanager handlers as DCImanager does (placeholder).
