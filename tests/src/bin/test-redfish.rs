//! `test-redfish`: the test bed's Redfish BMC (`e2e::redfish::Sushy`: sushy-tools with one fake
//! system, `node`, off) for `cargo xtask bench redfish`. Prints `PORT CA-FILE LOG-FILE` on one
//! line, then serves until its standard input closes.

use std::io::{Read, Write};
use std::process::ExitCode;

use e2e::redfish::Sushy;

fn main() -> ExitCode {
    let s = Sushy::start();
    let port = s
        .endpoint()
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut out = std::io::stdout();
    let line = format!("{port} {} {}", s.ca().display(), s.log_file().display());
    if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(s);
    ExitCode::SUCCESS
}
