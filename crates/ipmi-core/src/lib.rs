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

/// Property tests (proptest, bounded: in the gate): every decoder of what a BMC sends takes any
/// bytes without a panic.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use crate::v20::{CipherSuite, Keys};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        #[test]
        fn any_datagram_is_decoded_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = crate::v15::decode(&bytes);
            let _ = crate::msg::decode_response(&bytes);
            let _ = crate::v20::parse_open_session_response(&bytes);
            let _ = crate::v20::parse_rakp2(&bytes);
            let _ = crate::v20::parse_rakp4(&bytes);
            let _ = crate::v20::suite_ids(&bytes);
            if let Some(Ok(p)) = crate::v20::decode(&bytes) {
                for suite in CipherSuite::STRONGEST_FIRST {
                    let keys = Keys::from_sik(suite, &[7; 32]);
                    let _ = keys.verifies(&p);
                    let _ = keys.decrypt(p.payload);
                }
            }
        }

        /// RMCP+ datagrams that start right get as far as the payload and the trailer.
        #[test]
        fn rmcp_plus_shaped_datagrams_are_decoded_or_refused(
            kind in any::<u8>(),
            len in 0u16..100,
            rest in prop::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut p = vec![0x06, 0x00, 0xFF, 0x07, 0x06, kind, 1, 0, 0, 0, 1, 0, 0, 0];
            p.extend_from_slice(&len.to_le_bytes());
            p.extend_from_slice(&rest);
            if let Some(Ok(packet)) = crate::v20::decode(&p) {
                let keys = Keys::from_sik(CipherSuite::S17, &[1; 32]);
                let _ = keys.verifies(&packet);
                let _ = keys.decrypt(packet.payload);
            }
        }
    }
}

/// Entry points for `cargo xtask fuzz` (feature `fuzzing`; not part of the API).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    use crate::v20::{CipherSuite, Keys};

    /// `data` through every decoder of what a BMC sends.
    pub fn decode_any(data: &[u8]) {
        let _ = crate::v15::decode(data);
        let _ = crate::msg::decode_response(data);
        let _ = crate::v20::parse_open_session_response(data);
        let _ = crate::v20::parse_rakp2(data);
        let _ = crate::v20::parse_rakp4(data);
        let _ = crate::v20::suite_ids(data);
        if let Some(Ok(p)) = crate::v20::decode(data) {
            for suite in CipherSuite::STRONGEST_FIRST {
                let keys = Keys::from_sik(suite, &[7; 32]);
                let _ = keys.verifies(&p);
                let _ = keys.decrypt(p.payload);
            }
        }
    }
}
