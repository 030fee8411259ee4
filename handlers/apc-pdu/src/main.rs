//! `apc-pdu`: DCImanager's PDU handler for APC switched and metered PDUs, from its profiles.

fn main() -> std::process::ExitCode {
    device_profile::run_compiled(apc_pdu::profiles)
}
