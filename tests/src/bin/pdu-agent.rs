//! `pdu-agent`: serves a generated PDU (`e2e::pdus`) from the test bed's snmpsim on 127.0.0.1 for
//! tests written in another language (the DCImanager 6 adapter's, in Python), with the same
//! guard the Rust tests use: a free port, readiness checked by net-snmp's `snmpget`, the agent
//! killed and its scratch directory removed when this process ends.
//!
//! ```text
//! pdu-agent blade|rpcm|apc|eaton|raritan|px|sentry4|sentry3 --ports N [--community NAME] [--v3]
//! ```
//!
//! prints `127.0.0.1:PORT` on a line of its own once the agent answers, then serves until its
//! standard input is closed. Outlets switch through the `follow` variation module, at once.
//! `--v3` also starts net-snmp's snmpd in front of it (`Snmpd::start_proxy`: snmpsim's own v3
//! needs a context DCImanager never sends) and prints a second line, `v3 127.0.0.1:PORT USER
//! AUTH-PROTO AUTH-PHRASE PRIV-PROTO PRIV-PHRASE`: the test bed's authPriv user allowed to write,
//! protocols in dci-protocol's spellings.

use std::io::{Read, Write};
use std::process::ExitCode;

use dci_protocol::{AuthProtocol, PrivProtocol};
use e2e::agents::{Snmpd, Snmpsim};
use e2e::pdus::{Kind, Pdu, outlets};

/// The enterprise subtree snmpd forwards to snmpsim for each family.
fn subtree(kind: Kind) -> &'static str {
    match kind {
        Kind::Blade => ".1.3.6.1.4.1.2.3.51",
        Kind::Rpcm => ".1.3.6.1.4.1.46235",
        Kind::ApcRpdu2 { .. } | Kind::ApcRpdu | Kind::ApcMasterSwitch => ".1.3.6.1.4.1.318",
        Kind::Eaton { .. } => ".1.3.6.1.4.1.534",
        Kind::RaritanPdu2 { .. } | Kind::RaritanPx => ".1.3.6.1.4.1.13742",
        Kind::Sentry4 | Kind::Sentry3 => ".1.3.6.1.4.1.1718",
    }
}

fn parse(args: &[String]) -> Result<(Kind, u32, String, bool), String> {
    let (first, rest) = args.split_first().ok_or("missing the kind of PDU")?;
    let kind = Kind::from_name(first).ok_or_else(|| format!("unknown kind of PDU '{first}'"))?;
    let mut ports = None;
    let mut community = "pdu".to_owned();
    let mut v3 = false;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ports" => {
                ports = it
                    .next()
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|n| (1..=96).contains(n));
                if ports.is_none() {
                    return Err("--ports: expected a number from 1 to 96".into());
                }
            }
            "--community" => {
                community = it
                    .next()
                    .filter(|c| !c.is_empty() && !c.starts_with('-'))
                    .ok_or("--community needs a name")?
                    .clone();
            }
            "--v3" => v3 = true,
            other => return Err(format!("unexpected argument '{other}'")),
        }
    }
    Ok((kind, ports.ok_or("--ports is required")?, community, v3))
}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, ports, community, v3) = match parse(&args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "pdu-agent: {e}\nusage: pdu-agent {} --ports N [--community NAME] [--v3]",
                Kind::NAMES
            );
            return ExitCode::from(2);
        }
    };
    let data = std::env::temp_dir().join(format!("pdu-agent-{}", std::process::id()));
    let pdu = Pdu::new(kind, outlets(kind, ports));
    pdu.recording.write(&data, &community);
    let agent = Snmpsim::start(&data);
    let _ = std::fs::remove_dir_all(&data);
    let proxy = v3.then(|| Snmpd::start_proxy(&agent.endpoint(), &[(&community, subtree(kind))]));
    let mut lines = vec![agent.endpoint()];
    if let Some(p) = &proxy {
        let u = Snmpd::v3_writer();
        let (auth, auth_phrase) = u
            .auth
            .clone()
            .unwrap_or((AuthProtocol::Sha1, String::new()));
        let (privacy, priv_phrase) = u
            .privacy
            .clone()
            .unwrap_or((PrivProtocol::Aes128, String::new()));
        lines.push(format!(
            "v3 {} {} {auth} {auth_phrase} {privacy} {priv_phrase}",
            p.endpoint(),
            u.user
        ));
    }
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", lines.join("\n"))
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    // Serve until whoever started us closes our stdin (or dies): then the guard stops snmpsim.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(proxy);
    drop(agent);
    ExitCode::SUCCESS
}
