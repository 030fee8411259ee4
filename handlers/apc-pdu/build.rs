//! Compiles the device profiles into Rust (pdu-profile's `build`): checked here, not parsed at
//! every start.

fn main() {
    pdu_profile::build::compile(&[
        "apc-rpdu2.toml",
        "apc-rpdu.toml",
        "apc-masterswitch.toml",
        "apc-rpdu2-metered.toml",
    ]);
}
