//! A DCImanager UPS handler for real UPSes over SNMP, built from device profiles: the standard
//! UPS-MIB (RFC 1628), Eaton's XUPS-MIB, APC's PowerNet-MIB and Huawei's UPS tree, each a TOML
//! file beside this crate. `status` reads every candidate object in one GET and answers
//! DCImanager's ten readings from the first profile that has each; what no profile can read is
//! left out and logged. The engine is device-profile's (`ups`); this crate is the profiles and
//! their tests.

// `PROFILES` (the files), `profiles()` (compiled by build.rs) and a test that they agree.
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));
