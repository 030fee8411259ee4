//! `cargo xtask install --dest DIR [NAMES…]`: build the bundle and install handlers from it
//! with the bundle's own `install.sh`, so the script an operator runs is the one tested here.

use anyhow::{Result, bail};
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::package;
use crate::workspace;

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["dest"], &[])?;
    let Some(dest) = flags.value("dest") else {
        bail!("--dest DIR is required (DCImanager's var/dcihandlers)")
    };
    let dest = std::path::absolute(dest)?;
    let names = workspace::select_handlers(&flags.positional)?;
    let sh = Shell::new()?;
    let stage = package::stage(&sh)?;
    let script = stage.join("install.sh");
    cmd!(sh, "sh {script} {dest} {names...}").run()?;
    Ok(())
}
