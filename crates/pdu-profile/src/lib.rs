//! PDUs as data: a device profile describes a PDU family (detection, outlets, state maps,
//! control, confirmation, readings) in TOML, and the engine drives a PDU from it, so a vendor
//! adds a PDU by writing a table of OIDs and value maps instead of a handler crate.
//!
//! Key decision: profiles are read into typed structs with unknown fields refused, then checked
//! for what types cannot say (a value mapped twice, a control without a state to confirm it, a
//! unit that does not measure its reading), every error naming the profile, the line and the
//! field. Profiles are compiled into the handler binary (one static file); the same reader
//! takes a file, so a vendor can try a device before building. The engine is the next step
//! (issue 12); this crate holds the format and its checker, proved on the shipped families.
#![warn(missing_docs)]

pub mod format;

pub use format::{Profile, ProfileError};

/// The profiles of the families the project ships, by file name: each is checked by this
/// crate's tests, and becomes a handler when the engine drives it.
pub const SHIPPED: &[(&str, &str)] = &[
    ("rpcm.toml", include_str!("../profiles/rpcm.toml")),
    ("apc-rpdu2.toml", include_str!("../profiles/apc-rpdu2.toml")),
];
