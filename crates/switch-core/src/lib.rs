//! What every DCImanager switch handler does over SNMP, whatever the vendor: `status` from
//! IF-MIB (and EtherLike-MIB's duplex), `statistics` from the interface counters, `port_on` and
//! `port_off` through ifAdminStatus, and VLANs through the standard Q-BRIDGE-MIB, read in the
//! `status` walk and written by `set_vlan`.
//!
//! Key decision: a handler composes these parts instead of inheriting a generic handler. A
//! vendor's own MIBs add columns to the one `status` walk ([`ports::StatusWalk::read`] takes
//! them), say speed and duplex where they know better ([`ports::Configured`]), and decide which
//! VLAN path a switch takes; everything shared lives here once, and [`vlan`] is the one model
//! both VLAN paths report through, so a port reads the same whichever MIB it came from. Device
//! knowledge of one vendor (Cisco's VTP and CISCO-STACK-MIB) stays in that vendor's handler.
#![warn(missing_docs)]

pub mod bits;
pub mod mac;
pub mod oids;
pub mod ports;
pub mod qbridge;
pub mod values;
pub mod vlan;

pub use ports::{Configured, PortError, StatusWalk};
pub use vlan::{PortVlan, VlanError, Vlans, Wanted};
