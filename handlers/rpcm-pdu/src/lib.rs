//! A DCImanager PDU handler for RPCM PDUs (enterprise 46235): outlets switched through their
//! administrative state, confirmed by reading it back.
//!
//! Device knowledge only: [`oids`] holds the objects read and written, [`values`] the map of
//! their enumeration, [`handler`] what each function does with them. Sessions, walks and
//! confirmed switching come from snmp-core.

pub mod handler;
pub mod oids;
pub mod values;

pub use handler::RpcmPdu;
