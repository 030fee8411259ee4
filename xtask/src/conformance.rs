//! `cargo xtask conformance DIR`: every SNMP handler against every `.snmprec` recording in
//! DIR, each served by its own snmpsim, judged by `dci-harness check`.
//!
//! Recordings are read-only data, so the copy served has every INTEGER object made writable
//! (snmpsim's `writecache` variation; values unchanged): the suite can then switch a port off
//! and on as it would on the device. An INTEGER already served by a variation module
//! (`2:numeric|…,initial=2`, which changes on every read, or `2:writecache|value=1`) becomes a
//! writable plain value too, its `initial=` (else `value=`) kept: a recorded state that changes
//! by itself cannot be confirmed, and a conformance run judges the handler, not the recorder's
//! choice of variation. An INTEGER variation line with neither setting is left as it is. One
//! snmpsim per recording, because snmpsim's write cache is keyed by OID alone and would leak
//! one recording's writes into another's answers.
//!
//! Before the suite, each handler is asked for `status` once: a handler whose answer is an
//! `unexpected_data` error saying the device "has none of" its tables (the handlers' common
//! wording for "this is not my device": apc-pdu on a Raritan, ibm-blade-pdu on an APC) is
//! reported as "does not drive this device", neither passed nor failed, and the suite's steps
//! are not run for it. Every other answer, errors included, goes to the suite.
//!
//! The report (per recording and handler: passed, failed, skipped, and each failure) is printed
//! and written to `target/conformance/report.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::testbed;
use crate::workspace;

/// Big recordings (hundreds of thousands of OIDs) take snmpsim a while to index.
const SNMPSIM_READY: Duration = Duration::from_secs(300);

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["snmp-ver"], &[])?;
    let [dir] = &flags.positional[..] else {
        bail!("usage: cargo xtask conformance DIR [--snmp-ver v1|v2c]   (DIR holds .snmprec files)")
    };
    let version = flags.value("snmp-ver").unwrap_or("v2c").to_owned();
    let dir = std::path::absolute(dir)?;
    let sh = Shell::new()?;
    let root = workspace::root();
    sh.change_dir(&root);
    testbed::install(&sh)?;
    cmd!(sh, "cargo build --locked --bins --workspace").run()?;
    let bin = root.join("target/debug");
    let handlers = snmp_handlers(&bin)?;
    let mut recordings: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "snmprec"))
        .collect();
    recordings.sort();
    if recordings.is_empty() {
        bail!("{} holds no .snmprec recording", dir.display());
    }
    let work = root.join("target/conformance");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    let mut report = format!(
        "# Conformance: {}\n\nSNMP {version}, `dci-harness check --port auto` per handler, one snmpsim per recording.\n\n| recording | handler | passed | failed | skipped | time |\n|---|---|---|---|---|---|\n",
        dir.display()
    );
    let mut details = String::new();
    let mut failures = 0;
    for rec in &recordings {
        let community = rec
            .file_stem()
            .context("recording has a name")?
            .to_string_lossy()
            .into_owned();
        let run_dir = work.join(&community);
        let data = run_dir.join("recording");
        std::fs::create_dir_all(&data)?;
        writable_copy(rec, &data.join(format!("{community}.snmprec")))?;
        let started = Instant::now();
        let agent = match testbed::start_snmpsim(&run_dir, &data, SNMPSIM_READY) {
            Ok(a) => a,
            Err(e) => {
                failures += 1;
                report.push_str(&format!("| {community} | (snmpsim) | | | | {e:#} |\n"));
                continue;
            }
        };
        say(&format!(
            "{community}: snmpsim ready in {:.1} s on port {}",
            started.elapsed().as_secs_f64(),
            agent.port
        ));
        for h in &handlers {
            let t = Instant::now();
            if let Some(why) = not_driven(&bin, h, agent.port, &version, &community)? {
                report.push_str(&format!(
                    "| {community} | {h} | does not drive this device | | | {:.1} s |\n",
                    t.elapsed().as_secs_f64()
                ));
                details.push_str(&format!(
                    "\n## {community} / {h}\n\ndoes not drive this device: {why}\n"
                ));
                say(&format!("  {h}: does not drive this device"));
                continue;
            }
            let out = Command::new(bin.join("dci-harness"))
                .args(["check", &bin.join(h).to_string_lossy()])
                .args(["--ip", &format!("127.0.0.1:{}", agent.port)])
                .args([
                    "--snmp-ver",
                    &version,
                    "--community-env",
                    "DCIH_CONFORMANCE_COMMUNITY",
                ])
                .args(["--port", "auto", "--timeout", "120"])
                .env("DCIH_CONFORMANCE_COMMUNITY", &community)
                // Behaviour, not latency, is judged here: a loaded machine must not turn a
                // slow simulator answer into a failure.
                .env("DCIH_TIMEOUT", "5")
                .env("DCIH_DEADLINE", "120")
                // A recording's state objects do not follow a command written to another
                // object (APC rPDU2 and rPDU, BladeCenter): such a switch is reported as not
                // followed after this long instead of the default 20 s.
                .env("DCIH_CONFIRM_TIMEOUT", "5")
                .output()
                .context("running dci-harness check")?;
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let counts = text
                .lines()
                .rev()
                .find(|l| l.contains(" passed, "))
                .unwrap_or("no summary");
            let nums: Vec<&str> = counts
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .collect();
            let (p, f, s) = match nums[..] {
                [p, f, s] => (p, f, s),
                _ => ("?", "?", "?"),
            };
            if !out.status.success() {
                failures += 1;
            }
            report.push_str(&format!(
                "| {community} | {h} | {p} | {f} | {s} | {:.1} s |\n",
                t.elapsed().as_secs_f64()
            ));
            details.push_str(&format!("\n## {community} / {h}\n\n```text\n{}```\n", text));
            if !out.stderr.is_empty() && !out.status.success() {
                details.push_str(&format!(
                    "\nstderr:\n```text\n{}\n```\n",
                    tail(&String::from_utf8_lossy(&out.stderr), 20)
                ));
            }
            say(&format!("  {h}: {counts}"));
        }
        testbed::kill_group(agent.pid)?;
    }
    report.push_str(&details);
    let path = work.join("report.md");
    std::fs::write(&path, &report)?;
    say(&format!("\nreport: {}", path.display()));
    if failures > 0 {
        bail!("{failures} handler runs had failing steps; see the report");
    }
    Ok(())
}

/// The handlers that declare an SNMP requirement.
fn snmp_handlers(bin: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for h in workspace::handlers()? {
        let info = Command::new(bin.join(&h)).arg("-info").output()?;
        if String::from_utf8_lossy(&info.stdout).contains("<snmpv") && h != "ups-sim" {
            out.push(h);
        }
    }
    Ok(out)
}

/// `Some(error text)` when `handler`'s `status` says the device has none of its tables.
fn not_driven(
    bin: &Path,
    handler: &str,
    port: u16,
    version: &str,
    community: &str,
) -> Result<Option<String>> {
    let out = Command::new(bin.join("dci-harness"))
        .args(["call", &bin.join(handler).to_string_lossy(), "status"])
        .args(["--ip", &format!("127.0.0.1:{port}")])
        .args([
            "--snmp-ver",
            version,
            "--community-env",
            "DCIH_CONFORMANCE_COMMUNITY",
        ])
        .args(["--timeout", "120", "--xml"])
        .env("DCIH_CONFORMANCE_COMMUNITY", community)
        .env("DCIH_TIMEOUT", "5")
        .env("DCIH_DEADLINE", "120")
        .output()
        .context("running dci-harness call")?;
    Ok(not_mine(&String::from_utf8_lossy(&out.stdout)))
}

/// The error text of an `unexpected_data` error document saying "has none of".
fn not_mine(doc: &str) -> Option<String> {
    let text = doc.split("<text>").nth(1)?.split("</text>").next()?;
    (doc.contains("<type>unexpected_data</type>") && text.contains("has none of"))
        .then(|| text.to_owned())
}

/// Copies a recording, making every INTEGER object writable (see the module docs); nothing
/// else changes.
fn writable_copy(from: &Path, to: &Path) -> Result<()> {
    let text = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    let text = String::from_utf8_lossy(&text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        out.push_str(&writable_line(line));
        out.push('\n');
    }
    std::fs::write(to, out)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o644))?;
    Ok(())
}

/// One `.snmprec` line, an INTEGER made writable: `OID|2|V` and `OID|2:MODULE|…initial=V…` (or
/// `value=V`) become `OID|2:writecache|value=V`; every other line stays.
fn writable_line(line: &str) -> String {
    let mut parts = line.splitn(3, '|');
    let (Some(oid), Some(tag), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return line.to_owned();
    };
    if tag == "2" {
        return format!("{oid}|2:writecache|value={value}");
    }
    if tag.starts_with("2:") {
        let setting = |key: &str| {
            value
                .split(',')
                .find_map(|kv| kv.trim().strip_prefix(key))
                .map(str::trim)
                .filter(|v| v.parse::<i64>().is_ok())
        };
        if let Some(v) = setting("initial=").or_else(|| setting("value=")) {
            return format!("{oid}|2:writecache|value={v}");
        }
    }
    line.to_owned()
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[allow(clippy::print_stdout)]
fn say(s: &str) {
    println!("{s}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_become_writable() {
        assert_eq!(writable_line("1.3.6|2|5"), "1.3.6|2:writecache|value=5");
        assert_eq!(
            writable_line("1.3.6|2:numeric|min=1,max=2,wrap=1,initial=2"),
            "1.3.6|2:writecache|value=2"
        );
        assert_eq!(
            writable_line("1.3.6|2:writecache|value=1"),
            "1.3.6|2:writecache|value=1"
        );
        assert_eq!(
            writable_line("1.3.6|2:numeric|min=1"),
            "1.3.6|2:numeric|min=1"
        );
        assert_eq!(
            writable_line("1.3.6|4:writecache|value=ESX 3"),
            "1.3.6|4:writecache|value=ESX 3"
        );
        assert_eq!(writable_line("1.3.6|4|a|b"), "1.3.6|4|a|b");
    }

    #[test]
    fn not_mine_needs_unexpected_data_and_the_words() {
        let doc = "<doc><error><type>unexpected_data</type><text>x has none of the APC outlet tables</text></error></doc>";
        assert!(not_mine(doc).is_some());
        assert!(not_mine(&doc.replace("unexpected_data", "connection")).is_none());
        assert!(not_mine("<doc><port/></doc>").is_none());
    }
}
