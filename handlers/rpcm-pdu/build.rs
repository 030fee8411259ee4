//! Compiles the device profiles into Rust (device-profile's `build`): checked here, not parsed at
//! every start.

fn main() {
    device_profile::build::compile(&["rpcm.toml"]);
}
