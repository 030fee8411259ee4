//! `ups-sim`: a simulated UPS for trying DCImanager's UPS pages without a UPS.

fn main() -> std::process::ExitCode {
    dci_protocol::run(ups_sim::UpsSim)
}
