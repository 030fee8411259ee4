//! PDUs as data: a device profile describes a PDU family (detection, outlets, state maps,
//! control, confirmation, readings) in TOML, and the engine drives a PDU from it, so a vendor
//! adds a PDU by writing a table of OIDs and value maps instead of a handler crate.
//!
//! Key decision: profiles are read into typed structs with unknown fields refused, then checked
//! for what types cannot say (a value mapped twice, a control without a state to confirm it, a
//! unit that does not measure its reading), every error naming the profile, the line and the
//! field. Profiles are compiled into the handler binary (one static file); the same reader
//! takes a file, so a vendor can try a device before building. [`engine`] drives a PDU from a
//! profile through snmp-core's confirmed power helper, at the requests of a hand-written
//! handler; [`read`] turns walked columns into outlets, and [`check`] runs a profile over
//! recordings for `dci-harness profile check`.
#![warn(missing_docs)]

pub mod build;
#[cfg(feature = "engine")]
pub mod check;
#[cfg(feature = "engine")]
pub mod engine;
pub mod format;
#[cfg(feature = "engine")]
pub mod read;

#[cfg(feature = "engine")]
pub use engine::{ProfilePdu, run, run_all, run_compiled};
pub use format::{Profile, ProfileError};
