//! Unit tests of request parsing and validation.
