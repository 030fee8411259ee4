//! `cargo xtask test`: the whole gate, as CI runs it.
//!
//! Formatting, clippy with warnings denied, the test bed the end-to-end tests need, every
//! binary, every test of the workspace, `new-handler` in a scratch copy (the new crate's own
//! tests), then the release bundle with a smoke test of its
//! `install.sh`. A missing tool fails here with the command that
//! installs it, never silently.

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
    Ok(())
}
