//! A DCImanager IPMI handler that speaks IPMI v1.5 over LAN (RMCP sessions, as ipmitool's
//! `-I lan`), for BMCs without IPMI 2.0 or where RMCP+ is disabled.
//!
//! Device knowledge only: [`handler`] names the LAN protocol; what DCImanager's four IPMI
//! functions do is ipmi-core's `IpmiHandler`, the same for both IPMI handlers.
//! The session (challenge, activation, MD5/MD2/straight-password auth codes,
//! privilege) and the confirmed power switching come from ipmi-core; the protocol from
//! dci-protocol.

pub mod handler;

pub use handler::Ipmi15;
