//! Unit tests of building the request from `call`'s flags: each case is a command line and the
//! request document it must produce, or the refusal it must meet before anything runs.

use clap::Parser;
use dci_protocol::{Request, Secret};

use super::super::secrets::Secrets;
use super::super::{CallArgs, Cli, Command};
use super::{build, wanted};

fn parse(line: &str) -> Result<CallArgs, String> {
    let argv = std::iter::once("dci-harness").chain(line.split_whitespace());
    match Cli::try_parse_from(argv)
        .map_err(|e| e.to_string())?
        .command
    {
        Command::Call(args) => Ok(*args),
        Command::Info(_) | Command::Check(_) | Command::Profile(_) => {
            panic!("not a call: {line}")
        }
    }
}

fn secrets() -> Secrets {
    Secrets {
        community: Some(Secret::new("c0mm")),
        auth_phrase: Some(Secret::new("authphrase")),
        priv_phrase: Some(Secret::new("privphrase")),
        pass: Some(Secret::new("pw")),
    }
}

/// `line` builds (with the secrets the flags ask for) the request `xml` describes.
#[track_caller]
fn builds(line: &str, xml: &str) {
    let args = parse(line).unwrap();
    let w = wanted(&args.device);
    let given = secrets();
    // Only the secrets the flags name or need are loaded, as `load_all` would.
    let pick = |i: usize, s: Option<Secret>| {
        (w[i].source.is_some() || w[i].needed.is_some())
            .then_some(s)
            .flatten()
    };
    let s = Secrets {
        community: pick(0, given.community),
        auth_phrase: pick(1, given.auth_phrase),
        priv_phrase: pick(2, given.priv_phrase),
        pass: pick(3, given.pass),
    };
    let got = build(&args, s).unwrap();
    assert_eq!(got, Request::parse(xml).unwrap(), "{line}");
}

/// `line` is refused, with a message containing `message`.
#[track_caller]
fn refused(line: &str, message: &str) {
    let err = match parse(line) {
        Err(e) => e,
        Ok(args) => build(&args, secrets()).unwrap_err().to_string(),
    };
    assert!(err.contains(message), "{line}: {err}");
}

/// The reasons `line` needs each secret (community, auth, priv, pass).
#[track_caller]
fn needs(line: &str, expected: [bool; 4]) {
    let w = wanted(&parse(line).unwrap().device);
    assert_eq!(w.map(|w| w.needed.is_some()), expected, "{line}");
}

#[test]
#[rustfmt::skip]
fn requests_from_flags() {
    builds("call ./h status --ip 10.0.0.2 --snmp-ver v2c --community-env C",
        "<doc><func>status</func><device_params><ip>10.0.0.2</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>c0mm</snmp_community></device_params></doc>");
    builds("call ./h status --ip 127.0.0.1:1161 --snmp-ver 1 --community-file /f",
        "<doc><func>status</func><device_params><ip>127.0.0.1:1161</ip><snmp_ver>SNMP v1</snmp_ver><snmp_community>c0mm</snmp_community></device_params></doc>");
    builds("call ./h statistics --ip [::1]:1161 --snmp-ver v3 --snmp-user u --auth-level authpriv --auth-proto sha256 --priv-proto aes256",
        "<doc><func>statistics</func><device_params><ip>[::1]:1161</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_phrase>authphrase</snmp_auth_phrase><snmp_priv_phrase>privphrase</snmp_priv_phrase><snmp_auth_level>authpriv</snmp_auth_level><snmp_auth_proto>sha256</snmp_auth_proto><snmp_priv_proto>aes256</snmp_priv_proto></device_params></doc>");
    builds("call ./h status --ip sw1 --snmp-ver v3 --snmp-user u --auth-level authnopriv",
        "<doc><func>status</func><device_params><ip>sw1</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_phrase>authphrase</snmp_auth_phrase><snmp_auth_level>authnopriv</snmp_auth_level></device_params></doc>");
    builds("call ./h port_off --ip 10.0.0.3 --user admin",
        "<doc><func>port_off</func><device_params><ip>10.0.0.3</ip><user>admin</user><pass>pw</pass></device_params></doc>");
    builds("call ./h port_on --ip 10.0.0.3 --snmp-ver v1 --community-env C --port 7",
        "<doc><func>port_on</func><device_params><ip>10.0.0.3</ip><snmp_ver>SNMP v1</snmp_ver><snmp_community>c0mm</snmp_community></device_params><port><identity>7</identity></port></doc>");
    builds("call ./h port_speed --ip h --port Gi0/1 --speed 1gbps",
        "<doc><func>port_speed</func><device_params><ip>h</ip></device_params><port><identity>Gi0/1</identity><speed>1gbps</speed></port></doc>");
    builds("call ./h port_duplex --ip h --port 2 --duplex half",
        "<doc><func>port_duplex</func><device_params><ip>h</ip></device_params><port><identity>2</identity><duplex>half</duplex></port></doc>");
    builds("call ./h set_vlan --ip h --port 2 --vlan 10 --vlan-name users",
        "<doc><func>set_vlan</func><device_params><ip>h</ip></device_params><port><identity>2</identity><vlan_id>10</vlan_id><vlan_name>users</vlan_name><is_trunk>off</is_trunk></port></doc>");
    builds("call ./h set_vlan --ip h --port 2 --vlan 10 --trunk --trunk-members 10,20 --pvlan 2 --mapped-vlan -1",
        "<doc><func>set_vlan</func><device_params><ip>h</ip></device_params><port><identity>2</identity><vlan_id>10</vlan_id><is_trunk>on</is_trunk><trunk_members>10,20</trunk_members><vlan_pvlan>2</vlan_pvlan><mapped_vlan>-1</mapped_vlan></port></doc>");
    builds("call ./h mac_list --ip h",
        "<doc><func>mac_list</func><device_params><ip>h</ip></device_params></doc>");
}

#[test]
#[rustfmt::skip]
fn bad_flags_are_refused_before_the_handler_runs() {
    refused("call ./h stats --ip h", "invalid value 'stats' for '<FUNC>'");
    refused("call ./h status", "--ip <IP>");
    refused("call ./h status --ip 10.0.0.300", "not a canonical IPv4 address");
    refused("call ./h status --ip h --snmp-ver v4", "expected SNMP v1, SNMP v2c or SNMP v3");
    refused("call ./h status --ip h --auth-level high", "expected noauth, authnopriv or authpriv");
    refused("call ./h status --ip h --auth-proto sha3", "expected md5, sha, sha224");
    refused("call ./h status --ip h --priv-proto 3des", "expected des, aes, aes192 or aes256");
    refused("call ./h port_speed --ip h --port 1 --speed 2gbps", "expected auto, auto10100");
    refused("call ./h port_duplex --ip h --port 1 --duplex quarter", "expected auto, half or full");
    refused("call ./h set_vlan --ip h --port 1 --vlan 4096", "a VLAN number from 1 to 4095");
    refused("call ./h set_vlan --ip h --port 1 --vlan 0", "a VLAN number from 1 to 4095");
    refused("call ./h set_vlan --ip h --port 1 --vlan 2 --trunk-members 10,x", "comma-separated VLAN numbers");
    refused("call ./h set_vlan --ip h --port 1 --vlan 2 --vlan-name bad\u{7f}name", "port/vlan_name");
    refused("call ./h status --ip h --timeout 0", "expected a number of seconds above 0");
    refused("call ./h status --ip h --community-env C --community-file /f", "cannot be used with");
    refused("call ./h status --ip h --pass-env P --pass-file /f", "cannot be used with");
    refused("call ./h status --ip h --community secret", "unexpected argument '--community'");
}

#[test]
#[rustfmt::skip]
fn which_secrets_are_needed() {
    needs("call ./h status --ip h", [false, false, false, false]);
    needs("call ./h status --ip h --snmp-ver v1", [true, false, false, false]);
    needs("call ./h status --ip h --snmp-ver v2c", [true, false, false, false]);
    needs("call ./h status --ip h --snmp-ver v3 --snmp-user u --auth-level noauth", [false, false, false, false]);
    needs("call ./h status --ip h --snmp-ver v3 --snmp-user u --auth-level authnopriv", [false, true, false, false]);
    needs("call ./h status --ip h --snmp-ver v3 --snmp-user u --auth-level authpriv", [false, true, true, false]);
    needs("call ./h status --ip h --user admin", [false, false, false, true]);
}

#[test]
fn redaction_hides_every_secret() {
    let args = parse(
        "call ./h status --ip h --snmp-ver v3 --snmp-user u --auth-level authpriv --user admin --community-env C",
    )
    .unwrap();
    let request = build(&args, secrets()).unwrap();
    let shown = request.redacted().to_xml();
    for secret in ["c0mm", "authphrase", "privphrase", ">pw<"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
        assert!(request.to_xml().contains(secret));
    }
    assert_eq!(shown.matches("***").count(), 4, "{shown}");
}
