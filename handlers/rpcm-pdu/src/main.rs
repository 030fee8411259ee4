//! `rpcm-pdu`: DCImanager's PDU handler for RPCM PDUs, from its device profile.

fn main() -> std::process::ExitCode {
    device_profile::run_compiled(rpcm_pdu::profiles)
}
