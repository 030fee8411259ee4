//! Integration tests of dci-protocol: one binary, a module per subject.

mod runtime;
mod seed_examples;
