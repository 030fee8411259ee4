//! A DCImanager switch handler for Cisco switches, and for any switch with IF-MIB.
//!
//! Device knowledge only: [`oids`] holds the objects read and written, [`values`] the maps
//! between their enumerations and the protocol's values, [`handler`] what each function does
//! with them. Sessions, walks and confirmation come from snmp-core; the protocol from
//! dci-protocol.

pub mod handler;
pub mod oids;
pub mod values;
pub mod vtp;
pub mod write;

pub use handler::CiscoSwitch;
