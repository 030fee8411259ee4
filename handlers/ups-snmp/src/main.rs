//! `ups-snmp`: DCImanager's UPS handler, from its device profiles.

fn main() -> std::process::ExitCode {
    device_profile::ups::run_compiled(ups_snmp::profiles)
}
