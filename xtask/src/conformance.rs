//! `cargo xtask conformance DIR`: every SNMP handler against every `.snmprec` recording in
//! DIR, each served by its own snmpsim, judged by `dci-harness check`.
//!
//! Recordings are read-only data, so the copy served has every INTEGER object made writable
//! (snmpsim's `writecache` variation; values unchanged): the suite can then switch a port off
//! and on as it would on the device. One snmpsim per recording, because snmpsim's write cache
//! is keyed by OID alone and would leak one recording's writes into another's answers.
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

/// Copies a recording, making every plain INTEGER object writable; nothing else changes.
fn writable_copy(from: &Path, to: &Path) -> Result<()> {
    let text = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    let text = String::from_utf8_lossy(&text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines() {
        let mut parts = line.splitn(3, '|');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(oid), Some("2"), Some(value)) => {
                out.push_str(oid);
                out.push_str("|2:writecache|value=");
                out.push_str(value);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    std::fs::write(to, out)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o644))?;
    Ok(())
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[allow(clippy::print_stdout)]
fn say(s: &str) {
    println!("{s}");
}
