//! The DCImanager 6 upload archives (`cargo xtask package` writes them to `dist/dci6/`).
//!
//! DCImanager 6 imports an uploaded handler as a Python package (`<dir>.handler`), so each PDU
//! handler becomes `dcih_<handler>.tar.gz` (`-` → `_`) holding one directory:
//!
//! ```text
//! dcih_apc_pdu/__init__.py     empty
//! dcih_apc_pdu/handler.py      dci6/adapter/handler.py, its HANDLER set to the binary's name
//! dcih_apc_pdu/apc-pdu         the static binary of the bundle, mode 0755
//! ```
//!
//! and `dcih_probe.tar.gz` holds the probe (dci6/probe). Reproducible: GNU tar sorted by name,
//! owner and group 0, one fixed mtime, modes set here, gzip without a name or a time stamp; the
//! package smoke test builds them twice and compares the bytes.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use xshell::{Shell, cmd};

use crate::workspace;

/// Every file in the archives carries this mtime (2026-01-01T00:00:00Z).
const MTIME: &str = "@1767225600";

/// The line of the adapter template the packager fills in.
const MARKER: &str = "HANDLER = \"@HANDLER@\"";

/// The package directory DCImanager 6 imports for `handler`.
pub fn package_dir(handler: &str) -> String {
    format!("dcih_{}", handler.replace('-', "_"))
}

/// Writes an archive for every PDU handler among `stage`'s binaries, and the probe, into
/// `out`; returns their paths.
pub fn build(sh: &Shell, stage: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let root = workspace::root();
    let adapter = std::fs::read_to_string(root.join("dci6/adapter/handler.py"))?;
    ensure!(
        adapter.matches(MARKER).count() == 1,
        "dci6/adapter/handler.py must hold the line {MARKER} exactly once"
    );
    let probe = std::fs::read_to_string(root.join("dci6/probe/handler.py"))?;
    let scratch = root.join("target/dci6");
    for dir in [&scratch, &out.to_path_buf()] {
        if dir.exists() {
            sh.remove_path(dir)?;
        }
    }
    sh.create_dir(out)?;
    let mut written = Vec::new();
    for h in pdu_handlers(sh, stage)? {
        let dir = package_dir(&h);
        let handler_py = adapter.replace(MARKER, &format!("HANDLER = \"{h}\""));
        let binary = std::fs::read(stage.join("handlers").join(&h))?;
        let files: [(&str, &[u8], u32); 3] = [
            ("__init__.py", b"", 0o644),
            ("handler.py", handler_py.as_bytes(), 0o644),
            (&h, &binary, 0o755),
        ];
        written.push(pack(sh, &scratch, &dir, &files, out)?);
    }
    let files: [(&str, &[u8], u32); 2] = [
        ("__init__.py", b"", 0o644),
        ("handler.py", probe.as_bytes(), 0o644),
    ];
    written.push(pack(sh, &scratch, "dcih_probe", &files, out)?);
    Ok(written)
}

/// The handlers whose `-info` says PDU.
fn pdu_handlers(sh: &Shell, stage: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for h in workspace::handlers()? {
        let exe = stage.join("handlers").join(&h);
        let info = cmd!(sh, "{exe} -info")
            .quiet()
            .read()
            .with_context(|| format!("{h} -info"))?;
        if info.contains("<type>PDU</type>") {
            out.push(h);
        }
    }
    if out.is_empty() {
        bail!("no handler in {} declares a PDU", stage.display());
    }
    Ok(out)
}

fn pack(
    sh: &Shell,
    scratch: &Path,
    dir: &str,
    files: &[(&str, &[u8], u32)],
    out: &Path,
) -> Result<PathBuf> {
    let top = scratch.join(dir);
    std::fs::create_dir_all(&top)?;
    std::fs::set_permissions(&top, std::fs::Permissions::from_mode(0o755))?;
    for (name, bytes, mode) in files {
        let path = top.join(name);
        std::fs::write(&path, bytes)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode))?;
    }
    let tar = out.join(format!("{dir}.tar"));
    cmd!(
        sh,
        "tar --sort=name --owner=0 --group=0 --numeric-owner --mtime={MTIME} --format=gnu -C {scratch} -cf {tar} {dir}"
    )
    .quiet()
    .run()?;
    cmd!(sh, "gzip -9nf {tar}").quiet().run()?;
    Ok(out.join(format!("{dir}.tar.gz")))
}
