//! `cisco-switch` end to end: the real executable against snmpsim serving switch recordings
//! generated from the MIBs (`e2e::fixtures`), on SNMP v1 and v2c, every answer compared with the
//! generator's own model. (snmpsim's v3 needs a context name DCImanager never sends; v3 is
//! covered against net-snmp's snmpd in `cisco_switch_snmpd`.)
//!
//! Read-only tests share one snmpsim serving every recording under its own community (start-up
//! costs about 0.35 s); it lives while any of them runs. Tests that SET have an snmpsim of their
//! own: snmpsim's write cache is keyed by OID alone, so a SET under one community shows under
//! every other.

use std::collections::BTreeMap;
use std::net::UdpSocket;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use dci_protocol::PortStatus::{Off, On};
use dci_protocol::{
    DeviceParams, DeviceType, Document, Duplex, ErrorDoc, ErrorType, Func, Info, PortParams,
    PortState, PortStatus, Request, Requirement, Response, Secret, SnmpVersion, Speed,
};
use e2e::agents::Snmpsim;
use e2e::fixtures::{Switch, SwitchRecording};
use e2e::{bin, run, stderr, stdout};

/// Per-request timeout and retries for calls expected to fail: two tries of 0.3 s.
pub(crate) const FAST_FAIL: &[(&str, &str)] = &[("DCIH_TIMEOUT", "0.3"), ("DCIH_RETRIES", "1")];

/// "Well inside the deadline" for a call that must fail after two tries of 0.3 s: 0.6 s and the
/// process (SNMPv3 key derivation takes up to 0.35 s in a debug build), with room for a loaded
/// machine, and below the 3 s the default limits (six tries of 0.5 s) would take.
pub(crate) const FAIL_WITHIN: Duration = Duration::from_secs(2);

/// The recordings of the shared snmpsim, by community.
const SW48: &str = "sw48";
const STACK: &str = "stack";
const MODERN: &str = "modern";
const OLD: &str = "old";
const BIG: &str = "sw384";
const READ_ONLY: &[&str] = &[SW48, STACK, MODERN, OLD, BIG];

/// The switch behind each community: generated again wherever a test needs the model.
fn model(community: &str) -> Switch {
    match community {
        // A Catalyst with 48 ports: portTable, ifXTable, dot3, Vlan1, Null0, Port-channel1.
        SW48 => SwitchRecording::new(48).hostname("core-sw48"),
        // A stack of three 48-port members: port n exists on each module.
        STACK => SwitchRecording::new(144).modules(3).hostname("stack3"),
        // IOS-XE: no CISCO-STACK-MIB portTable.
        MODERN => SwitchRecording::new(48)
            .port_table(false)
            .hostname("modern48"),
        // An old v1-only device: no ifXTable, no portTable.
        OLD => SwitchRecording::new(24)
            .if_x_table(false)
            .port_table(false)
            .hostname("old24"),
        BIG => SwitchRecording::new(384).modules(8).hostname("stack384"),
        other => panic!("no recording '{other}'"),
    }
    .build()
}

/// A folder for one test's recordings, removed on drop.
pub(crate) fn data_dir(name: &str) -> e2e::Scratch {
    e2e::Scratch::new(&format!("cisco-{name}"))
}

/// snmpsim serving `recordings` (community → switch), started for one test.
fn own_snmpsim(name: &str, recordings: &[(&str, &Switch)]) -> Snmpsim {
    let data = data_dir(name);
    for (community, switch) in recordings {
        switch.recording.write(data.dir(), community);
    }
    Snmpsim::start(data.dir())
}

/// The snmpsim every read-only test shares: started by the first that needs it, stopped when
/// the last one running lets go of it (a static would never be dropped, and the agent would
/// outlive the tests).
fn shared() -> Arc<Snmpsim> {
    static SHARED: Mutex<Weak<Snmpsim>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(sim) = slot.upgrade() {
        return sim;
    }
    let data = data_dir("read-only");
    for community in READ_ONLY {
        model(community).recording.write(data.dir(), community);
    }
    let sim = Arc::new(Snmpsim::start(data.dir()));
    *slot = Arc::downgrade(&sim);
    sim
}

/// Where and how a handler reaches a device.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub device: DeviceParams,
    /// A command prefix (`ip netns exec NS`) to run the handler with, if any.
    pub prefix: Vec<String>,
}

impl Target {
    /// SNMP v1 or v2c with a community.
    pub(crate) fn community(endpoint: &str, version: SnmpVersion, community: &str) -> Target {
        Target {
            device: DeviceParams {
                ip: Some(endpoint.parse().expect("an endpoint")),
                snmp_ver: Some(version),
                snmp_community: Some(Secret::new(community)),
                ..DeviceParams::default()
            },
            prefix: Vec::new(),
        }
    }

    fn sim(sim: &Snmpsim, version: SnmpVersion, community: &str) -> Target {
        Target::community(&sim.endpoint(), version, community)
    }
}

/// What the handler did with one request.
#[derive(Debug)]
pub(crate) struct Answer {
    pub doc: Document,
    pub stderr: String,
    pub elapsed: Duration,
    pub code: Option<i32>,
    pub(crate) what: String,
}

impl Answer {
    /// The response; fails the test on an error document.
    #[track_caller]
    pub(crate) fn response(&self) -> &Response {
        match &self.doc {
            Document::Response(r) => {
                assert_eq!(self.code, Some(0), "{}: a response exits 0", self.what);
                r
            }
            Document::Error(e) => panic!(
                "{}: error ({}): {}\nstderr:\n{}",
                self.what, e.error_type, e.text, self.stderr
            ),
        }
    }

    /// The error document; fails the test on a response.
    #[track_caller]
    pub(crate) fn error(&self) -> &ErrorDoc {
        match &self.doc {
            Document::Error(e) => {
                assert_eq!(
                    self.code,
                    Some(1),
                    "{}: an error document exits 1",
                    self.what
                );
                e
            }
            Document::Response(r) => panic!("{}: expected an error, got {r:?}", self.what),
        }
    }

    /// The one port a port function answers with.
    #[track_caller]
    pub(crate) fn port(&self) -> &PortState {
        let r = self.response();
        assert_eq!(r.ports.len(), 1, "{}: {r:?}", self.what);
        &r.ports[0]
    }

    /// The requests the SNMP session sent, from its "snmp session cost" debug line (run with
    /// `RUST_LOG=snmp_core=debug`).
    #[track_caller]
    pub(crate) fn requests(&self) -> u64 {
        let line = self
            .stderr
            .lines()
            .find(|l| l.contains("snmp session cost"))
            .unwrap_or_else(|| panic!("{}: no session cost line in\n{}", self.what, self.stderr));
        line.split_whitespace()
            .find_map(|w| w.strip_prefix("requests="))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no requests=N in {line}"))
    }
}

/// Runs the handler with one request, as DCImanager does.
pub(crate) fn call(
    target: &Target,
    func: Func,
    port: Option<PortParams>,
    env: &[(&str, &str)],
) -> Answer {
    call_bin("cisco-switch", target, func, port, env)
}

/// Runs the handler executable `name` with one request, as DCImanager does.
pub(crate) fn call_bin(
    name: &str,
    target: &Target,
    func: Func,
    port: Option<PortParams>,
    env: &[(&str, &str)],
) -> Answer {
    let request = Request {
        func,
        device: target.device.clone(),
        port,
        readings: dci_protocol::Readings::NONE,
        ignored: Vec::new(),
    };
    call_request(name, target, &request, env)
}

/// Runs handler `name` (behind `target`'s prefix) with `request`, as DCImanager does.
pub(crate) fn call_request(
    name: &str,
    target: &Target,
    request: &Request,
    env: &[(&str, &str)],
) -> Answer {
    let func = request.func;
    let handler = bin(name);
    let (exe, args): (PathBuf, Vec<String>) = match target.prefix.split_first() {
        None => (handler, Vec::new()),
        Some((first, rest)) => {
            let mut args = rest.to_vec();
            args.push(handler.to_string_lossy().into_owned());
            (PathBuf::from(first), args)
        }
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let out = run(&exe, &args, Some(request.to_xml().as_bytes()), env);
    let elapsed = started.elapsed();
    let what = format!(
        "{func} {}",
        request
            .port
            .as_ref()
            .and_then(|p| p.identity.as_deref())
            .unwrap_or("")
    );
    let doc = Document::parse(&stdout(&out)).unwrap_or_else(|e| {
        panic!(
            "{what}: not a protocol document ({e}):\n{}\nstderr:\n{}",
            stdout(&out),
            stderr(&out)
        )
    });
    Answer {
        doc,
        stderr: stderr(&out),
        elapsed,
        code: out.status.code(),
        what,
    }
}

/// `dci-harness check` of handler `name` against the recording served at `endpoint` under
/// `community` on v2c (writing to `port` when given): the exit code and the report.
pub(crate) fn harness_check(
    name: &str,
    endpoint: &str,
    community: &str,
    port: Option<&str>,
) -> (Option<i32>, String) {
    let handler = bin(name);
    let handler = handler.to_string_lossy();
    let mut args = vec![
        "check",
        handler.as_ref(),
        "--ip",
        endpoint,
        "--snmp-ver",
        "v2c",
        "--community-env",
        "COMM",
    ];
    if let Some(p) = port {
        args.extend(["--port", p]);
    }
    let out = run(&bin("dci-harness"), &args, None, &[("COMM", community)]);
    (out.status.code(), stdout(&out) + &stderr(&out))
}

/// How many steps of a `dci-harness check` report passed whose line names `step`.
pub(crate) fn passed(report: &str, step: &str) -> usize {
    report
        .lines()
        .filter(|l| l.starts_with("pass") && l.contains(step))
        .count()
}

/// A `<port>` naming `identity`.
pub(crate) fn port(identity: &str) -> PortParams {
    PortParams {
        identity: Some(identity.to_owned()),
        ..PortParams::default()
    }
}

/// Compares ports with the model, port by port, and lists every difference.
#[track_caller]
pub(crate) fn same_ports(what: &str, got: &[PortState], want: &[PortState]) {
    let got_by: BTreeMap<&str, &PortState> = got.iter().map(|p| (p.identity.as_str(), p)).collect();
    let mut diffs = Vec::new();
    for w in want {
        match got_by.get(w.identity.as_str()) {
            None => diffs.push(format!("port {} missing", w.identity)),
            Some(g) if *g != w => {
                diffs.push(format!("port {}:\n  got  {g:?}\n  want {w:?}", w.identity))
            }
            Some(_) => {}
        }
    }
    let wanted: Vec<&str> = want.iter().map(|p| p.identity.as_str()).collect();
    for g in got {
        if !wanted.contains(&g.identity.as_str()) {
            diffs.push(format!("port {} not in the recording", g.identity));
        }
    }
    assert!(
        diffs.is_empty(),
        "{what}: {} differences from the model:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    let order: Vec<&str> = got.iter().map(|p| p.identity.as_str()).collect();
    assert_eq!(order, wanted, "{what}: ports in ifIndex order");
}

/// One port of a status answer, against values worked out by hand from the generator's pattern
/// (a second, literal check beside the model). `want` is "ADMIN OPER SPEED DUPLEX" in the
/// protocol's spelling, `-` for an element that must be absent: "on off 1gbps -".
#[track_caller]
fn check_port(ports: &[PortState], identity: u32, description: &str, want: &str) {
    fn opt<T: std::str::FromStr>(s: &str) -> Option<T> {
        (s != "-").then(|| s.parse().ok().expect("a protocol value"))
    }
    let [admin, oper, speed, duplex] = want.split(' ').collect::<Vec<_>>()[..] else {
        panic!("not ADMIN OPER SPEED DUPLEX: {want:?}")
    };
    let p = ports
        .iter()
        .find(|p| p.identity == identity.to_string())
        .unwrap_or_else(|| panic!("no port {identity}"));
    assert_eq!(
        (
            p.description.as_deref(),
            p.admin_status,
            p.oper_status,
            p.speed,
            p.duplex
        ),
        (
            Some(description),
            opt::<PortStatus>(admin),
            opt::<PortStatus>(oper),
            opt::<Speed>(speed),
            opt::<Duplex>(duplex)
        ),
        "port {identity}: want {want}"
    );
}

#[test]
fn info_declares_a_switch_with_snmp_and_the_port_functions() {
    let started = Instant::now();
    let out = run(&bin("cisco-switch"), &["-info"], None, &[]);
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let info = Info::parse(&stdout(&out)).expect("a valid -info document");
    assert_eq!(info.device_type, DeviceType::Switch);
    assert_eq!(
        info.requirements.as_ref(),
        [
            Requirement::Snmpv1,
            Requirement::Snmpv2c,
            Requirement::Snmpv3
        ]
    );
    assert_eq!(
        info.funcs.as_ref(),
        [
            Func::Status,
            Func::Statistics,
            Func::PortOn,
            Func::PortOff,
            Func::PortSpeed,
            Func::PortDuplex,
            Func::SetVlan,
            Func::MacList
        ]
    );
    assert!(elapsed < Duration::from_secs(2), "-info took {elapsed:?}");
}

#[test]
fn status_of_a_48_port_switch_matches_the_model_on_v1_and_v2c() {
    let sim = shared();
    let sw = model(SW48);
    for version in [SnmpVersion::V1, SnmpVersion::V2c] {
        let a = call(&Target::sim(&sim, version, SW48), Func::Status, None, &[]);
        let r = a.response();
        assert_eq!(r.hostname.as_deref(), Some("core-sw48"), "{version}");
        assert!(r.params.is_empty());
        same_ports(
            &format!("status {version}"),
            &r.ports,
            &sw.expected_status(),
        );
        let p = &r.ports;
        assert_eq!(p.len(), 48 + 3);
        // Worked out from the pattern: port k (from 0) is ifIndex 10101 + k; speed by k % 8
        // (auto, 1g, 100m, auto10100, 10m, 10g, 155m, auto), duplex by k % 5 (full, auto, half,
        // full, disagree).
        check_port(p, 10101, "GigabitEthernet1/0/1", "on on auto full");
        check_port(p, 10102, "GigabitEthernet1/0/2", "on on 1gbps auto");
        check_port(p, 10103, "GigabitEthernet1/0/3", "on on 100mbps half");
        check_port(p, 10104, "GigabitEthernet1/0/4", "on off auto10100 full");
        check_port(p, 10105, "GigabitEthernet1/0/5", "on on 10mbps -");
        check_port(p, 10106, "GigabitEthernet1/0/6", "off off 10gbps full");
        check_port(p, 10107, "GigabitEthernet1/0/7", "on on - auto");
        check_port(p, 10108, "GigabitEthernet1/0/8", "on unknown auto half");
        check_port(p, 10109, "GigabitEthernet1/0/9", "on unknown auto full");
        check_port(p, 10120, "GigabitEthernet1/0/20", "on unknown auto10100 -");
        check_port(
            p,
            10124,
            "GigabitEthernet1/0/24",
            "unknown unknown auto full",
        );
        // No portTable row: running speed from ifHighSpeed / ifSpeed, duplex from dot3.
        check_port(p, 1, "Vlan1", "on on 1gbps -");
        check_port(p, 2, "Null0", "on on - -");
        check_port(p, 5001, "Port-channel1", "on unknown - full");
    }
}

#[test]
fn status_of_a_stack_maps_every_port_of_every_module() {
    let sim = shared();
    let sw = model(STACK);
    let a = call(
        &Target::sim(&sim, SnmpVersion::V2c, STACK),
        Func::Status,
        None,
        &[],
    );
    let r = a.response();
    assert_eq!(r.hostname.as_deref(), Some("stack3"));
    same_ports("stack status", &r.ports, &sw.expected_status());
    let p = &r.ports;
    assert_eq!(p.len(), 144 + 3);
    // Port 5 exists on every module; each must carry its own portTable row (k = 4, 52, 100).
    check_port(p, 10105, "GigabitEthernet1/0/5", "on on 10mbps -");
    check_port(p, 20105, "GigabitEthernet2/0/5", "on on 10mbps half");
    check_port(p, 30105, "GigabitEthernet3/0/5", "on on 10mbps full");
    // k = 48, 49, 50, 95, 143.
    check_port(p, 20101, "GigabitEthernet2/0/1", "on unknown auto full");
    check_port(p, 20102, "GigabitEthernet2/0/2", "on on 1gbps -");
    check_port(p, 20103, "GigabitEthernet2/0/3", "on on 100mbps full");
    check_port(
        p,
        20148,
        "GigabitEthernet2/0/48",
        "unknown unknown auto full",
    );
    check_port(
        p,
        30148,
        "GigabitEthernet3/0/48",
        "unknown unknown auto full",
    );
}

#[test]
fn status_without_port_table_reports_running_speed_and_duplex() {
    let sim = shared();
    let sw = model(MODERN);
    let a = call(
        &Target::sim(&sim, SnmpVersion::V2c, MODERN),
        Func::Status,
        None,
        &[],
    );
    let r = a.response();
    assert_eq!(r.hostname.as_deref(), Some("modern48"));
    same_ports("modern status", &r.ports, &sw.expected_status());
    let p = &r.ports;
    // ifHighSpeed by k % 8: 1000, 1000, 100, 100, 10, 10000, 155, 25000; dot3 by k % 5: full,
    // full, half, full, unknown.
    check_port(p, 10101, "GigabitEthernet1/0/1", "on on 1gbps full");
    check_port(p, 10102, "GigabitEthernet1/0/2", "on on 1gbps full");
    check_port(p, 10103, "GigabitEthernet1/0/3", "on on 100mbps half");
    check_port(p, 10105, "GigabitEthernet1/0/5", "on on 10mbps -");
    check_port(p, 10106, "GigabitEthernet1/0/6", "off off 10gbps full");
    check_port(p, 10107, "GigabitEthernet1/0/7", "on on - full");
    check_port(p, 10108, "GigabitEthernet1/0/8", "on unknown - half");
}

#[test]
fn an_old_v1_switch_without_if_x_table() {
    let sim = shared();
    let sw = model(OLD);
    let v1 = Target::sim(&sim, SnmpVersion::V1, OLD);
    let a = call(&v1, Func::Status, None, &[]);
    let r = a.response();
    assert_eq!(r.hostname.as_deref(), Some("old24"));
    same_ports("old status", &r.ports, &sw.expected_status());
    // Speed from ifSpeed alone: 10 Gbit/s does not fit in it (4294967295), 155 Mbit/s has no
    // protocol value.
    let p = &r.ports;
    check_port(p, 10102, "GigabitEthernet1/0/2", "on on 1gbps full");
    check_port(p, 10105, "GigabitEthernet1/0/5", "on on 10mbps -");
    check_port(p, 10106, "GigabitEthernet1/0/6", "off off - full");
    check_port(p, 10107, "GigabitEthernet1/0/7", "on on - full");
    // Statistics: the 32-bit counters, packets = unicast + non-unicast, on v1 and on v2c (no
    // ifHC columns to read).
    for version in [SnmpVersion::V1, SnmpVersion::V2c] {
        let a = call(
            &Target::sim(&sim, version, OLD),
            Func::Statistics,
            None,
            &[],
        );
        same_ports(
            &format!("old statistics {version}"),
            &a.response().ports,
            &sw.expected_statistics(true),
        );
    }
    let i = sw.interface(10101);
    let [in_octets, in_ucast, in_nucast, ..] = i.counters.low();
    let a = call(&v1, Func::Statistics, None, &[]);
    let got = a
        .response()
        .ports
        .iter()
        .find(|p| p.identity == "10101")
        .unwrap();
    assert_eq!(got.rxbytes, Some(u64::from(in_octets)));
    assert_eq!(
        got.rxpackets,
        Some(u64::from(in_ucast) + u64::from(in_nucast))
    );
}

#[test]
fn statistics_reads_64_bit_counters_on_v2c_and_32_bit_on_v1() {
    let sim = shared();
    let sw = model(SW48);
    let a = call(
        &Target::sim(&sim, SnmpVersion::V2c, SW48),
        Func::Statistics,
        None,
        &[],
    );
    let ports = &a.response().ports;
    same_ports("statistics v2c", ports, &sw.expected_statistics(false));
    // Literal: port 10102 is interface k = 11 of the counter pattern.
    let got = ports.iter().find(|p| p.identity == "10102").unwrap();
    let g = 1u64 << 32;
    assert_eq!(got.rxbytes, Some(4 * g + 11 * 1_000_003 + 11));
    assert_eq!(got.txbytes, Some(4 * g + 11 * 999_983 + 7));
    assert_eq!(
        got.rxpackets,
        Some((2 * g + 11 * 7_919 + 5) + (11 * 31 + 2) + (11 * 17 + 3))
    );
    assert!(
        ports
            .iter()
            .filter(|p| p.rxbytes > Some(u32::MAX.into()))
            .count()
            > 30
    );
    // Null0 has no ifXTable row: its 32-bit counters.
    let null0 = ports.iter().find(|p| p.identity == "2").unwrap();
    let low = sw.interface(2).counters.low();
    assert_eq!(null0.rxbytes, Some(u64::from(low[0])));

    let a = call(
        &Target::sim(&sim, SnmpVersion::V1, SW48),
        Func::Statistics,
        None,
        &[],
    );
    same_ports(
        "statistics v1",
        &a.response().ports,
        &sw.expected_statistics(true),
    );
}

/// What a `status` on v2c reads, as the handler plans it: the walk of sysName, ifDescr,
/// ifAdminStatus, ifOperStatus, portIfIndex, portAdminSpeed, portDuplex (each column's cells and
/// one value past its end, the agent's answer that shows the column is over), then the running
/// speed and duplex (ifSpeed, ifHighSpeed, dot3StatsDuplexStatus) of the interfaces portTable
/// does not answer for: by one GET of three objects each for up to 10 interfaces, else a walk.
struct StatusPlan {
    /// Values of the first walk.
    walk: usize,
    /// Interfaces whose running values are read.
    running: usize,
    /// Values of the second part: the GET's, or the walk's.
    second: usize,
    /// Whether the second part is one GET.
    by_get: bool,
}

fn status_plan(sw: &Switch) -> StatusPlan {
    let interfaces = sw.interfaces.len();
    let port_rows = sw.interfaces.iter().filter(|i| i.stack.is_some()).count();
    let walk = 1 + 3 * (interfaces + 1) + 3 * (port_rows + 1);
    let running = sw
        .interfaces
        .iter()
        .filter(|i| i.stack.is_none() || i.port_admin_speed.is_none() || i.port_duplex.is_none())
        .count();
    let high_speed = sw
        .interfaces
        .iter()
        .filter(|i| i.high_speed.is_some())
        .count();
    let dot3 = sw
        .interfaces
        .iter()
        .filter(|i| i.dot3_duplex.is_some())
        .count();
    let by_get = running <= 10;
    let second = if by_get {
        3 * running
    } else {
        (interfaces + 1) + (high_speed + 1) + (dot3 + 1)
    };
    StatusPlan {
        walk,
        running,
        second,
        by_get,
    }
}

/// The longest column of a `status` walk, plus the value past its end: on v1 (one GETNEXT per
/// row) the requests it must take.
fn status_rows(sw: &Switch) -> usize {
    sw.interfaces.len() + 1
}

#[test]
fn status_costs_no_more_requests_than_the_answer_size_forces() {
    let sim = shared();
    let debug = [("RUST_LOG", "snmp_core=debug")];
    let mut report = Vec::new();
    for (community, ports) in [(SW48, 48), (BIG, 384)] {
        let sw = model(community);
        let plan = status_plan(&sw);
        let values = plan.walk + plan.second;
        // snmpsim answers at most 64 values, whole rows of the columns still walked: 60 of
        // them (6 columns × 10 rows) while all six run, one partly filled request at the end of
        // the shorter ones; then one GET, or a 3-column walk likewise (63 a request).
        let rows = |values: usize, per: usize| values.div_ceil(per) + 1;
        // VLANs: the three Cisco VLAN columns travel in the first answer (which then holds
        // fewer ifTable rows) and end there on a switch without them, and one walk finds no
        // Q-BRIDGE table either: two requests more than without VLANs, the bar.
        let vlans = 2;
        let bound = rows(plan.walk, 60)
            + vlans
            + if plan.by_get {
                usize::from(plan.running > 0)
            } else {
                rows(plan.second, 63)
            };
        let a = call(
            &Target::sim(&sim, SnmpVersion::V2c, community),
            Func::Status,
            None,
            &debug,
        );
        let r = a.response();
        assert!(
            r.ports.len() >= ports,
            "{community}: {} ports",
            r.ports.len()
        );
        same_ports(
            &format!("{community} status"),
            &r.ports,
            &sw.expected_status(),
        );
        let n = a.requests();
        report.push(format!(
            "{community} v2c: {n} requests for {values} values ({} interfaces' running values by {}), {:?}",
            plan.running,
            if plan.by_get { "GET" } else { "walk" },
            a.elapsed
        ));
        // Each answer carries at most 64 values: fewer requests than that cannot be.
        let floor = values.div_ceil(Snmpsim::MAX_VARBINDS);
        assert!(
            (floor..=bound).contains(&(n as usize)),
            "{community} v2c: {n} requests for {values} values (from {floor} to {bound})"
        );
        let a = call(
            &Target::sim(&sim, SnmpVersion::V1, community),
            Func::Status,
            None,
            &debug,
        );
        same_ports(
            &format!("{community} status v1"),
            &a.response().ports,
            &sw.expected_status(),
        );
        let n = a.requests();
        report.push(format!("{community} v1: {n} requests, {:?}", a.elapsed));
        // One GETNEXT per row of the longest column and the one that ends it, plus one sent
        // again when the last column of the MIB ends in v1's noSuchName.
        // And the VLAN columns: on v1 every column that runs past the last object of the MIB
        // ends in a noSuchName that costs the request again (the three Cisco VLAN columns lie
        // past this recording's end), and one walk finds no Q-BRIDGE table.
        let rows = status_rows(&sw);
        assert!(
            (rows + 1..=rows + 2 + 3 + 1).contains(&(n as usize)),
            "{community} v1: {n} requests for {rows} rows"
        );
    }
    show(&report);
}

/// Measurements for people, shown with `--nocapture`.
#[allow(clippy::print_stderr)]
fn show(lines: &[String]) {
    for l in lines {
        eprintln!("{l}");
    }
}

/// The model's status with one port changed, as a SET should leave it.
fn with_port(
    mut ports: Vec<PortState>,
    identity: u32,
    change: impl Fn(&mut PortState),
) -> Vec<PortState> {
    let p = ports
        .iter_mut()
        .find(|p| p.identity == identity.to_string())
        .expect("a port of the model");
    change(p);
    ports
}

/// A port function's answer: the identity and one read-back field.
fn answered(identity: u32, set: impl Fn(&mut PortState)) -> PortState {
    let mut p = PortState::new(identity.to_string());
    set(&mut p);
    p
}

#[test]
fn port_off_and_port_on_read_back_on_v2c_and_v1() {
    let sw = SwitchRecording::new(8).hostname("writes").build();
    let sim = own_snmpsim("onoff", &[("writes", &sw)]);
    let mut want = sw.expected_status();
    for (version, identity) in [(SnmpVersion::V2c, 10101), (SnmpVersion::V1, 10103)] {
        let t = Target::sim(&sim, version, "writes");
        let id = identity.to_string();
        let admin = |s: PortStatus| answered(identity, move |p| p.admin_status = Some(s));
        assert_eq!(sw.expected_port(identity).admin_status, Some(On));
        // Off, then off again (already there: no SET, the same answer).
        for _ in 0..2 {
            let a = call(&t, Func::PortOff, Some(port(&id)), &[]);
            assert_eq!(a.port(), &admin(Off), "{version} port_off {id}");
        }
        want = with_port(want, identity, |p| p.admin_status = Some(Off));
        let a = call(&t, Func::Status, None, &[]);
        same_ports(
            &format!("{version} status after port_off {id}"),
            &a.response().ports,
            &want,
        );
        for _ in 0..2 {
            let a = call(&t, Func::PortOn, Some(port(&id)), &[]);
            assert_eq!(a.port(), &admin(On), "{version} port_on {id}");
        }
        want = with_port(want, identity, |p| p.admin_status = Some(On));
        let a = call(&t, Func::Status, None, &[]);
        same_ports(
            &format!("{version} status after port_on {id}"),
            &a.response().ports,
            &want,
        );
    }
    // A port the recording has down (k = 5) comes up, and goes down again.
    let t = Target::sim(&sim, SnmpVersion::V2c, "writes");
    assert_eq!(sw.expected_port(10106).admin_status, Some(Off));
    let a = call(&t, Func::PortOn, Some(port("10106")), &[]);
    assert_eq!(a.port(), &answered(10106, |p| p.admin_status = Some(On)));
    let a = call(&t, Func::Status, None, &[]);
    same_ports(
        "status after port_on 10106",
        &a.response().ports,
        &with_port(want.clone(), 10106, |p| p.admin_status = Some(On)),
    );
    let a = call(&t, Func::PortOff, Some(port("10106")), &[]);
    assert_eq!(a.port(), &answered(10106, |p| p.admin_status = Some(Off)));
}

#[test]
fn port_speed_and_duplex_on_a_stack_member() {
    // Three modules of four ports: ifIndex 20102 is port 2 of module 2 (k = 5: s10G, full),
    // and port 2 of modules 1 and 3 (10102, 30102) must not move.
    let sw = SwitchRecording::new(12)
        .modules(3)
        .hostname("stack-writes")
        .build();
    let sim = own_snmpsim("speed", &[("stack", &sw)]);
    let t = Target::sim(&sim, SnmpVersion::V2c, "stack");
    let mut want = sw.expected_status();
    assert_eq!(
        (
            sw.expected_port(20102).speed,
            sw.expected_port(20102).duplex
        ),
        (Some(Speed::Gbps10), Some(Duplex::Full))
    );
    let speed = |s: Speed| PortParams {
        speed: Some(s),
        ..port("20102")
    };
    let duplex = |d: Duplex| PortParams {
        duplex: Some(d),
        ..port("20102")
    };

    let a = call(&t, Func::PortSpeed, Some(speed(Speed::Mbps100)), &[]);
    assert_eq!(
        a.port(),
        &answered(20102, |p| p.speed = Some(Speed::Mbps100))
    );
    want = with_port(want, 20102, |p| p.speed = Some(Speed::Mbps100));
    let a = call(&t, Func::Status, None, &[]);
    same_ports("status after port_speed", &a.response().ports, &want);

    let a = call(&t, Func::PortDuplex, Some(duplex(Duplex::Half)), &[]);
    assert_eq!(
        a.port(),
        &answered(20102, |p| p.duplex = Some(Duplex::Half))
    );
    want = with_port(want, 20102, |p| p.duplex = Some(Duplex::Half));
    let a = call(&t, Func::Status, None, &[]);
    same_ports("status after port_duplex", &a.response().ports, &want);

    // Every protocol speed goes through and reads back; the last one stays.
    for &s in Speed::ALL {
        let a = call(&t, Func::PortSpeed, Some(speed(s)), &[]);
        assert_eq!(
            a.port(),
            &answered(20102, |p| p.speed = Some(s)),
            "port_speed {s}"
        );
    }
    // On v1 too.
    let v1 = Target::sim(&sim, SnmpVersion::V1, "stack");
    let a = call(&v1, Func::PortDuplex, Some(duplex(Duplex::Full)), &[]);
    assert_eq!(
        a.port(),
        &answered(20102, |p| p.duplex = Some(Duplex::Full))
    );
    let last = *Speed::ALL.last().unwrap();
    want = with_port(want, 20102, |p| {
        p.speed = Some(last);
        p.duplex = Some(Duplex::Full);
    });
    let a = call(&v1, Func::Status, None, &[]);
    same_ports("status after the speeds", &a.response().ports, &want);

    // CISCO-STACK-MIB makes portDuplex auto(4) read-only.
    let a = call(&t, Func::PortDuplex, Some(duplex(Duplex::Auto)), &[]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("auto") && e.text.contains("read-only"),
        "{}",
        e.text
    );
    // Vlan1 has no portTable row.
    let a = call(
        &t,
        Func::PortSpeed,
        Some(PortParams {
            speed: Some(Speed::Gbps1),
            ..port("1")
        }),
        &[],
    );
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert_eq!(
        e.text,
        format!(
            "{}: no CISCO-STACK-MIB portTable row has portIfIndex 1, so its speed cannot be set",
            sim.endpoint()
        )
    );
    // Nothing else moved.
    let a = call(&t, Func::Status, None, &[]);
    same_ports("status at the end", &a.response().ports, &want);
}

/// Calls `func` and expects an error document of `error_type` whose text contains `text`,
/// well inside the deadline.
#[track_caller]
pub(crate) fn fails(
    target: &Target,
    func: Func,
    port: Option<PortParams>,
    error_type: ErrorType,
    text: &str,
) -> ErrorDoc {
    let a = call(target, func, port, FAST_FAIL);
    let e = a.error().clone();
    assert_eq!(
        (e.error_type, e.text.contains(text)),
        (error_type, true),
        "{}: got ({}) {:?}, want ({error_type}) containing {text:?}",
        a.what,
        e.error_type,
        e.text
    );
    assert!(a.elapsed < FAIL_WITHIN, "{}: took {:?}", a.what, a.elapsed);
    e
}

#[test]
fn speed_and_duplex_without_port_table_are_refused_clearly() {
    let sim = shared();
    let t = Target::sim(&sim, SnmpVersion::V2c, MODERN);
    let no_table = format!(
        "{} has no CISCO-STACK-MIB portTable (as most IOS and IOS-XE switches), so its port",
        sim.endpoint()
    );
    let e = fails(
        &t,
        Func::PortSpeed,
        Some(PortParams {
            speed: Some(Speed::Gbps1),
            ..port("10101")
        }),
        ErrorType::UnexpectedData,
        &no_table,
    );
    assert!(
        e.text.ends_with("port speed cannot be set over SNMP"),
        "{}",
        e.text
    );
    let e = fails(
        &t,
        Func::PortDuplex,
        Some(PortParams {
            duplex: Some(Duplex::Full),
            ..port("10101")
        }),
        ErrorType::UnexpectedData,
        &no_table,
    );
    assert!(
        e.text.ends_with("port duplex cannot be set over SNMP"),
        "{}",
        e.text
    );
}

#[test]
fn bad_port_identities_are_unexpected_data() {
    let sim = shared();
    let ep = sim.endpoint();
    for version in [SnmpVersion::V1, SnmpVersion::V2c] {
        let t = Target::sim(&sim, version, SW48);
        let missing = format!("{ep} has no interface with ifIndex 9999");
        fails(
            &t,
            Func::PortOff,
            Some(port("9999")),
            ErrorType::UnexpectedData,
            &missing,
        );
        fails(
            &t,
            Func::PortOn,
            Some(port("9999")),
            ErrorType::UnexpectedData,
            &missing,
        );
        let speed = PortParams {
            speed: Some(Speed::Auto),
            ..port("9999")
        };
        fails(
            &t,
            Func::PortSpeed,
            Some(speed),
            ErrorType::UnexpectedData,
            "no CISCO-STACK-MIB portTable row has portIfIndex 9999",
        );
        for bad in ["Gi1/0/1", "0", "-3", "10101x"] {
            let e = fails(
                &t,
                Func::PortOff,
                Some(port(bad)),
                ErrorType::UnexpectedData,
                "is not an ifIndex",
            );
            assert_eq!(
                e.text,
                format!(
                    "port '{bad}' is not an ifIndex (this handler identifies ports by ifIndex, a number from 1)"
                )
            );
        }
    }
}

/// A UDP port on 127.0.0.1 that nothing listens on (bound, then closed).
pub(crate) fn silent_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("bind a UDP socket")
        .port()
}

#[test]
fn unreachable_agents_are_connection_errors_inside_the_deadline() {
    let sim = shared();
    let nobody = format!("127.0.0.1:{}", silent_port());
    let no_answer = format!(
        "no answer from {} after 2 tries of 300 ms each (check the address, the port and the community)",
        sim.endpoint()
    );
    let mut cases = Vec::new();
    for version in [SnmpVersion::V1, SnmpVersion::V2c] {
        // snmpsim drops requests with a community it has no recording for.
        let wrong = Target::sim(&sim, version, "not-a-community");
        cases.push((wrong.clone(), Func::Status, None, no_answer.clone()));
        cases.push((wrong.clone(), Func::Statistics, None, no_answer.clone()));
        cases.push((wrong, Func::PortOff, Some(port("10101")), no_answer.clone()));
        // Nothing listening: the host's port unreachable reaches the probe socket, and the
        // error says so at once instead of waiting out the tries.
        let t = Target::community(&nobody, version, SW48);
        cases.push((
            t,
            Func::Status,
            None,
            format!("nothing listens on {nobody}: the host answered port unreachable"),
        ));
    }
    // Each case waits out its timeouts: all at once.
    std::thread::scope(|s| {
        for (t, func, p, text) in &cases {
            s.spawn(move || fails(t, *func, p.clone(), ErrorType::Connection, text));
        }
    });
    // Nothing listening is told in well under a second, whatever the timeouts.
    let a = call(
        &Target::community(&nobody, SnmpVersion::V2c, SW48),
        Func::Status,
        None,
        &[("DCIH_TIMEOUT", "2")],
    );
    assert!(
        a.error().text.contains("nothing listens"),
        "{}",
        a.error().text
    );
    assert!(a.elapsed < Duration::from_millis(500), "{:?}", a.elapsed);
}

#[test]
fn dci_harness_check_passes_with_and_without_port_table() {
    let with = model(SW48);
    let without = model(MODERN);
    // One snmpsim for both, one after the other: the suite leaves port 10101 as it found it
    // (and sets speed and duplex to what they were), so the shared write cache holds the
    // recorded values again when the second run starts.
    let sim = own_snmpsim("check", &[(SW48, &with), (MODERN, &without)]);
    for community in [SW48, MODERN] {
        let (code, report) =
            harness_check("cisco-switch", &sim.endpoint(), community, Some("10101"));
        assert_eq!(code, Some(0), "{community}:\n{report}");
        for step in [
            "-info",
            "status",
            "statistics",
            "port_off 10101",
            "port_on 10101",
        ] {
            assert!(
                passed(&report, step) > 0,
                "{community}: no passed step {step}:\n{report}"
            );
        }
        assert!(!report.contains("FAIL"), "{community}:\n{report}");
    }
}

#[test]
fn gen_recording_writes_the_fixture_for_benchmarks() {
    let dir = data_dir("gen");
    let dir_arg = dir.dir().to_string_lossy().into_owned();
    let exe = bin("gen-recording");
    let out = run(
        &exe,
        &[
            "switch",
            "--ports",
            "384",
            "--modules",
            "8",
            "--community",
            "bench384",
            &dir_arg,
        ],
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let want = SwitchRecording::new(384)
        .modules(8)
        .hostname("bench384")
        .build();
    let written = std::fs::read_to_string(dir.dir().join("bench384.snmprec")).unwrap();
    assert!(
        written == want.recording.to_string(),
        "bench384.snmprec differs from the fixture"
    );
    let out = run(
        &exe,
        &["switch", "--ports", "48", "--no-port-table", &dir_arg],
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.dir().join("switch.snmprec")).unwrap();
    let want = SwitchRecording::new(48)
        .port_table(false)
        .hostname("switch")
        .build();
    assert!(
        written == want.recording.to_string(),
        "switch.snmprec differs from the fixture"
    );
    for bad in [
        &["switch", "--ports", "50", "--modules", "3", &dir_arg][..],
        &["switch", &dir_arg],
        &["router", "--ports", "4", &dir_arg],
        &["switch", "--ports", "4"],
    ] {
        let out = run(&exe, bad, None, &[]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(
            stderr(&out).contains("usage: gen-recording switch"),
            "{bad:?}"
        );
    }
}
