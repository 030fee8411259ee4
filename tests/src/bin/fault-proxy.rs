//! `fault-proxy AGENT-PORT [--seed S] [--loss P] [--blackhole]`: the tests' UDP fault proxy
//! (`e2e::faults`) in front of 127.0.0.1:AGENT-PORT, losing P of the datagrams in each
//! direction, for `cargo xtask bench faults`. Prints its port on one line, then forwards until
//! its standard input closes.

use std::io::{Read, Write};
use std::process::ExitCode;

use e2e::faults::{FaultProxy, Faults};

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || {
        eprintln!("usage: fault-proxy AGENT-PORT [--seed S] [--loss P] [--blackhole]");
        ExitCode::from(2)
    };
    let Some(agent) = args.first().and_then(|p| p.parse::<u16>().ok()) else {
        return usage();
    };
    let mut faults = Faults::default();
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => match it.next().and_then(|v| v.parse().ok()) {
                Some(s) => faults.seed = s,
                None => return usage(),
            },
            "--loss" => match it.next().and_then(|v| v.parse::<f64>().ok()) {
                Some(p) => {
                    faults.loss_up = p;
                    faults.loss_down = p;
                }
                None => return usage(),
            },
            "--blackhole" => faults.blackhole = true,
            _ => return usage(),
        }
    }
    let proxy = FaultProxy::start(agent, faults);
    let mut out = std::io::stdout();
    if writeln!(out, "{}", proxy.port())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    ExitCode::SUCCESS
}
