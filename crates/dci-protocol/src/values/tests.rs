//! Unit tests of the value types.
