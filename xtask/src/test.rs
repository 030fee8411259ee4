//! `cargo xtask test`: the whole gate, as CI runs it.
//!
//! Formatting, clippy with warnings denied, the test bed the end-to-end tests need, every
//! binary, every test of the workspace, `new-handler` in a scratch copy (the new crate's own
//! tests), then the release bundle with a smoke test of its
//! `install.sh`, then the DCImanager 6 adapter's type check and tests (`dci6/`). A missing tool
//! fails here with the command that installs it, never silently.

use anyhow::Result;
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::new_handler;
use crate::package;
use crate::testbed;
use crate::workspace;

pub fn run(args: &[String]) -> Result<()> {
    let _flags = Flags::parse(args, &[], &[])?;
    let sh = Shell::new()?;
    sh.change_dir(workspace::root());
    // The agents the end-to-end tests start: installed first, so that a machine without them
    // fails here with the install step's own error instead of in the middle of the tests.
    testbed::install(&sh)?;
    cmd!(sh, "cargo fmt --all -- --check").run()?;
    cmd!(
        sh,
        "cargo clippy --workspace --all-targets --locked -- -D warnings"
    )
    .run()?;
    // The end-to-end tests run the real executables, as DCImanager does: build them first.
    cmd!(sh, "cargo build --workspace --bins --locked").run()?;
    cmd!(sh, "cargo test --workspace --locked").run()?;
    // The kit: a PDU handler written from the template passes its own tests unedited.
    new_handler::check_in_scratch(&sh)?;
    // The bundle an operator installs, built and installed the way the README says.
    let stage = package::build(&sh)?;
    package::smoke_test(&sh, &stage)?;
    // The DCImanager 6 adapter and probe: typed for Python 3.9, and their tests under Debian's
    // python3, against the archives just built and the test bed's snmpsim.
    dci6_tests(&sh)?;
    Ok(())
}

/// `mypy --python-version 3.9 --strict` on the adapter and the probe (each on its own: both are
/// `handler.py`), the stub SDK on the path; then dci6/tests with unittest.
fn dci6_tests(sh: &Shell) -> Result<()> {
    let root = workspace::root();
    let sdk = root.join("dci6/tests/sdk");
    for module in ["dci6/adapter/handler.py", "dci6/probe/handler.py"] {
        cmd!(sh, "mypy --python-version 3.9 --strict {module}")
            .env("MYPYPATH", &sdk)
            .run()?;
    }
    cmd!(
        sh,
        "/usr/bin/python3 -m unittest discover -s dci6/tests -t dci6/tests -v"
    )
    .env("DCIH_DCI6_DIST", root.join("dist/dci6"))
    .env("DCIH_PDU_AGENT", root.join("target/debug/pdu-agent"))
    .run()?;
    Ok(())
}
