//! `ipmi15`: DCImanager's IPMI handler over IPMI v1.5 LAN (RMCP) sessions.

fn main() -> std::process::ExitCode {
    dci_protocol::run(ipmi15::Ipmi15::new())
}
