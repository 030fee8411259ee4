//! Compiles the UPS profiles into Rust (device-profile's `build`): checked here, not parsed at
//! every start.

fn main() {
    // The order readings are taken in: the first profile (whose probe answers) with an
    // available value gives it. Huawei first: on its GSE200M card the UPS-MIB table contradicts
    // its own units (ups-snmp.md, "Two MIBs that disagree"); then the standard UPS-MIB; then
    // the vendor trees, for what UPS-MIB lacks or says is not available.
    device_profile::build::compile_ups(&[
        "huawei-ups.toml",
        "ups-mib.toml",
        "eaton-xups.toml",
        "apc-powernet.toml",
    ]);
}
