//! `cargo xtask new-handler NAME --type pdu [--root DIR]`: a PDU handler crate written from the
//! profile template, added to the workspace, with a fixture generated from its profile; the new
//! crate's own tests are run before the task ends, so it passes them before anyone edits it.
//!
//! The crate is `handlers/NAME/`: `NAME.toml` (the device profile, every key explained, OIDs
//! under the documentation enterprise 32473 (RFC 5612) to be replaced by the device's),
//! `fixture.snmprec` (eight outlets written from that profile: states, names, watts, the unit's
//! watts), `build.rs` (checks the profile and compiles it into Rust, with a test that the two
//! agree), `src/main.rs` (one line), `src/lib.rs` (the compiled profile, and a test that runs
//! device-profile's checker over the fixture: the outlets read, every check holding). A vendor
//! edits the profile, replaces the fixture with a recording of the device (`snmprec` from
//! `snmpsim-record-commands`), and the same test judges it.
//!
//! Only PDUs: a switch, UPS or BMC handler is a crate written by hand
//! (docs/adding-a-handler.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::workspace;

/// The example enterprise of RFC 5612, for documentation.
const EXAMPLE: &str = "1.3.6.1.4.1.32473";
/// Outlets in the generated fixture.
const FIXTURE_OUTLETS: u32 = 8;

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["type", "root"], &[])?;
    let [name] = &flags.positional[..] else {
        bail!("usage: cargo xtask new-handler NAME --type pdu [--root DIR]");
    };
    match flags.value("type") {
        Some("pdu") => {}
        Some(other) => bail!(
            "--type {other}: only pdu handlers are written from a template; a switch, UPS or \
             BMC handler is a crate written by hand (docs/adding-a-handler.md)"
        ),
        None => bail!("--type pdu is required"),
    }
    let root = flags
        .value("root")
        .map_or_else(workspace::root, PathBuf::from);
    let dir = write(&root, name)?;
    say(&format!("new-handler: wrote {}", dir.display()));
    let sh = Shell::new()?;
    sh.change_dir(&root);
    cmd!(sh, "cargo test -p {name}").run()?;
    say(&format!(
        "new-handler: {name} passes its own tests; now edit {name}.toml (the device's OIDs) and \
         replace fixture.snmprec with a recording of the device"
    ));
    Ok(())
}

#[allow(clippy::print_stderr)]
fn say(s: &str) {
    eprintln!("{s}");
}

/// The kit's own check, for the gate: the workspace's tracked files copied to a scratch folder
/// outside it (cargo fmt --all must never see the copy), the crate written there as
/// `new-handler acme-pdu --type pdu` writes it, its tests run and its format checked, sharing
/// this workspace's target directory so only the new crate is compiled; then the copy removed.
/// The task's code runs in this process: building xtask from the copy into the shared target
/// would leave that build as `target/debug/xtask`.
pub fn check_in_scratch(sh: &Shell) -> Result<()> {
    let root = workspace::root();
    let scratch = std::env::temp_dir().join("dcihandlers-kit-workspace");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)?;
    }
    let files = cmd!(sh, "git -C {root} ls-files -z").read()?;
    for f in files.split('\0').filter(|f| !f.is_empty()) {
        let (from, to) = (root.join(f), scratch.join(f));
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // A tracked file deleted in the work tree is not copied.
        if from.is_file() {
            std::fs::copy(&from, &to).with_context(|| format!("copying {f}"))?;
        }
    }
    let dir = write(&scratch, "acme-pdu")?;
    say(&format!("new-handler: wrote {}", dir.display()));
    let sh = Shell::new()?;
    sh.change_dir(&scratch);
    let target = sh.push_env("CARGO_TARGET_DIR", root.join("target"));
    cmd!(sh, "cargo test -p acme-pdu").run()?;
    // As written, the crate passes the gate's format check too.
    cmd!(sh, "cargo fmt -p acme-pdu -- --check").run()?;
    drop(target);
    std::fs::remove_dir_all(&scratch)?;
    Ok(())
}

/// A valid crate name for a handler: lowercase ASCII letters, digits and dashes, starting with a
/// letter.
fn valid(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
}

/// Writes the crate into `root`'s `handlers/NAME` and adds it to the workspace's members.
pub fn write(root: &Path, name: &str) -> Result<PathBuf> {
    if !valid(name) {
        bail!("'{name}' is not a handler name: lowercase letters, digits and dashes (acme-pdu)");
    }
    let dir = root.join("handlers").join(name);
    if dir.exists() {
        bail!("{} exists already", dir.display());
    }
    let manifest = root.join("Cargo.toml");
    let workspace_toml = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let members = add_member(&workspace_toml, name)?;
    std::fs::create_dir_all(dir.join("src"))?;
    let ident = name.replace('-', "_");
    let files = [
        ("Cargo.toml", cargo_toml(name)),
        ("build.rs", build_rs(name)),
        (&format!("{name}.toml") as &str, profile(name)),
        ("fixture.snmprec", fixture()),
        ("src/main.rs", main_rs(name, &ident)),
        ("src/lib.rs", lib_rs(name)),
    ];
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    std::fs::write(&manifest, members)?;
    Ok(dir)
}

/// The workspace manifest with `handlers/NAME` after the last handler member.
fn add_member(manifest: &str, name: &str) -> Result<String> {
    let last = manifest
        .lines()
        .rfind(|l| l.trim_start().starts_with("\"handlers/"))
        .context("the workspace has no handlers/ member to add the new one after")?;
    let at = manifest.find(last).context("the member line")? + last.len();
    Ok(format!(
        "{}\n    \"handlers/{name}\",{}",
        &manifest[..at],
        &manifest[at..]
    ))
}

fn cargo_toml(name: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
description = "DCImanager PDU handler over SNMP v1/v2c/v3, from a device profile"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[dependencies]
device-profile.workspace = true

[build-dependencies]
# The format alone (no SNMP stack built for the build script).
device-profile = {{ path = "../../crates/device-profile", default-features = false }}

[lints]
workspace = true
"#
    )
}

fn build_rs(name: &str) -> String {
    format!(
        r#"//! Compiles the device profile into Rust (device-profile's `build`): checked here, not parsed at
//! every start.

fn main() {{
    device_profile::build::compile(&["{name}.toml"]);
}}
"#
    )
}

fn main_rs(name: &str, ident: &str) -> String {
    format!(
        r#"//! `{name}`: DCImanager's PDU handler, from its device profile.

fn main() -> std::process::ExitCode {{
    device_profile::run_compiled({ident}::profiles)
}}
"#
    )
}

fn lib_rs(name: &str) -> String {
    format!(
        r#"//! A DCImanager PDU handler built from its device profile (`{name}.toml`). The engine is
//! device-profile's; this crate is the profile and its tests.

// `PROFILES` (the files), `profiles()` (compiled by build.rs) and a test that they agree.
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[cfg(test)]
mod tests {{
    use device_profile::check::{{check, parse_snmprec}};

    /// Over the fixture (replace it with a recording of the device) the profile finds outlets,
    /// and every check holds: states inside the map, no negative watts, outlet watts within 10%
    /// of the unit's.
    #[test]
    fn the_profile_reads_the_fixture() {{
        let objects = parse_snmprec(include_str!("../fixture.snmprec"));
        for p in super::profiles() {{
            let id = &p.profile.id;
            let report = check(&p, &objects).expect("the fixture is of the profile's family");
            assert!(
                !report.outlets.is_empty(),
                "{{id}}: no outlets in the fixture"
            );
            for f in &report.findings {{
                assert!(f.holds, "{{id}}: {{}}: {{}}", f.check, f.detail);
            }}
        }}
    }}
}}
"#
    )
}

/// The template profile: every key, explained.
fn profile(name: &str) -> String {
    format!(
        r#"# The device profile of {name}: the whole handler. Replace every OID under {EXAMPLE} (the
# documentation enterprise of RFC 5612) with your device's, from its MIB; then run
#   cargo test -p {name}
#   dci-harness profile check handlers/{name}/{name}.toml --recordings DIR
# See docs/adding-a-handler.md for every key.

[profile]
id = "{name}"
name = "Example PDU (SNMP, dcihandlers)"      # the name DCImanager shows
mib = "EXAMPLE-PDU-MIB"                       # the MIB (and revision) the OIDs come from
family = "example outlet"                     # in errors: "has none of the example outlet tables"

[detect]
sys_object_id = ["{EXAMPLE}"]            # a hint: sysObjectID prefixes of the family
probe = ["{EXAMPLE}.1.2.1.3"]            # decides: a column every device of the family has

[outlets]
index = "N"                                   # or "unit.N" (with single_unit), "tower.infeed.N"
noun = "outlet"
names = ["{EXAMPLE}.1.2.1.2"]            # name columns, the first non-empty wins

[outlets.switchable]                          # optional: a column that says an outlet can switch
oid = "{EXAMPLE}.1.2.1.6"
yes = [1]                                     # or no = [...], or bit = N of a BITS value

[[outlets.state]]                             # where the state is read; several are fallbacks
oid = "{EXAMPLE}.1.2.1.3"
on = [1]
off = [2]
transitional = [3]                            # "not yet": waited for, never an answer
fault = [4]                                   # reported unknown

[outlets.control]                             # optional: a metered-only PDU has none
on = {{ oid = "{EXAMPLE}.1.2.1.4", type = "integer", value = 1 }}
off = {{ oid = "{EXAMPLE}.1.2.1.4", type = "integer", value = 2 }}
reset = {{ oid = "{EXAMPLE}.1.2.1.4", type = "integer", value = 3 }}   # or "off-then-on"

[outlets.confirm]
within_s = 20                                 # how long the PDU may take to show a change
poll_ms = 1000

[metrics.power]                               # optional: only where the MIB meters outlets in W
oid = "{EXAMPLE}.1.2.1.5"
unit = "W"                                    # W, W/10, kW, kW/100
invalid = ["negative"]                        # values that mean "not available"

[metrics.unit_power]                          # optional: the unit's watts, for the checker
oid = "{EXAMPLE}.1.1.1"
unit = "W"
"#
    )
}

/// Eight outlets of the template profile: every third off, names, watts, the unit's watts.
fn fixture() -> String {
    let mut lines = vec![
        "1.3.6.1.2.1.1.1.0|4|Example PDU".to_owned(),
        format!("1.3.6.1.2.1.1.2.0|6|{EXAMPLE}.2"),
    ];
    let mut total = 0;
    let mut rows: Vec<(u32, u32, String)> = Vec::new();
    for n in 1..=FIXTURE_OUTLETS {
        let on = n % 3 != 0;
        let watts = if on { 40 + 7 * n } else { 0 };
        total += watts;
        rows.push((2, n, format!("4|srv-{n}")));
        rows.push((3, n, format!("2|{}", if on { 1 } else { 2 })));
        rows.push((4, n, "2|0".to_owned()));
        rows.push((5, n, format!("2|{watts}")));
        rows.push((6, n, "2|1".to_owned()));
    }
    lines.push(format!("{EXAMPLE}.1.1.1.0|2|{total}"));
    rows.sort();
    lines.extend(
        rows.into_iter()
            .map(|(c, n, v)| format!("{EXAMPLE}.1.2.1.{c}.{n}|{v}")),
    );
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_members() {
        assert!(valid("acme-pdu") && valid("pdu2"));
        assert!(!valid("Acme") && !valid("-x") && !valid("x-") && !valid("a_b") && !valid(""));
        let m = "members = [\n    \"crates/a\",\n    \"handlers/x\",\n    \"tests\",\n]\n";
        assert_eq!(
            add_member(m, "y").unwrap(),
            "members = [\n    \"crates/a\",\n    \"handlers/x\",\n    \"handlers/y\",\n    \"tests\",\n]\n"
        );
    }

    #[test]
    fn the_template_reads_its_fixture() {
        let p = device_profile::Profile::parse("t.toml", &profile("acme-pdu"))
            .unwrap_or_else(|e| panic!("{e}"));
        let objects = device_profile::check::parse_snmprec(&fixture());
        let r = device_profile::check::check(&p, &objects).expect("of the family");
        assert_eq!(r.outlets.len(), FIXTURE_OUTLETS as usize);
        assert_eq!(
            device_profile::check::count_states(&r.outlets),
            "off 2, on 6"
        );
        assert!(r.holds(), "{:?}", r.findings);
        assert_eq!(r.findings.len(), 3);
    }
}
