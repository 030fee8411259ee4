//! Compiles the device profiles into Rust (pdu-profile's `build`): checked here, not parsed at
//! every start.

fn main() {
    pdu_profile::build::compile(&["rpcm.toml"]);
}
