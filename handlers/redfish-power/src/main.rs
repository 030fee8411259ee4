//! `redfish-power`: DCImanager's IPMI device type, driven through the DMTF Redfish API.

fn main() -> std::process::ExitCode {
    dci_protocol::run(redfish_power::RedfishPower)
}
