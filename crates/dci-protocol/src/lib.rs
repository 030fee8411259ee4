//! The DCImanager external-handler protocol, and the runtime every handler binary runs on.
//!
//! DCImanager runs `HANDLER -info` to learn what a handler drives, then, for every operation,
//! runs it with no arguments, writes one request document to its stdin and reads one response
//! (or `<error>`) document from its stdout. This crate owns that contract in both directions:
//!
//! - [`Request`] (parse and write) and its validated form [`Call`], which is all a handler sees;
//! - [`Info`], the `-info` declaration;
//! - [`Response`] and [`ErrorDoc`] (write and parse, via [`Document`]);
//! - [`Handler`] and [`run`], the runtime.
//!
//! Key decision: the crate knows nothing of SNMP, IPMI or sockets. It is the single definition
//! of the wire format, shared by handlers, the harness and the tests, so that what a handler
//! writes and what the harness checks cannot drift apart. Device protocols live in their own
//! crates and meet this one only in the error mapping ([`Error::connection`],
//! [`Error::unexpected_data`]).
#![warn(missing_docs)]

#[macro_use]
mod values;
mod error;
mod info;
mod logging;
mod request;
mod response;
mod runtime;
mod xml;

pub use error::{Error, ErrorDoc, ErrorType, FieldError, FieldErrorKind, fmt_duration};
pub use info::{DeviceType, Func, Info, Requirement};
pub use request::{
    Call, Device, DeviceParams, IPMI_PORT, Login, Operation, PortId, PortParams, Request, SnmpAuth,
    Usm, UsmSecurity, VlanChange,
};
pub use response::{Document, EqParam, EqValue, PortState, Response};
pub use runtime::{
    Context, EnvError, Handler, Limits, MAX_REQUEST_BYTES, block_on, dispatch, env, handle,
    handle_with, read_request, run,
};
pub use values::{
    AuthLevel, AuthProtocol, Duplex, Endpoint, Host, MacAddr, MappedVlan, PortStatus, PrivProtocol,
    PvlanType, Reading, Readings, Secret, SnmpVersion, Speed, ValueError, VlanId, VlanList,
};

#[cfg(test)]
mod props;
