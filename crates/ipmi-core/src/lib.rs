//! IPMI over LAN for DCImanager handlers: IPMI 1.5 (RMCP) and IPMI 2.0 (RMCP+, cipher suite 3)
//! sessions from a request's device params, and chassis power control confirmed by reading back.
//!
//! Key decision: the session layer is ours, on RustCrypto primitives, and blocking. The design
//! named the `ipmi-rs` crate; a probe against OpenIPMI's `ipmi_sim` found that its 1.5 session
//! activation fails on a wrong auth-code check, that its RMCP+ login always asks for the
//! administrator role (an operator account cannot log in) and never raises the session above
//! USER (Chassis Control answers 0xD4), that it never closes a session, never retransmits, and
//! reports a wrong password and an unknown user alike (docs/decisions.md has the whole list).
//! So [`Session`] speaks both versions itself: RMCP framing, Get Channel Authentication
//! Capabilities, the 1.5 challenge/activate handshake with MD5, MD2 or straight-password auth
//! codes, the RAKP handshake with HMAC-SHA1-96 integrity and AES-CBC-128 confidentiality, session
//! sequence numbers, Set Session Privilege Level and Close Session.
//!
//! Everything is plain `std` UDP: a handler talks to one BMC, a few packets each way, so there is
//! nothing for an async runtime to do. Because the handler runtime's async deadline cannot
//! interrupt blocking code, every wait on the socket here is bounded by the per-try timeout and
//! by the call's deadline, whichever comes first.
//!
//! [`handler`] is the DCImanager handler itself, generic over the LAN protocol; [`power`] holds
//! what it does with a session (read the chassis power state, switch
//! it and confirm, name the BMC); [`commands`] the IPMI commands it needs. This crate knows
//! nothing of XML; [`IpmiError`] maps onto the protocol's two error types.
#![warn(missing_docs)]

pub mod commands;
mod error;
pub mod handler;
mod msg;
pub mod options;
pub mod power;
mod session;
mod transport;
mod v15;
mod v20;

pub use error::IpmiError;
pub use msg::{Command, completion_code_name};
pub use options::{AuthType, BmcKey, CipherSuite, Options, Privilege, Version};
pub use session::{DEFAULT_PORT, Session, Stats};
