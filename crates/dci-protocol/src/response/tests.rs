//! Unit tests of response writing and parsing.
