//! A DCImanager PDU handler for APC switched and metered-by-outlet PDUs (PowerNet-MIB).
//!
//! Three generations of outlet tables, chosen by what the device answers, newest first: rPDU2
//! (AP86xx/AP89xx and later), rPDU (AP79xx), MasterSwitch sPDUOutletCtl (AP92xx/AP96xx).
//! Device knowledge only: [`oids`] holds the objects, [`values`] the enumerations and their
//! maps, [`handler`] what each function does. Sessions, walks and confirmed switching come from
//! snmp-core.

pub mod handler;
pub mod oids;
pub mod values;

pub use handler::ApcPdu;
