//! A DCImanager IPMI handler that speaks IPMI v2.0 over LAN (RMCP+ sessions with cipher suite 3:
//! RAKP-HMAC-SHA1, HMAC-SHA1-96 integrity, AES-CBC-128 encryption; ipmitool's
//! `-I lanplus -C 3`). The choice for any BMC that offers it: the password never crosses the
//! network, and every packet is authenticated and encrypted.
//!
//! Device knowledge only: [`handler`] names the LAN protocol; what DCImanager's four IPMI
//! functions do is ipmi-core's `IpmiHandler`, the same for both IPMI handlers.
//! The session (RAKP handshake, keys, privilege) and the confirmed power switching come
//! from ipmi-core; the protocol from dci-protocol.

pub mod handler;

pub use handler::Ipmi20;
