//! End-to-end tests: real executables, run as DCImanager runs them (one process per call,
//! request on stdin, one document on stdout).

mod cisco_switch;
mod cisco_switch_snmpd;
mod cisco_vlans;
mod faults;
mod harness;
mod ipmi;
mod ipmi17;
mod malformed;
mod pdu_readings;
mod pdus;
mod profile_pdus;
mod redfish;
mod runtime;
mod snmp_switch;
mod testbed;
mod ups_sim;
mod ups_snmp;
