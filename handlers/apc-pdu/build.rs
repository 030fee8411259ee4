//! Compiles the device profiles into Rust (device-profile's `build`): checked here, not parsed at
//! every start.

fn main() {
    device_profile::build::compile(&[
        "apc-rpdu2.toml",
        "apc-rpdu.toml",
        "apc-masterswitch.toml",
        "apc-rpdu2-metered.toml",
    ]);
}
