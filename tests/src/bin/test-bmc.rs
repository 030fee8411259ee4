//! `test-bmc [--user NAME] [--password-env VAR]`: the tests' RMCP+ cipher suite 17 BMC
//! (`e2e::bmc`) on a free 127.0.0.1 port, for `cargo xtask bench ipmi`. Prints the port on one
//! line, then serves until its standard input closes. The password comes from the environment
//! variable named (default `TEST_BMC_PASSWORD`), never from argv.

use std::io::{Read, Write};
use std::process::ExitCode;

use e2e::bmc::{BmcConfig, TestBmc};

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut config = BmcConfig::default();
    let mut user = config.users[0].0.clone();
    let mut password_env = "TEST_BMC_PASSWORD".to_owned();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--user", Some(v)) => user = v.clone(),
            ("--password-env", Some(v)) => password_env = v.clone(),
            _ => {
                eprintln!("usage: test-bmc [--user NAME] [--password-env VAR]");
                return ExitCode::from(2);
            }
        }
    }
    let password = std::env::var(&password_env).unwrap_or_else(|_| config.users[0].1.clone());
    config.users = vec![(user, password)];
    let bmc = TestBmc::start(config);
    let mut out = std::io::stdout();
    if writeln!(out, "{}", bmc.port())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    // Serve until whoever started us closes our stdin.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(bmc);
    ExitCode::SUCCESS
}
