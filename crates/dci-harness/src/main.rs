//! The dci-harness CLI (placeholder).

fn main() {}
