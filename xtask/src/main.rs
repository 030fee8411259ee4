//! `cargo xtask`: the project's automation, one module per task.
//!
//! Every external step goes through `xshell::cmd!` (arguments, never a shell string).

mod bench;
mod conformance;
mod dci6;
mod flags;
mod fuzz;
mod install;
mod new_handler;
mod package;
mod test;
mod testbed;
mod ups_oracle;
mod vlan_oracle;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  test                        fmt check, clippy (warnings denied), build, all unit and
                              end-to-end tests; installs the test bed they need
  package                     static musl release binaries, stripped, in
                              dist/dcihandlers-VERSION-x86_64-linux-musl.tar.gz
  install --dest DIR [NAMES]  build release handlers and install all (or NAMES) into DIR,
                              checking each with -info
  testbed install             install the agents the tests need (snmpsim, net-snmp snmpd and
                              tools, pysnmp for the benches, OpenIPMI's ipmi_sim, ipmitool)
                              from Debian; needs root
  testbed start [--data DIR]  start snmpsim (serving DIR, default tests/fixtures/snmp),
                              snmpd and ipmi_sim on free 127.0.0.1 ports, for manual use
                              and benches
  testbed stop | status       stop them / show their pids and ports
  conformance DIR             every SNMP handler against every .snmprec in DIR (own snmpsim
                              each), judged by dci-harness check; report in target/conformance
  new-handler NAME --type pdu a PDU handler crate from the profile template, added to the
                              workspace with a fixture; its own tests are run
  fuzz request|document|walk|ipmi [--seconds N]
                              a cargo-fuzz target under libFuzzer (nightly), 600 s by default
  bench ups|switch|ipmi|pdu|vlan|mac|redfish [--runs N]
                              whole-process wall time, CPU and peak RSS (and SNMP or UDP
                              requests) of handlers against the seed's Python handlers
                              (../shared/peers), net-snmp and ipmitool
";

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(&args[1..]),
        Some("package") => package::run(&args[1..]),
        Some("install") => install::run(&args[1..]),
        Some("testbed") => testbed::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("new-handler") => new_handler::run(&args[1..]),
        Some("bench-child") => bench::child(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            eprint!("{USAGE}");
            return if args.is_empty() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        Some(other) => Err(anyhow::anyhow!("unknown task '{other}'\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
