//! `cargo xtask package`: the release bundle an operator copies to a DCImanager host.
//!
//! Static musl binaries (LTO, one codegen unit, stripped: see the release profile), staged in
//! `target/dist/dcihandlers-VERSION-x86_64-linux-musl/` and packed into
//! `dist/dcihandlers-VERSION-x86_64-linux-musl.tar.gz`:
//!
//! ```text
//! handlers/<name>     one executable per handler, for var/dcihandlers
//! bin/dci-harness     runs a handler the way DCImanager does
//! install.sh          installs all or named handlers into a directory, checking -info
//! SHA256SUMS          of every executable
//! dci6/               the DCImanager 6 upload archives (also in dist/dci6/; see crate::dci6)
//! README.md, docs/
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::dci6;
use crate::flags::Flags;
use crate::workspace::{self, MUSL};

/// The installer shipped in the bundle.
const INSTALL_SH: &str = include_str!("install.sh");

pub fn run(args: &[String]) -> Result<()> {
    let _flags = Flags::parse(args, &[], &[])?;
    let sh = Shell::new()?;
    build(&sh)?;
    Ok(())
}

/// Stages and packs the bundle; returns the stage directory.
pub fn build(sh: &Shell) -> Result<PathBuf> {
    let stage = stage(sh)?;
    let root = workspace::root();
    let name = stage
        .file_name()
        .context("stage directory has a name")?
        .to_string_lossy()
        .into_owned();
    let dist = root.join("dist");
    sh.create_dir(&dist)?;
    let archives = dci6::build(sh, &stage, &dist.join("dci6"))?;
    sh.create_dir(stage.join("dci6"))?;
    for a in &archives {
        sh.copy_file(a, stage.join("dci6"))?;
    }
    let tarball = dist.join(format!("{name}.tar.gz"));
    let parent = stage.parent().context("stage has a parent")?;
    cmd!(sh, "tar -czf {tarball} -C {parent} {name}").run()?;
    report(&stage, &tarball)?;
    Ok(stage)
}

/// Checks a staged bundle as an operator would use it: `install.sh` installs every handler into
/// an empty directory and each answers `-info`; an unknown name and a damaged file are refused.
pub fn smoke_test(sh: &Shell, stage: &Path) -> Result<()> {
    let scratch = workspace::root().join("target/install-smoke");
    if scratch.exists() {
        sh.remove_path(&scratch)?;
    }
    let dest = scratch.join("var/dcihandlers");
    let script = stage.join("install.sh");
    cmd!(sh, "sh {script} {dest}").run()?;
    for h in workspace::handlers()? {
        let exe = dest.join(&h);
        let info = cmd!(sh, "{exe} -info").read()?;
        anyhow::ensure!(
            info.contains("<type>") && info.contains("<supported_funcs>"),
            "installed {h} answered -info with: {info}"
        );
    }
    let unknown = cmd!(sh, "sh {script} {dest} no-such-handler")
        .quiet()
        .ignore_stderr()
        .run();
    anyhow::ensure!(
        unknown.is_err(),
        "install.sh accepted an unknown handler name"
    );
    // A damaged copy of the bundle must be refused before anything is installed.
    let damaged = scratch.join("damaged");
    copy_tree(stage, &damaged)?;
    let first = workspace::handlers()?
        .into_iter()
        .next()
        .context("at least one handler")?;
    let victim = damaged.join("handlers").join(&first);
    let mut bytes = std::fs::read(&victim)?;
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&victim, bytes)?;
    let script = damaged.join("install.sh");
    let dest2 = scratch.join("other");
    let out = cmd!(sh, "sh {script} {dest2}")
        .quiet()
        .ignore_stdout()
        .ignore_status()
        .output()?;
    anyhow::ensure!(
        !out.status.success()
            && String::from_utf8_lossy(&out.stderr).contains("SHA256SUMS does not match"),
        "install.sh installed from a damaged bundle: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    anyhow::ensure!(
        !dest2.join(&first).exists(),
        "a damaged handler was installed"
    );
    // The DCImanager 6 archives: the same bytes when built again.
    let mut archives: Vec<PathBuf> = std::fs::read_dir(workspace::root().join("dist/dci6"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    archives.sort();
    let mut rebuilt = dci6::build(sh, stage, &scratch.join("dci6"))?;
    rebuilt.sort();
    anyhow::ensure!(
        archives.len() == rebuilt.len(),
        "dist/dci6 holds other archives than a build makes"
    );
    for (a, b) in archives.iter().zip(&rebuilt) {
        anyhow::ensure!(
            std::fs::read(a)? == std::fs::read(b)?,
            "{} is not reproducible: a second build differs",
            a.display()
        );
    }
    report_line("install.sh smoke test passed; the DCImanager 6 archives are reproducible");
    Ok(())
}

#[allow(clippy::print_stdout)]
fn report_line(s: &str) {
    println!("{s}");
}

/// Builds every handler and the harness for musl, and lays out the bundle directory.
pub fn stage(sh: &Shell) -> Result<PathBuf> {
    let root = workspace::root();
    sh.change_dir(&root);
    ensure_musl_target(sh)?;
    let handlers = workspace::handlers()?;
    let mut packages: Vec<String> = Vec::new();
    for h in handlers.iter().map(String::as_str).chain(["dci-harness"]) {
        packages.push("-p".into());
        packages.push(h.into());
    }
    cmd!(
        sh,
        "cargo build --release --locked --target {MUSL} {packages...}"
    )
    .run()?;
    let version = workspace::version()?;
    let name = format!("dcihandlers-{version}-x86_64-linux-musl");
    let stage = root.join("target/dist").join(&name);
    if stage.exists() {
        sh.remove_path(&stage)?;
    }
    let built = root.join("target").join(MUSL).join("release");
    sh.create_dir(stage.join("handlers"))?;
    sh.create_dir(stage.join("bin"))?;
    for h in &handlers {
        sh.copy_file(built.join(h), stage.join("handlers"))?;
    }
    sh.copy_file(built.join("dci-harness"), stage.join("bin"))?;
    sh.write_file(stage.join("install.sh"), INSTALL_SH)?;
    sh.copy_file(root.join("README.md"), &stage)?;
    copy_tree(&root.join("docs"), &stage.join("docs"))?;
    {
        let _dir = sh.push_dir(&stage);
        let mut files: Vec<String> = handlers.iter().map(|h| format!("handlers/{h}")).collect();
        files.push("bin/dci-harness".into());
        let listed = files.clone();
        let sums = cmd!(sh, "sha256sum {listed...}").read()?;
        sh.write_file("SHA256SUMS", sums + "\n")?;
        cmd!(sh, "chmod 0755 install.sh {files...}").run()?;
    }
    Ok(stage)
}

fn ensure_musl_target(sh: &Shell) -> Result<()> {
    let installed = cmd!(sh, "rustup target list --installed").read()?;
    if !installed.lines().any(|l| l.trim() == MUSL) {
        cmd!(sh, "rustup target add {MUSL}").run()?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[allow(clippy::print_stdout)]
fn report(stage: &Path, tarball: &Path) -> Result<()> {
    println!("bundle: {}", tarball.display());
    for dir in ["handlers", "bin", "dci6"] {
        for entry in std::fs::read_dir(stage.join(dir))? {
            let entry = entry?;
            println!(
                "  {dir}/{:<20} {:>9} bytes",
                entry.file_name().to_string_lossy(),
                entry.metadata()?.len()
            );
        }
    }
    let size = std::fs::metadata(tarball)?.len();
    println!("  tarball               {size:>9} bytes");
    Ok(())
}
