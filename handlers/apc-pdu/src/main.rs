//! `apc-pdu`: DCImanager's PDU handler for APC switched and metered-by-outlet PDUs.

fn main() -> std::process::ExitCode {
    dci_protocol::run(apc_pdu::ApcPdu)
}
