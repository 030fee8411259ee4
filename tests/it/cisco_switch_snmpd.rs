//! `cisco-switch` against net-snmp's snmpd, the reference agent: `status` and `statistics` on
//! v1, v2c and every SNMPv3 user the test bed has; wrong credentials; and the port functions on a
//! real Linux interface, inside a network namespace of the test's own.
//!
//! SETs go to snmpd only inside that namespace: net-snmp running as root really takes
//! interfaces down, and the host's own must never be touched.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use dci_harness::shape;
use dci_protocol::{
    DeviceParams, Duplex, ErrorType, Func, PortParams, PortState, PortStatus, Request, Secret,
    SnmpVersion, Speed,
};
use e2e::agents::{IP, Snmpd, V3User};
use e2e::bin;

use crate::cisco_switch::{Target, call, fails, port};

/// The handler's `-info`, for the shape checks.
fn info() -> dci_protocol::Info {
    let out = e2e::run(&bin("cisco-switch"), &["-info"], None, &[]);
    dci_protocol::Info::parse(&e2e::stdout(&out)).expect("-info")
}

/// SNMPv3 as `user`, at its level, with its protocols and phrases.
pub(crate) fn v3(endpoint: &str, user: &V3User) -> Target {
    let mut device = DeviceParams {
        ip: Some(endpoint.parse().expect("an endpoint")),
        snmp_ver: Some(SnmpVersion::V3),
        snmp_user: Some(user.user.clone()),
        snmp_auth_level: Some(user.level),
        ..DeviceParams::default()
    };
    if let Some((proto, phrase)) = &user.auth {
        device.snmp_auth_proto = Some(*proto);
        device.snmp_auth_phrase = Some(Secret::new(phrase));
    }
    if let Some((proto, phrase)) = &user.privacy {
        device.snmp_priv_proto = Some(*proto);
        device.snmp_priv_phrase = Some(Secret::new(phrase));
    }
    Target {
        device,
        prefix: Vec::new(),
    }
}

/// What the kernel says about the host's interfaces: (ifindex, name, administratively up), from
/// /sys/class/net. net-snmp's ifIndex is the kernel's ifindex and its ifDescr the name.
fn host_interfaces() -> Vec<(String, String, PortStatus)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/sys/class/net").expect("read /sys/class/net") {
        let path = entry.expect("a directory entry").path();
        let read = |f: &str| std::fs::read_to_string(path.join(f)).map(|s| s.trim().to_owned());
        let (Ok(index), Ok(flags)) = (read("ifindex"), read("flags")) else {
            continue;
        };
        let flags = u32::from_str_radix(flags.trim_start_matches("0x"), 16).expect("hex flags");
        // IFF_UP.
        let admin = if flags & 1 == 1 {
            PortStatus::On
        } else {
            PortStatus::Off
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        found.push((index, name, admin));
    }
    found
}

/// What is wrong with a `status` or `statistics` answer from snmpd (empty when nothing): its
/// shape, and the host's interfaces among its ports as the kernel has them.
fn judge(
    info: &dci_protocol::Info,
    host: &[(String, String, PortStatus)],
    target: &Target,
    func: Func,
) -> Vec<String> {
    let a = call(target, func, None, &[]);
    let r = match &a.doc {
        dci_protocol::Document::Response(r) => r,
        dci_protocol::Document::Error(e) => {
            return vec![format!("{func}: error ({}): {}", e.error_type, e.text)];
        }
    };
    let request = Request {
        func,
        device: target.device.clone(),
        port: None,
        readings: dci_protocol::Readings::NONE,
        ignored: Vec::new(),
    };
    let mut wrong: Vec<String> = shape::check(info, &request, r)
        .iter()
        .map(|v| format!("{func}: {v}"))
        .collect();
    for (index, name, admin) in host {
        let port = r.ports.iter().find(|p| &p.identity == index);
        let ok = match func {
            Func::Status => port.is_some_and(|p| {
                p.description.as_deref() == Some(name.as_str()) && p.admin_status == Some(*admin)
            }),
            _ => port.is_some_and(|p| p.rxbytes.is_some() && p.txbytes.is_some()),
        };
        if !ok {
            wrong.push(format!(
                "{func}: the kernel's {name} (ifindex {index}, {admin}) is not right in {port:?}"
            ));
        }
    }
    if func == Func::Status && r.hostname.as_deref().is_none_or(str::is_empty) {
        wrong.push("status: no hostname".into());
    }
    wrong
}

#[test]
fn status_and_statistics_on_v1_v2c_and_every_v3_user() {
    let agent = Snmpd::start();
    let ep = agent.endpoint();
    let info = info();
    let host = host_interfaces();
    assert!(
        host.iter().any(|(i, name, _)| i == "1" && name == "lo"),
        "no lo in {host:?}"
    );
    let mut targets = vec![
        (
            "v1".to_owned(),
            Target::community(&ep, SnmpVersion::V1, Snmpd::RO_COMMUNITY),
        ),
        (
            "v2c".to_owned(),
            Target::community(&ep, SnmpVersion::V2c, Snmpd::RO_COMMUNITY),
        ),
    ];
    let users = Snmpd::v3_users();
    assert_eq!(users.len(), 31);
    for u in &users {
        targets.push((format!("v3 {}", u.user), v3(&ep, u)));
    }
    // Two at a time: the machine has two cores, and most of a call is waiting on snmpd.
    let failures: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = targets
            .chunks(targets.len().div_ceil(2))
            .map(|chunk| {
                let (info, host) = (&info, &host);
                s.spawn(move || {
                    let mut failed = Vec::new();
                    for (name, t) in chunk {
                        for func in [Func::Status, Func::Statistics] {
                            failed.extend(
                                judge(info, host, t, func)
                                    .into_iter()
                                    .map(|w| format!("{name}: {w}")),
                            );
                        }
                    }
                    failed
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} calls failed:\n{}\nsnmpd's log:\n{}",
        failures.len(),
        targets.len() * 2,
        failures.join("\n"),
        agent.log()
    );
}

#[test]
fn wrong_credentials_are_connection_errors() {
    let agent = Snmpd::start();
    let ep = agent.endpoint();
    let users = Snmpd::v3_users();
    let user = |name: &str| users.iter().find(|u| u.user == name).unwrap().clone();
    let mut wrong_auth = user("sha256-aes");
    wrong_auth.auth.as_mut().unwrap().1 = "not-the-auth-phrase".into();
    let mut wrong_priv = user("sha256-aes");
    wrong_priv.privacy.as_mut().unwrap().1 = "not-the-priv-phrase".into();
    let mut wrong_auth_nopriv = user("sha");
    wrong_auth_nopriv.auth.as_mut().unwrap().1 = "not-the-auth-phrase".into();
    let mut unknown = user("sha-aes");
    unknown.user = "nobody-here".into();
    let cases = [
        ("wrong auth phrase", v3(&ep, &wrong_auth)),
        ("wrong priv phrase", v3(&ep, &wrong_priv)),
        ("wrong auth phrase, authNoPriv", v3(&ep, &wrong_auth_nopriv)),
        ("unknown user", v3(&ep, &unknown)),
    ];
    let ep = ep.as_str();
    std::thread::scope(|s| {
        for (what, t) in &cases {
            s.spawn(move || {
                let e = fails(
                    t,
                    Func::Status,
                    None,
                    ErrorType::Connection,
                    "authentication",
                );
                assert!(
                    e.text
                        .starts_with(&format!("SNMPv3 authentication with {ep} failed")),
                    "{what}: {}",
                    e.text
                );
            });
        }
        // With the default limits, each is named from the agent's own report, in well under
        // a second (not after the tries).
        for (what, t, words) in [
            ("unknown user", &cases[3].1, "usmStatsUnknownUserNames"),
            ("wrong auth phrase", &cases[0].1, "usmStatsWrongDigests"),
            (
                "wrong auth phrase, authNoPriv",
                &cases[2].1,
                "usmStatsWrongDigests",
            ),
        ] {
            s.spawn(move || {
                let a = crate::cisco_switch::call(t, Func::Status, None, &[]);
                let e = a.error();
                assert_eq!(e.error_type, ErrorType::Connection, "{what}");
                assert!(e.text.contains(words), "{what}: {}", e.text);
                assert!(
                    a.elapsed < std::time::Duration::from_secs(1),
                    "{what}: {:?}",
                    a.elapsed
                );
            });
        }
        // A wrong privacy key draws no report from net-snmp (it fails to parse what it
        // decrypted and drops it); the same user and authentication key without privacy,
        // answered, name the privacy key after the tries.
        let wrong_priv = &cases[1].1;
        s.spawn(move || {
            let a = crate::cisco_switch::call(wrong_priv, Func::Status, None, &[]);
            let e = a.error();
            assert_eq!(e.error_type, ErrorType::Connection);
            assert!(
                e.text.contains("wrong privacy passphrase or protocol"),
                "{}",
                e.text
            );
        });
        s.spawn(move || {
            let t = Target::community(ep, SnmpVersion::V2c, "not-the-community");
            fails(
                &t,
                Func::Status,
                None,
                ErrorType::Connection,
                "no answer from",
            );
        });
    });
}

/// A network namespace of the test's own, `dcih-test-PID-N`, with `lo` up and one
/// Ethernet-like interface `d0`, up; deleted on drop (its interfaces go with it). `d0` is a
/// dummy where the kernel has the dummy driver, else one end of a veth pair (`d0` and
/// `d0-peer`, both in the namespace): this machine kind's kernel has no dummy driver.
#[derive(Debug)]
struct Netns {
    name: String,
}

impl Netns {
    #[track_caller]
    fn new() -> Netns {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "dcih-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let out = Command::new(IP)
            .args(["netns", "add", &name])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {IP}: {e} (install iproute2)"));
        assert!(
            out.status.success(),
            "`ip netns add {name}` failed ({}): {}\nThis test needs network namespaces (root and \
             iproute2): the port functions are tested against snmpd only inside one, never on \
             the host's interfaces. It does not skip.",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
        // From here on, a panic deletes the namespace.
        let ns = Netns { name };
        ns.ip(&["link", "set", "lo", "up"]);
        if ns.try_ip(&["link", "add", "d0", "type", "dummy"]).is_err() {
            ns.ip(&[
                "link", "add", "d0", "type", "veth", "peer", "name", "d0-peer",
            ]);
            ns.ip(&["link", "set", "d0-peer", "up"]);
        }
        ns.ip(&["link", "set", "d0", "up"]);
        ns
    }

    /// `ip -n NS ARGS…`: its stdout, or its stderr as the error.
    fn try_ip(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new(IP)
            .args(["-n", &self.name])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {IP}: {e}"));
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    #[track_caller]
    fn ip(&self, args: &[&str]) -> String {
        self.try_ip(args)
            .unwrap_or_else(|e| panic!("ip -n {} {}: {e}", self.name, args.join(" ")))
    }

    /// The kernel's ifindex of `dev` and whether it is administratively up, from
    /// `ip -o link show DEV`: `7: d0@d0-peer: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu …`.
    #[track_caller]
    fn link(&self, dev: &str) -> (u32, bool) {
        let line = self.ip(&["-o", "link", "show", dev]);
        let index = line
            .split(':')
            .next()
            .and_then(|i| i.trim().parse().ok())
            .unwrap_or_else(|| panic!("no ifindex in {line:?}"));
        let flags = line
            .split_once('<')
            .and_then(|(_, rest)| rest.split_once('>'))
            .map(|(flags, _)| flags)
            .unwrap_or_else(|| panic!("no flags in {line:?}"));
        (index, flags.split(',').any(|f| f == "UP"))
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new(IP)
            .args(["netns", "delete", &self.name])
            .output();
    }
}

/// The admin status `status` reports for port `identity`.
#[track_caller]
fn admin_in_status(target: &Target, identity: &str) -> Option<PortStatus> {
    let a = call(target, Func::Status, None, &[]);
    a.response()
        .ports
        .iter()
        .find(|p| p.identity == identity)
        .unwrap_or_else(|| panic!("no port {identity} in {:?}", a.response().ports))
        .admin_status
}

#[test]
fn port_functions_on_a_real_interface_in_a_private_network_namespace() {
    let ns = Netns::new();
    // Dropped before the namespace: the agent dies first.
    let agent = Snmpd::start_in_netns(&ns.name);
    let ep = agent.endpoint();
    let inside = |mut t: Target| {
        t.prefix = vec![
            IP.to_owned(),
            "netns".into(),
            "exec".into(),
            ns.name.clone(),
        ];
        t
    };
    let ro = inside(Target::community(
        &ep,
        SnmpVersion::V2c,
        Snmpd::RO_COMMUNITY,
    ));
    let rw_v2c = inside(Target::community(
        &ep,
        SnmpVersion::V2c,
        Snmpd::RW_COMMUNITY,
    ));
    let rw_v1 = inside(Target::community(&ep, SnmpVersion::V1, Snmpd::RW_COMMUNITY));
    let users = Snmpd::v3_users();
    let rw_v3 = inside(v3(
        &ep,
        users.iter().find(|u| u.user == "sha256-aes").unwrap(),
    ));

    // The namespace's interfaces, numbered by the kernel: lo is 1, d0 what ip says.
    let (d0, up) = ns.link("d0");
    assert!(up, "d0 starts up");
    let id = d0.to_string();
    let a = call(&ro, Func::Status, None, &[]);
    let ports = &a.response().ports;
    let described: Vec<(&str, Option<&str>)> = ports
        .iter()
        .map(|p| (p.identity.as_str(), p.description.as_deref()))
        .collect();
    assert!(described.contains(&("1", Some("lo"))), "{described:?}");
    assert!(
        described.contains(&(id.as_str(), Some("d0"))),
        "{described:?}"
    );
    assert!(
        ports.len() <= 3,
        "only the namespace's interfaces: {described:?}"
    );

    let answered = |s: PortStatus| {
        let mut p = PortState::new(id.clone());
        p.admin_status = Some(s);
        p
    };
    let steps = [
        (&rw_v2c, Func::PortOff, PortStatus::Off),
        (&rw_v2c, Func::PortOff, PortStatus::Off), // already off
        (&rw_v3, Func::PortOn, PortStatus::On),
        (&rw_v1, Func::PortOff, PortStatus::Off),
        (&rw_v1, Func::PortOn, PortStatus::On),
        (&rw_v3, Func::PortOn, PortStatus::On), // already on
    ];
    for (i, (t, func, want)) in steps.iter().enumerate() {
        let a = call(t, *func, Some(port(&id)), &[]);
        assert_eq!(
            a.port(),
            &answered(*want),
            "step {i}: {func} {id}\n{}",
            a.stderr
        );
        // The kernel agrees: a real cross-check, not the agent's word.
        assert_eq!(
            ns.link("d0").1,
            *want == PortStatus::On,
            "step {i}: ip link after {func}"
        );
        assert_eq!(
            admin_in_status(&ro, &id),
            Some(*want),
            "step {i}: status after {func}"
        );
    }

    // A read-only community: snmpd refuses the SET, and the handler says so.
    let e = fails(
        &ro,
        Func::PortOff,
        Some(port(&id)),
        ErrorType::UnexpectedData,
        "noAccess",
    );
    assert_eq!(
        e.text,
        format!("{ep} answered noAccess for 1.3.6.1.2.1.2.2.1.7.{id}")
    );
    assert!(ns.link("d0").1, "d0 still up after a refused SET");

    // snmpd has no CISCO-STACK-MIB.
    let no_table = format!("{ep} has no CISCO-STACK-MIB portTable");
    fails(
        &rw_v2c,
        Func::PortSpeed,
        Some(PortParams {
            speed: Some(Speed::Gbps1),
            ..port(&id)
        }),
        ErrorType::UnexpectedData,
        &no_table,
    );
    fails(
        &rw_v2c,
        Func::PortDuplex,
        Some(PortParams {
            duplex: Some(Duplex::Full),
            ..port(&id)
        }),
        ErrorType::UnexpectedData,
        &no_table,
    );
    drop(agent);
}
