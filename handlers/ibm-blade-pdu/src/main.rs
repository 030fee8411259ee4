//! `ibm-blade-pdu`: DCImanager's PDU handler for the blades of an IBM BladeCenter.

fn main() -> std::process::ExitCode {
    dci_protocol::run(ibm_blade_pdu::IbmBladePdu)
}
