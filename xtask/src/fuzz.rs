//! `cargo xtask fuzz TARGET [--seconds N]`: a cargo-fuzz target of `fuzz/` (request, document,
//! walk, ipmi) under libFuzzer for N seconds (default 600), with the nightly toolchain, which
//! libFuzzer's instrumentation needs (`rustup toolchain install nightly` and `cargo install
//! cargo-fuzz` where they are missing). Crashes are left in `fuzz/artifacts/TARGET/`; each
//! becomes a regression test of the property tests. The gate runs the property tests, not
//! this.

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::workspace;

const TARGETS: &[&str] = &["request", "document", "walk", "ipmi"];

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["seconds"], &[])?;
    let [target] = &flags.positional[..] else {
        bail!(
            "usage: cargo xtask fuzz {} [--seconds N]",
            TARGETS.join("|")
        )
    };
    if !TARGETS.contains(&target.as_str()) {
        bail!(
            "no fuzz target '{target}' (targets: {})",
            TARGETS.join(", ")
        );
    }
    let seconds: u64 = flags
        .value("seconds")
        .unwrap_or("600")
        .parse()
        .context("--seconds N")?;
    let sh = Shell::new()?;
    sh.change_dir(workspace::root().join("fuzz"));
    if cmd!(sh, "rustup run nightly rustc --version")
        .quiet()
        .ignore_stdout()
        .run()
        .is_err()
    {
        bail!("the nightly toolchain is missing: rustup toolchain install nightly");
    }
    if cmd!(sh, "cargo fuzz --version")
        .quiet()
        .ignore_stdout()
        .run()
        .is_err()
    {
        bail!("cargo-fuzz is missing: cargo install cargo-fuzz");
    }
    let time = format!("-max_total_time={seconds}");
    cmd!(
        sh,
        "cargo +nightly fuzz run {target} -- {time} -print_final_stats=1"
    )
    .run()?;
    Ok(())
}
