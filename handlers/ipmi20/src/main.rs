//! `ipmi20`: DCImanager's IPMI handler over IPMI v2.0 RMCP+ (lanplus, cipher suite 3) sessions.

fn main() -> std::process::ExitCode {
    dci_protocol::run(ipmi20::Ipmi20::new())
}
