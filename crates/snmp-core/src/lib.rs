//! SNMP for DCImanager handlers: a session from a request's device params, multi-column table
//! walks, typed GET and SET, and SETs confirmed by reading back.
//!
//! Key decision: one call, one [`Session`], bounded three ways (per-request timeout, retries,
//! and the call's overall deadline), and the table walk is ours. async-snmp (pinned, see
//! docs/decisions.md) does the wire: BER, USM, retransmission. It has no multi-column walk, and
//! the hot path of every `status` is exactly that, so [`Session::walk`] sends every column of
//! every table a handler needs in one GETBULK per round trip (one multi-varbind GETNEXT on v1)
//! and joins rows by index ([`Table`]). [`power`] switches one outlet and confirms it by
//! reading back, for every SNMP PDU handler. Nothing of async-snmp leaks out: handlers see
//! [`Oid`], [`Value`], [`Table`] and [`SnmpError`], which maps onto the protocol's two error
//! types, and this crate knows nothing of XML.
#![warn(missing_docs)]

mod counting;
mod error;
pub mod power;
mod session;
mod value;
mod walk;

pub use counting::Stats;
pub use error::SnmpError;
pub use session::{DEFAULT_PORT, Instance, Session, env};
pub use value::{Oid, Value};
pub use walk::{Column, MAX_ROWS, Row, Table};

/// Entry points for `cargo xtask fuzz` (feature `fuzzing`; not part of the API).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    /// Reads `data` as rounds of walk answers for three columns and absorbs them: OIDs and
    /// values from the bytes, in any order.
    pub fn absorb_bytes(data: &[u8]) {
        crate::walk::fuzz_absorb(data);
    }
}
