//! `rpcm-pdu`: DCImanager's PDU handler for RPCM PDUs.

fn main() -> std::process::ExitCode {
    dci_protocol::run(rpcm_pdu::RpcmPdu)
}
