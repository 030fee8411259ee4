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
//! A recording cannot do what a device does when a command written to one object changes the
//! state read from another (APC rPDU2 and rPDU, BladeCenter). A handler crate says how its
//! device does it in `conformance.follow` (one rule a line: `COMMAND-COLUMN STATE-COLUMN
//! C1>S1/C2>S2`, or `*>S` where the object written, not the value, is the command (Eaton's
//! On/Off/Reboot objects, each written with 0); numeric OIDs, `#` comments); for every index that has both a command cell and
//! a state cell in the recording, the copy served gives both to the test bed's `follow`
//! variation module (tests/fixtures/snmpsim-variation/follow.py), so the state becomes the
//! mapped value of the command written, at once, and every other command leaves it as it is.
//! Rules for one state column are merged (restart and power commands of one blade). The
//! recorded values stay the starting values.
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
use crate::ups_oracle;
use crate::vlan_oracle;
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
    let rules = follow_rules(&root.join("handlers"))?;
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
    let mut vlans = String::from(
        "\n## Switch VLANs against each recording's own tables\n\n`status`'s vlan_id, is_trunk and trunk_members of every port the recording's VLAN tables describe (`xtask/src/vlan_oracle.rs`).\n\n| recording | handler | ports that agree | first difference |\n|---|---|---|---|\n",
    );
    let mut macs = String::from(
        "\n## Switch MAC tables against each recording's own forwarding table\n\n`mac_list` of every port the recording's dot1qTpFdbTable (else dot1dTpFdbTable) names, learned entries only; a Cisco recording's VLAN bridges are the recording itself under each VLAN's community (no recording holds per-VLAN instances).\n\n| recording | handler | ports that agree | first difference |\n|---|---|---|---|\n",
    );
    let mut upses = String::from(
        "\n## UPS readings against each recording's own objects\n\n`status` of a UPS handler against a second reading of the UPS MIBs (`xtask/src/ups_oracle.rs`).\n\n| recording | handler | agree | readings |\n|---|---|---|---|\n",
    );
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
        let followed = writable_copy(rec, &data.join(format!("{community}.snmprec")), &rules)?;
        // Every VLAN bridge of a Cisco recording is the recording itself, under each name the
        // switch reaches it by.
        let oracle = vlan_oracle::Recording::parse(&String::from_utf8_lossy(&std::fs::read(rec)?));
        for name in vlan_oracle::vlan_communities(&oracle, &community) {
            std::os::unix::fs::symlink(
                format!("{community}.snmprec"),
                data.join(format!("{name}.snmprec")),
            )?;
        }
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
            "{community}: snmpsim ready in {:.1} s on port {}; {followed} states follow their commands",
            started.elapsed().as_secs_f64(),
            agent.port
        ));
        // Every handler's status first, before any suite writes to the recording.
        let mut answers = Vec::new();
        for h in &handlers {
            let xml = call_xml(&bin, h, "status", agent.port, &version, &community)?;
            if let Some((compared, diffs)) = vlan_check(&oracle, h, &xml) {
                vlans.push_str(&format!(
                    "| {community} | {h} | {} of {compared} | {} |\n",
                    compared - diffs.len(),
                    diffs.first().map(String::as_str).unwrap_or("")
                ));
                if !diffs.is_empty() {
                    failures += 1;
                    details.push_str(&format!(
                        "\n## {community} / {h}: VLAN fields\n\n{}\n",
                        diffs.iter().map(|d| format!("- {d}\n")).collect::<String>()
                    ));
                }
                say(&format!(
                    "  {h}: VLANs of {compared} ports against the recording's tables, {} differ",
                    diffs.len()
                ));
            }
            if let Some((agree, compared, first)) =
                mac_check(&oracle, &bin, h, agent.port, &version, &community)?
            {
                macs.push_str(&format!(
                    "| {community} | {h} | {agree} of {compared} | {first} |\n"
                ));
                if agree != compared {
                    failures += 1;
                }
                say(&format!(
                    "  {h}: MACs of {compared} ports against the recording's forwarding table, {} differ",
                    compared - agree
                ));
            }
            if let Some(want) = ups_oracle::expected(&oracle)
                && xml.contains("<eq_param")
            {
                let got = ups_oracle::reported(&xml);
                let agree = got == want;
                let shown: Vec<String> = got.iter().map(|(n, v)| format!("{n} {v}")).collect();
                upses.push_str(&format!(
                    "| {community} | {h} | {} | {} |\n",
                    if agree { "yes" } else { "NO" },
                    shown.join(", ")
                ));
                if !agree {
                    failures += 1;
                    let want: Vec<String> = want.iter().map(|(n, v)| format!("{n} {v}")).collect();
                    details.push_str(&format!(
                        "\n## {community} / {h}: UPS readings\n\n- reported: {}\n- expected: {}\n",
                        shown.join(", "),
                        want.join(", ")
                    ));
                }
                say(&format!(
                    "  {h}: UPS readings {} the recording's objects",
                    if agree { "agree with" } else { "DIFFER from" }
                ));
            }
            answers.push(xml);
        }
        for (h, xml) in handlers.iter().zip(&answers) {
            let t = Instant::now();
            if let Some(why) = not_mine(xml) {
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
    report.push_str(&vlans);
    report.push_str(&macs);
    report.push_str(&upses);
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

/// `handler`'s answer to `func` (`status`, `mac_list`), as XML.
fn call_xml(
    bin: &Path,
    handler: &str,
    func: &str,
    port: u16,
    version: &str,
    community: &str,
) -> Result<String> {
    let out = Command::new(bin.join("dci-harness"))
        .args(["call", &bin.join(handler).to_string_lossy(), func])
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
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A switch handler's `mac_list` against the recording's own forwarding table: `None` for
/// other handlers and recordings without one, else (ports that agree, ports compared, the
/// first difference).
fn mac_check(
    rec: &vlan_oracle::Recording,
    bin: &Path,
    handler: &str,
    port: u16,
    version: &str,
    community: &str,
) -> Result<Option<(usize, usize, String)>> {
    let want = vlan_oracle::macs(rec);
    if !handler.ends_with("-switch") || want.is_empty() {
        return Ok(None);
    }
    let xml = call_xml(bin, handler, "mac_list", port, version, community)?;
    if !xml.contains("<port>") {
        let why = xml
            .split("<text>")
            .nth(1)
            .and_then(|t| t.split("</text>").next())
            .unwrap_or("no answer");
        return Ok(Some((0, want.len(), format!("error: {why}"))));
    }
    let got = vlan_oracle::reported_macs(&xml);
    let ports: std::collections::BTreeSet<u32> = want.keys().chain(got.keys()).copied().collect();
    let mut first = String::new();
    let mut agree = 0;
    for p in &ports {
        if want.get(p) == got.get(p) {
            agree += 1;
        } else if first.is_empty() {
            first = format!(
                "port {p}: mac_list {} MACs, the table {}",
                got.get(p).map_or(0, |m| m.len()),
                want.get(p).map_or(0, |m| m.len())
            );
        }
    }
    Ok(Some((agree, ports.len(), first)))
}

/// A switch handler's `status` VLAN fields against what the recording's own tables say
/// ([`vlan_oracle`]): `None` for other handlers and recordings without VLAN tables, else the
/// ports compared and the differences.
fn vlan_check(
    rec: &vlan_oracle::Recording,
    handler: &str,
    xml: &str,
) -> Option<(usize, Vec<String>)> {
    if !handler.ends_with("-switch") {
        return None;
    }
    let want = vlan_oracle::expected(rec, handler == "cisco-switch");
    let got = vlan_oracle::reported(xml);
    let listed: std::collections::BTreeSet<u32> = xml
        .split("<identity>")
        .skip(1)
        .filter_map(|r| r.split('<').next()?.parse().ok())
        .collect();
    let mut compared = 0;
    let mut diffs = Vec::new();
    for (if_index, w) in &want {
        if !listed.contains(if_index) {
            continue;
        }
        compared += 1;
        match got.get(if_index) {
            Some(g) if g == w => {}
            g => diffs.push(format!(
                "port {if_index}: status {g:?}, the recording's tables {w:?}"
            )),
        }
    }
    (compared > 0 || !got.is_empty()).then_some((compared, diffs))
}

/// The error text of an `unexpected_data` error document saying "has none of".
fn not_mine(doc: &str) -> Option<String> {
    let text = doc.split("<text>").nth(1)?.split("</text>").next()?;
    (doc.contains("<type>unexpected_data</type>") && text.contains("has none of"))
        .then(|| text.to_owned())
}

/// One rule of a handler's `conformance.follow`: writing `command`.N makes `state`.N read
/// `map[value written]`, or, for a rule written `*>S` (Eaton's separate On, Off and Reboot
/// objects, each written with the delay 0), `S` whatever is written (`any`).
#[derive(Debug, Clone, PartialEq)]
struct FollowRule {
    command: String,
    state: String,
    map: Vec<(i64, i64)>,
    any: Option<i64>,
}

/// The command code given to the writes of rule `k` of the `*>S` kind: no device value is this
/// large, so it never meets a mapped value.
fn any_code(k: usize) -> i64 {
    1_000_000 + k as i64
}

/// The rules of every `handlers/*/conformance.follow`, in handler order. A line that is not a
/// rule is an error naming the file and line.
fn follow_rules(handlers: &Path) -> Result<Vec<FollowRule>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(handlers)
        .with_context(|| format!("reading {}", handlers.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    dirs.sort();
    let mut rules = Vec::new();
    for dir in dirs {
        let file = dir.join("conformance.follow");
        if !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let rule = parse_rule(line)
                .with_context(|| format!("{}:{}: {line:?}", file.display(), n + 1))?;
            rules.push(rule);
        }
    }
    Ok(rules)
}

fn parse_rule(line: &str) -> Result<FollowRule> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [command, state, map] = fields[..] else {
        bail!("a rule is COMMAND-COLUMN STATE-COLUMN C1>S1/C2>S2")
    };
    let numeric = |oid: &str| {
        !oid.is_empty()
            && oid
                .split('.')
                .all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()))
    };
    for oid in [command, state] {
        if !numeric(oid) {
            bail!("{oid:?} is not a numeric OID");
        }
    }
    if let Some(to) = map.strip_prefix("*>") {
        return Ok(FollowRule {
            command: command.to_owned(),
            state: state.to_owned(),
            map: Vec::new(),
            any: Some(to.parse()?),
        });
    }
    let map = map
        .split('/')
        .map(|pair| {
            let (c, v) = pair
                .split_once('>')
                .with_context(|| format!("{pair:?} is not COMMAND>STATE"))?;
            Ok((c.parse()?, v.parse()?))
        })
        .collect::<Result<Vec<(i64, i64)>>>()?;
    Ok(FollowRule {
        command: command.to_owned(),
        state: state.to_owned(),
        map,
        any: None,
    })
}

/// Copies a recording, making every INTEGER object writable and the command and state cells
/// named by `rules` follow each other (see the module docs); nothing else changes. Returns how
/// many states follow a command.
fn writable_copy(from: &Path, to: &Path, rules: &[FollowRule]) -> Result<usize> {
    let text = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    let text = String::from_utf8_lossy(&text);
    let mut lines: Vec<String> = text.lines().map(writable_line).collect();
    let followed = apply_follow(&mut lines, rules)?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in &lines {
        out.push_str(line);
        out.push('\n');
    }
    std::fs::write(to, out)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o644))?;
    Ok(followed)
}

/// A state cell that follows commands: its line in the recording, its recorded value, and the
/// command → state map merged from every rule naming its column.
struct StateCell {
    line: usize,
    value: String,
    map: Vec<(i64, i64)>,
}

/// Rewrites the writable INTEGER lines (`OID|2:writecache|value=V`) that `rules` pair up into
/// `follow` records: every command cell `COMMAND.N` whose `STATE.N` is in the recording becomes
/// a command of group `STATE.N`, and that state cell the group's state, starting from the
/// recorded values. Returns the number of states.
fn apply_follow(lines: &mut [String], rules: &[FollowRule]) -> Result<usize> {
    use std::collections::BTreeMap;
    let mut integers: std::collections::HashMap<String, (usize, String)> = Default::default();
    for (i, line) in lines.iter().enumerate() {
        if let Some((oid, v)) = line.split_once("|2:writecache|value=") {
            integers.insert(oid.to_owned(), (i, v.to_owned()));
        }
    }
    // state OID -> its line, its value, the merged map
    let mut states: BTreeMap<String, StateCell> = BTreeMap::new();
    let mut commands = Vec::new();
    for (k, rule) in rules.iter().enumerate() {
        let prefix = format!("{}.", rule.command);
        let (as_code, map) = match rule.any {
            Some(to) => (format!(",as={}", any_code(k)), vec![(any_code(k), to)]),
            None => (String::new(), rule.map.clone()),
        };
        for (oid, (i, v)) in &integers {
            let Some(index) = oid.strip_prefix(&prefix) else {
                continue;
            };
            let state = format!("{}.{index}", rule.state);
            let Some((j, s)) = integers.get(&state) else {
                continue;
            };
            commands.push((
                *i,
                format!("{oid}|2:follow|role=command,group={state},value={v}{as_code}"),
            ));
            let entry = states.entry(state).or_insert_with(|| StateCell {
                line: *j,
                value: s.clone(),
                map: Vec::new(),
            });
            for &(command, to) in &map {
                match entry.map.iter().find(|(c, _)| *c == command) {
                    None => entry.map.push((command, to)),
                    Some(&(_, other)) if other == to => {}
                    Some(&(_, other)) => bail!(
                        "two rules for {} map command {command} to {other} and to {to}",
                        rule.state
                    ),
                }
            }
        }
    }
    for (i, line) in commands {
        lines[i] = line;
    }
    for (oid, cell) in &states {
        let map: Vec<String> = cell.map.iter().map(|(c, v)| format!("{c}>{v}")).collect();
        lines[cell.line] = format!(
            "{oid}|2:follow|role=state,group={oid},value={},delay=0,map={}",
            cell.value,
            map.join("/")
        );
    }
    Ok(states.len())
}

/// Q-BRIDGE-MIB dot1qPvid: a Gauge32 made writable too, so `set_vlan` can move a port.
const PVID: &str = "1.3.6.1.2.1.17.7.1.4.5.1.1.";

/// The VLAN membership lists `set_vlan` writes, made writable: Q-BRIDGE-MIB's static name,
/// egress and untagged lists, and CISCO-VTP-MIB's four allowed-VLAN bitmaps.
const WRITABLE_LISTS: &[&str] = &[
    "1.3.6.1.2.1.17.7.1.4.3.1.1.",
    "1.3.6.1.2.1.17.7.1.4.3.1.2.",
    "1.3.6.1.2.1.17.7.1.4.3.1.4.",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.4.",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.17.",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.18.",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.19.",
];

/// One `.snmprec` line, an INTEGER made writable (and the VLAN objects above): `OID|2|V` and `OID|2:MODULE|…initial=V…` (or
/// `value=V`) become `OID|2:writecache|value=V`; every other line stays.
fn writable_line(line: &str) -> String {
    let mut parts = line.splitn(3, '|');
    let (Some(oid), Some(tag), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return line.to_owned();
    };
    let vlan_lists = WRITABLE_LISTS.iter().any(|c| oid.starts_with(c));
    if vlan_lists && (tag == "4" || tag == "4x") {
        let hex = if tag == "4x" {
            value.to_owned()
        } else {
            value.bytes().map(|b| format!("{b:02x}")).collect()
        };
        return format!("{oid}|4:writecache|hexvalue={hex}");
    }
    if tag == "66" && oid.starts_with(PVID) {
        return format!("{oid}|66:writecache|value={value}");
    }
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
    fn follow_rules_pair_command_and_state_cells() {
        let rules = [
            parse_rule("1.9.2 1.9.1 1>1/0>0").unwrap(),
            parse_rule("1.9.3 1.9.1 1>1").unwrap(),
        ];
        let mut lines: Vec<String> = [
            "1.9.1.1|2|1",
            "1.9.1.2|2|0",
            "1.9.2.1|2|1",
            "1.9.2.2|2|1",
            "1.9.2.3|2|1",
            "1.9.3.1|2|0",
            "1.9.4.1|4|name",
        ]
        .iter()
        .map(|l| writable_line(l))
        .collect();
        assert_eq!(apply_follow(&mut lines, &rules).unwrap(), 2);
        assert_eq!(
            lines,
            [
                "1.9.1.1|2:follow|role=state,group=1.9.1.1,value=1,delay=0,map=1>1/0>0",
                "1.9.1.2|2:follow|role=state,group=1.9.1.2,value=0,delay=0,map=1>1/0>0",
                "1.9.2.1|2:follow|role=command,group=1.9.1.1,value=1",
                "1.9.2.2|2:follow|role=command,group=1.9.1.2,value=1",
                // No state cell 1.9.1.3: stays a plain writable value.
                "1.9.2.3|2:writecache|value=1",
                "1.9.3.1|2:follow|role=command,group=1.9.1.1,value=0",
                "1.9.4.1|4|name",
            ]
        );
        let clash = [
            parse_rule("1.9.2 1.9.1 1>1").unwrap(),
            parse_rule("1.9.3 1.9.1 1>0").unwrap(),
        ];
        let mut two = vec![
            writable_line("1.9.1.1|2|1"),
            writable_line("1.9.2.1|2|1"),
            writable_line("1.9.3.1|2|1"),
        ];
        assert!(apply_follow(&mut two, &clash).is_err());
        // Separate on and off objects, each written with 0.
        let any = [
            parse_rule("1.9.2 1.9.1 *>1").unwrap(),
            parse_rule("1.9.3 1.9.1 *>0").unwrap(),
        ];
        let mut eaton = vec![
            writable_line("1.9.1.1|2|1"),
            writable_line("1.9.2.1|2|-1"),
            writable_line("1.9.3.1|2|-1"),
        ];
        assert_eq!(apply_follow(&mut eaton, &any).unwrap(), 1);
        assert_eq!(
            eaton,
            [
                "1.9.1.1|2:follow|role=state,group=1.9.1.1,value=1,delay=0,map=1000000>1/1000001>0",
                "1.9.2.1|2:follow|role=command,group=1.9.1.1,value=-1,as=1000000",
                "1.9.3.1|2:follow|role=command,group=1.9.1.1,value=-1,as=1000001",
            ]
        );
        assert!(parse_rule("1.9.2 1.9.1").is_err());
        assert!(parse_rule("1.9.x 1.9.1 1>1").is_err());
        assert!(parse_rule("1.9.2 1.9.1 1-1").is_err());
    }

    #[test]
    fn every_handlers_rules_parse() {
        let rules = follow_rules(&workspace::root().join("handlers")).unwrap();
        assert!(
            rules
                .iter()
                .any(|r| r.command.starts_with("1.3.6.1.4.1.318."))
        );
    }

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
