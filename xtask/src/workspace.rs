//! Facts about the workspace: where it is, its version, its handlers.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The static target every release binary is built for.
pub const MUSL: &str = "x86_64-unknown-linux-musl";

/// The workspace root (the parent of this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_owned()
}

/// The workspace version, from the root Cargo.toml.
pub fn version() -> Result<String> {
    let text = std::fs::read_to_string(root().join("Cargo.toml"))?;
    let mut in_package = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_package = l == "[workspace.package]";
        } else if in_package
            && l.starts_with("version")
            && let Some(v) = l.split('"').nth(1)
        {
            return Ok(v.to_owned());
        }
    }
    anyhow::bail!("no version in [workspace.package] of Cargo.toml")
}

/// Every handler: the folders under `handlers/`, whose name is also the package and binary.
pub fn handlers() -> Result<Vec<String>> {
    let dir = root().join("handlers");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.path().join("Cargo.toml").is_file() {
            out.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// Checks that every name is a handler, or returns all handlers when `names` is empty.
pub fn select_handlers(names: &[String]) -> Result<Vec<String>> {
    let all = handlers()?;
    if names.is_empty() {
        return Ok(all);
    }
    for n in names {
        if !all.contains(n) {
            anyhow::bail!("'{n}' is not a handler (handlers: {})", all.join(", "));
        }
    }
    Ok(names.to_vec())
}
