//! `gen-recording`: writes a generated switch recording for snmpsim (benchmarks use a 48-port and
//! a 384-port switch), or a PDU recording (`e2e::pdus`; its outlets need the test bed's `follow`
//! variation module).
//!
//! ```text
//! gen-recording switch --ports N [--modules M] [--no-port-table] [--plain] [--community NAME] DIR
//! gen-recording pdu blade|rpcm|apc|eaton|raritan|px|sentry4|sentry3 --ports N [--community NAME] DIR
//! gen-recording vlans cisco|qbridge --ports N --vlans V [--macs M] [--community NAME] DIR
//! ```
//!
//! writes `DIR/NAME.snmprec` (NAME defaults to `switch`), the recording that
//! `e2e::fixtures::SwitchRecording` makes with those knobs: N Ethernet ports spread over M stack
//! modules (N a multiple of M), with CISCO-STACK-MIB's portTable unless `--no-port-table`, plus
//! ifXTable, dot3StatsDuplexStatus, Vlan1, Null0 and Port-channel1 (`--plain`: only values every
//! handler can map, the seed's Python one included). snmpsim serves it under the
//! community NAME.

use std::path::PathBuf;
use std::process::ExitCode;

use e2e::fixtures::SwitchRecording;

const USAGE: &str = "usage: gen-recording switch --ports N [--modules M] [--no-port-table] [--plain] [--community NAME] DIR";

/// What the command line asks for.
#[derive(Debug)]
struct Args {
    ports: u32,
    modules: u32,
    port_table: bool,
    plain: bool,
    community: String,
    dir: PathBuf,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("switch") => {}
        Some(other) => return Err(format!("unknown kind of recording '{other}'")),
        None => return Err("missing the kind of recording".into()),
    }
    let number = |flag: &str, v: Option<&String>| -> Result<u32, String> {
        let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
        v.parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("{flag}: expected a number from 1, got '{v}'"))
    };
    let mut ports = None;
    let mut modules = 1;
    let mut port_table = true;
    let mut plain = false;
    let mut community = "switch".to_owned();
    let mut dir = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ports" => ports = Some(number(a, it.next())?),
            "--modules" => modules = number(a, it.next())?,
            "--no-port-table" => port_table = false,
            "--plain" => plain = true,
            "--community" => {
                community = it
                    .next()
                    .filter(|c| !c.is_empty() && !c.starts_with('-'))
                    .ok_or("--community needs a name")?
                    .clone();
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option '{flag}'")),
            path if dir.is_none() => dir = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument '{extra}'")),
        }
    }
    let ports = ports.ok_or("--ports is required")?;
    if !ports.is_multiple_of(modules) {
        return Err(format!(
            "{ports} ports do not spread over {modules} modules"
        ));
    }
    Ok(Args {
        ports,
        modules,
        port_table,
        plain,
        community,
        dir: dir.ok_or("missing the output directory")?,
    })
}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("pdu") {
        return pdu(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("vlans") {
        return vlans(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("ups") {
        return ups(&args[1..]);
    }
    let args = match parse(&args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-recording: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        eprintln!("gen-recording: creating {}: {e}", args.dir.display());
        return ExitCode::FAILURE;
    }
    let switch = SwitchRecording::new(args.ports)
        .modules(args.modules)
        .port_table(args.port_table)
        .plain(args.plain)
        .hostname(&args.community)
        .build();
    let path = switch.recording.write(&args.dir, &args.community);
    eprintln!(
        "gen-recording: wrote {} ({} interfaces, {} objects)",
        path.display(),
        switch.interfaces.len(),
        switch.recording.len()
    );
    ExitCode::SUCCESS
}

/// `gen-recording pdu blade|rpcm|apc|eaton|raritan|px|sentry4|sentry3 --ports N [--community NAME] DIR`: a BladeCenter, an RPCM or
/// a metered APC rPDU2, an Eaton ePDU, a Raritan PX3 (PDU2-MIB) or Dominion PX, or a Sentry4 or
/// Sentry3 PDU from `e2e::pdus`, every outlet following at once.
#[allow(clippy::print_stderr)]
fn pdu(args: &[String]) -> ExitCode {
    use e2e::pdus::{Kind, Pdu, outlets};
    let usage = || {
        eprintln!(
            "gen-recording: usage: gen-recording pdu {} --ports N [--community NAME] DIR",
            Kind::NAMES
        );
        ExitCode::from(2)
    };
    let Some(kind) = args.first().and_then(|k| Kind::from_name(k)) else {
        return usage();
    };
    let Some(o) = options(&args[1..], "pdu") else {
        return usage();
    };
    let (ports, community, dir) = (o.ports, o.community, o.dir);
    let pdu = Pdu::new(kind, outlets(kind, ports));
    let path = pdu.recording.write(&dir, &community);
    eprintln!(
        "gen-recording: wrote {} ({} outlets)",
        path.display(),
        ports
    );
    ExitCode::SUCCESS
}

/// `gen-recording ups single|three|apc|apc3|eaton COMMUNITY DIR`: a UPS from `e2e::upses`
/// (UPS-MIB single- or three-phase, APC Smart-UPS or three-phase Symmetra on PowerNet-MIB, Eaton
/// on XUPS-MIB).
#[allow(clippy::print_stderr)]
fn ups(args: &[String]) -> ExitCode {
    use e2e::upses;
    const UPS_USAGE: &str = "usage: gen-recording ups single|three|apc|apc3|eaton COMMUNITY DIR";
    let [kind, community, dir] = args else {
        eprintln!("gen-recording: {UPS_USAGE}");
        return ExitCode::from(2);
    };
    let ups = match kind.as_str() {
        "single" => upses::single_phase(),
        "three" => upses::three_phase(),
        "apc" => upses::apc_smart_ups(),
        "apc3" => upses::apc_three_phase(),
        "eaton" => upses::eaton_xups(),
        _ => {
            eprintln!("gen-recording: {UPS_USAGE}");
            return ExitCode::from(2);
        }
    };
    let path = ups.recording.write(std::path::Path::new(dir), community);
    eprintln!("gen-recording: wrote {} ({})", path.display(), ups.what);
    ExitCode::SUCCESS
}

/// `gen-recording vlans cisco|qbridge --ports N --vlans V [--community NAME] DIR`: a Catalyst
/// (`e2e::vlans::Catalyst`: every sixth port a trunk) or a Q-BRIDGE switch (`QBridge`) with at
/// least V VLANs, its VLAN objects writable through the test bed's `switch` variation module.
#[allow(clippy::print_stderr)]
fn vlans(args: &[String]) -> ExitCode {
    use e2e::vlans::{Catalyst, QBridge};
    const VLAN_USAGE: &str = "usage: gen-recording vlans cisco|qbridge --ports N --vlans V [--macs M] [--community NAME] DIR";
    let usage = || {
        eprintln!("gen-recording: {VLAN_USAGE}");
        ExitCode::from(2)
    };
    let Some(kind) = args.first().filter(|k| *k == "cisco" || *k == "qbridge") else {
        return usage();
    };
    let Some(Options {
        ports,
        vlans,
        macs,
        community,
        dir,
    }) = options(&args[1..], "vlans")
    else {
        return usage();
    };
    let (rec, count) = if kind == "cisco" {
        let c = Catalyst::new(ports).writable(true);
        let extra = vlans.saturating_sub(c.vlans().len() as u16);
        let c = c.more_vlans(extra).macs_per_port(macs.unwrap_or(2) as u8);
        // Each VLAN's bridge instance under COMMUNITY@VLAN, for mac_list.
        for (vlan, r) in c.vlan_instances() {
            r.write(&dir, &format!("{community}@{vlan}"));
        }
        (c.build().0, c.vlans().len())
    } else {
        let q = QBridge::new(ports).writable(true);
        let extra = vlans.saturating_sub(q.vlans().len() as u16);
        let q = q.more_vlans(extra).macs_per_port(macs.unwrap_or(2));
        (q.build().0, q.vlans().len())
    };
    let path = rec.write(&dir, &community);
    eprintln!(
        "gen-recording: wrote {} ({ports} ports, {count} VLANs)",
        path.display()
    );
    ExitCode::SUCCESS
}

/// The options `pdu` and `vlans` take after their kind.
struct Options {
    ports: u32,
    vlans: u16,
    macs: Option<u32>,
    community: String,
    dir: PathBuf,
}

/// `--ports N [--vlans V] [--community NAME] DIR`, the directory created; `None` on anything
/// else (the caller prints its usage).
fn options(args: &[String], default_community: &str) -> Option<Options> {
    let (mut ports, mut vlans, mut macs, mut community, mut dir) =
        (None, 0, None, default_community.to_owned(), None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ports" => {
                ports = it
                    .next()
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|n| *n >= 1)
            }
            "--vlans" => vlans = it.next()?.parse().ok()?,
            "--macs" => macs = Some(it.next()?.parse().ok()?),
            "--community" => community = it.next().cloned().unwrap_or_default(),
            path if !path.starts_with('-') && dir.is_none() => dir = Some(PathBuf::from(path)),
            _ => return None,
        }
    }
    let dir = dir?;
    if community.is_empty() || std::fs::create_dir_all(&dir).is_err() {
        return None;
    }
    Some(Options {
        ports: ports?,
        vlans,
        macs,
        community,
        dir,
    })
}
