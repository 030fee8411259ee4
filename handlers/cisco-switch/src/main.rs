//! `cisco-switch`: DCImanager's switch handler for Cisco and other IF-MIB switches.

fn main() -> std::process::ExitCode {
    dci_protocol::run(cisco_switch::CiscoSwitch)
}
