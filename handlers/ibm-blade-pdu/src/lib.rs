//! A DCImanager PDU handler for IBM BladeCenter: each blade bay is an outlet, switched through
//! the management module's BLADE-MIB.
//!
//! Device knowledge only: [`oids`] holds the objects read and written, [`values`] the maps
//! between their enumerations and the protocol's values, [`handler`] what each function does
//! with them. Sessions, walks and confirmed switching come from snmp-core.

pub mod handler;
pub mod oids;
pub mod values;

pub use handler::IbmBladePdu;
