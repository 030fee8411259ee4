//! `servertech-pdu`: DCImanager's PDU handler, from its device profiles.

fn main() -> std::process::ExitCode {
    device_profile::run_compiled(servertech_pdu::profiles)
}
