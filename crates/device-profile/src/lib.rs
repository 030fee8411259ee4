//! Devices as data: a device profile describes a PDU family (detection, outlets, state maps,
//! control, confirmation, readings) or a UPS MIB ([`ups`]: readings, units, "not available"
//! values, status rules) in TOML, and an engine drives the device from it, so a vendor adds a
//! device by writing a table of OIDs and value maps instead of a handler crate. The PDU kind
//! is the crate's top-level modules (it came first); the UPS kind is [`ups`].
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
pub mod ups;

#[cfg(feature = "engine")]
pub use engine::{ProfilePdu, run, run_all, run_compiled};
pub use format::{Profile, ProfileError};

/// A profile of either kind.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyProfile {
    /// A PDU family.
    Pdu(Box<Profile>),
    /// A UPS MIB.
    Ups(Box<ups::UpsProfile>),
}

impl AnyProfile {
    /// Reads the profile in `text`: a UPS profile when it has `[readings]`, else a PDU one.
    pub fn parse(source: &str, text: &str) -> Result<AnyProfile, ProfileError> {
        let ups = text.lines().any(|l| {
            l.trim_start().starts_with("[readings") || l.trim_start().starts_with("[[readings")
        });
        if ups {
            ups::UpsProfile::parse(source, text).map(|p| AnyProfile::Ups(Box::new(p)))
        } else {
            Profile::parse(source, text).map(|p| AnyProfile::Pdu(Box::new(p)))
        }
    }
}
