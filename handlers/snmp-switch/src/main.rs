//! `snmp-switch`: DCImanager's switch handler for any vendor's switch with IF-MIB and Q-BRIDGE-MIB.

fn main() -> std::process::ExitCode {
    dci_protocol::run(snmp_switch::SnmpSwitch)
}
