//! Compiles the device profiles into Rust (device-profile's `build`): checked here, not parsed at
//! every start.

fn main() {
    device_profile::build::compile(&["sentry4.toml", "sentry3.toml"]);
}
