//! `snmp-switch` end to end: the real executable against snmpsim serving Q-BRIDGE switches
//! generated from the MIBs (`e2e::vlans`), every answer compared with the generator's model.
//! SNMP v1, v2c, and v3 through net-snmp's snmpd, which authenticates and decrypts as the
//! handler's user and forwards the switch's subtrees to the same snmpsim
//! ([`e2e::agents::Snmpd::start_switch_proxy`]): snmpsim's own v3 answers the empty context
//! DCImanager sends with another context name in the response, which a strict client (ours,
//! RFC 3412 §7.2 step 12) rightly drops. Writable switches serve their VLAN
//! objects through the test bed's `switch` variation module (PVID follows untagged
//! membership, created VLANs appear, a frozen switch never shows a change).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use dci_protocol::{
    DeviceType, ErrorType, Func, Info, MappedVlan, PortParams, PortState, PvlanType, SnmpVersion,
    VlanId,
};
use e2e::agents::{Snmpd, Snmpsim};
use e2e::snmprec::Snmprec;
use e2e::vlans::{PortVlans, QBridge};
use e2e::{bin, run, stdout};

use crate::cisco_switch::{
    Answer, Target, call_bin, data_dir, harness_check, passed, port, same_ports,
};

const HANDLER: &str = "snmp-switch";
const DEBUG: (&str, &str) = ("RUST_LOG", "snmp_core=debug");

/// snmpsim serving `recordings` under their communities.
fn sim(name: &str, recordings: &[(&str, &Snmprec)]) -> Snmpsim {
    let data = data_dir(&format!("qb-{name}"));
    for (community, rec) in recordings {
        rec.write(data.dir(), community);
    }
    Snmpsim::start(data.dir())
}

/// v1 or v2c with `community`.
fn target(s: &Snmpsim, version: SnmpVersion, community: &str) -> Target {
    Target::community(&s.endpoint(), version, community)
}

/// SNMPv3 (an authPriv user allowed to write) to the recording served under `community`,
/// through snmpd; the guard must live as long as the target is used.
pub(crate) fn v3(s: &Snmpsim, community: &str) -> (Snmpd, Target) {
    let agent = Snmpd::start_switch_proxy(&s.endpoint(), community);
    let user = Snmpd::v3_writer();
    let t = crate::cisco_switch_snmpd::v3(&agent.endpoint(), &user);
    (agent, t)
}

fn call(t: &Target, func: Func, p: Option<PortParams>, env: &[(&str, &str)]) -> Answer {
    call_bin(HANDLER, t, func, p, env)
}

/// A set_vlan request for port `if_index`.
fn vlan_port(if_index: u32, vlan: u16, trunk: bool, members: &str) -> PortParams {
    PortParams {
        vlan_id: VlanId::new(vlan),
        is_trunk: Some(trunk),
        trunk_members: Some(members.parse().expect("a VLAN list")),
        ..port(&if_index.to_string())
    }
}

/// The port state the protocol reports for `v` on `q`.
fn reported(q: &QBridge, if_index: u32, v: &PortVlans) -> PortState {
    let mut p = PortState::new(if_index.to_string());
    q.fill(v, &mut p);
    p
}

/// The VLAN elements of a port.
fn vlan_part(p: &PortState) -> PortState {
    PortState {
        vlan_id: p.vlan_id,
        vlan_name: p.vlan_name.clone(),
        is_trunk: p.is_trunk,
        trunk_members: p.trunk_members.clone(),
        ..PortState::new(p.identity.clone())
    }
}

fn status(t: &Target) -> Vec<PortState> {
    call(t, Func::Status, None, &[]).response().ports.clone()
}

#[test]
fn info_declares_an_any_vendor_switch_with_set_vlan() {
    let out = run(&bin(HANDLER), &["-info"], None, &[]);
    let info = Info::parse(&stdout(&out)).expect("a valid -info document");
    assert_eq!(info.device_type, DeviceType::Switch);
    assert!(info.name.contains("Any SNMP switch"), "{}", info.name);
    for f in [
        Func::Status,
        Func::Statistics,
        Func::PortOn,
        Func::PortOff,
        Func::SetVlan,
    ] {
        assert!(info.funcs.contains(&f), "{f} not declared");
    }
}

#[test]
fn status_reports_every_ports_vlans_on_v1_v2c_and_v3() {
    let q = QBridge::new(48);
    let (rec, sw) = q.build();
    let s = sim("status", &[("qb", &rec)]);
    let want = q.expected_status(&sw);
    for version in [SnmpVersion::V1, SnmpVersion::V2c] {
        let got = status(&target(&s, version, "qb"));
        same_ports(&format!("status on {version}"), &got, &want);
    }
    let (_agent, t3) = v3(&s, "qb");
    same_ports("status on v3", &status(&t3), &want);
    // Literal checks beside the model: a trunk, an unnamed VLAN, a port outside the bridge.
    let got = status(&target(&s, SnmpVersion::V2c, "qb"));
    let find = |i: u32| got.iter().find(|p| p.identity == i.to_string()).unwrap();
    let trunk = find(10112);
    assert_eq!(
        (
            trunk.vlan_id.map(VlanId::get),
            trunk.is_trunk,
            trunk.trunk_members.as_ref().map(ToString::to_string)
        ),
        (Some(1), Some(true), Some("10,20,30".to_owned()))
    );
    assert_eq!(trunk.vlan_name.as_deref(), Some("default"));
    let unnamed = find(10104);
    assert_eq!(
        (
            unnamed.vlan_id.map(VlanId::get),
            unnamed.vlan_name.as_deref()
        ),
        (Some(40), None)
    );
    assert_eq!(find(1).vlan_id, None, "Vlan1 is no bridge port");
}

#[test]
fn status_reads_the_current_table_with_time_marks() {
    let q = QBridge::new(24).current_only(true);
    let (rec, sw) = q.build();
    let s = sim("current", &[("qb", &rec)]);
    let got = status(&target(&s, SnmpVersion::V2c, "qb"));
    // No static table: no names either.
    let mut want = q.expected_status(&sw);
    for p in &mut want {
        p.vlan_name = None;
    }
    same_ports("status from dot1qVlanCurrentTable", &got, &want);
}

/// One `set_vlan`, checked three ways: its answer, a fresh `status` of the port, and every
/// other port unchanged.
#[track_caller]
fn moves(t: &Target, q: &QBridge, before: &[PortState], bp: u32, want: PortVlans) -> Answer {
    let if_index = QBridge::if_index(bp);
    let members: Vec<String> = want.tagged.iter().map(u16::to_string).collect();
    let a = call(
        t,
        Func::SetVlan,
        Some(vlan_port(
            if_index,
            want.pvid,
            !want.tagged.is_empty(),
            &members.join(","),
        )),
        &[DEBUG],
    );
    let expected = reported(q, if_index, &want);
    assert_eq!(vlan_part(a.port()), expected, "set_vlan answer");
    let after = status(t);
    for (b, n) in before.iter().zip(&after) {
        if n.identity == if_index.to_string() {
            assert_eq!(vlan_part(n), expected, "status after set_vlan");
        } else {
            assert_eq!(
                vlan_part(n),
                vlan_part(b),
                "port {} changed too",
                n.identity
            );
        }
    }
    a
}

/// Every move on one writable switch: access → access, access → trunk, trunk → access, trunk
/// members changed, and a move into a VLAN the switch creates.
fn every_move(version: SnmpVersion) {
    let q = QBridge::new(24).writable(true).creatable(300);
    let (rec, _) = q.build();
    let s = sim(&format!("moves-{version}"), &[("qb", &rec)]);
    let (_agent, t) = reach(&s, version, "qb");
    let mut before = status(&t);
    let cases: Vec<(&str, u32, PortVlans)> = vec![
        (
            "access 10 → access 20",
            1,
            PortVlans {
                pvid: 20,
                tagged: BTreeSet::new(),
            },
        ),
        (
            "access 20 → trunk 100 + 10,30",
            2,
            PortVlans {
                pvid: 100,
                tagged: BTreeSet::from([10, 30]),
            },
        ),
        (
            "trunk → access 40",
            6,
            PortVlans {
                pvid: 40,
                tagged: BTreeSet::new(),
            },
        ),
        (
            "trunk members 10,20,30 → 20,100",
            12,
            PortVlans {
                pvid: 1,
                tagged: BTreeSet::from([20, 100]),
            },
        ),
    ];
    for (what, bp, want) in cases {
        let a = moves(&t, &q, &before, bp, want);
        // SNMPv1 walks one row per GETNEXT; the bar is for GETBULK.
        if version != SnmpVersion::V1 {
            assert!(a.requests() <= 8, "{what}: {} requests", a.requests());
        }
        before = status(&t);
    }
    // A VLAN that does not exist yet is created with its name, then joined.
    let if_index = QBridge::if_index(3);
    assert!(
        before
            .iter()
            .all(|p| p.vlan_id.map(VlanId::get) != Some(300))
    );
    let a = call(
        &t,
        Func::SetVlan,
        Some(PortParams {
            vlan_name: Some("new300".into()),
            ..vlan_port(if_index, 300, false, "")
        }),
        &[],
    );
    assert_eq!(
        (
            a.port().vlan_id.map(VlanId::get),
            a.port().vlan_name.as_deref(),
            a.port().is_trunk
        ),
        (Some(300), Some("new300"), Some(false))
    );
    let after = status(&t);
    let p = after
        .iter()
        .find(|p| p.identity == if_index.to_string())
        .unwrap();
    assert_eq!(
        (p.vlan_id.map(VlanId::get), p.vlan_name.as_deref()),
        (Some(300), Some("new300"))
    );
}

#[test]
fn set_vlan_every_move_on_v2c() {
    every_move(SnmpVersion::V2c);
}

#[test]
fn set_vlan_every_move_on_v3() {
    every_move(SnmpVersion::V3);
}

#[test]
fn set_vlan_every_move_on_v1() {
    every_move(SnmpVersion::V1);
}

/// The target of `community` on `version`: directly on v1/v2c, through snmpd on v3 (the guard
/// comes along and must live while the target is used).
pub(crate) fn reach(s: &Snmpsim, version: SnmpVersion, community: &str) -> (Option<Snmpd>, Target) {
    match version {
        SnmpVersion::V3 => {
            let (a, t) = v3(s, community);
            (Some(a), t)
        }
        v => (None, target(s, v, community)),
    }
}

#[test]
fn refused_requests_change_nothing_on_v2c() {
    refused(SnmpVersion::V2c);
}

#[test]
fn refused_requests_change_nothing_on_v3() {
    refused(SnmpVersion::V3);
}

fn refused(version: SnmpVersion) {
    let q = QBridge::new(12).writable(true);
    let (rec, _) = q.build();
    let juniper = q
        .clone()
        .object_id("1.3.6.1.4.1.2636.1.1.1.4.82.5")
        .build()
        .0;
    let s = sim(
        &format!("refused-{version}"),
        &[("qb", &rec), ("junos", &juniper)],
    );
    let (_qb, t) = reach(&s, version, "qb");
    let (_junos, tj) = reach(&s, version, "junos");
    let before = status(&t);
    let p1 = QBridge::if_index(1);
    let cases: Vec<(&str, PortParams, &str)> = vec![
        (
            "VLAN 4095",
            vlan_port(p1, 4095, false, ""),
            "VLAN 4095 is reserved",
        ),
        (
            "missing trunk member",
            vlan_port(p1, 10, true, "20,999"),
            "has no VLAN 999",
        ),
        (
            "no such interface",
            vlan_port(99, 10, false, ""),
            "no interface with ifIndex 99",
        ),
        (
            "not a bridge port",
            vlan_port(1, 10, false, ""),
            "not a bridge port",
        ),
        (
            "private VLAN",
            PortParams {
                vlan_pvlan: Some(PvlanType::Primary),
                mapped_vlan: Some(MappedVlan::Vlan(VlanId::new(20).unwrap())),
                ..vlan_port(p1, 10, false, "")
            },
            "private VLANs",
        ),
        (
            "not an ifIndex",
            PortParams {
                identity: Some("Gi1/0/1".into()),
                ..vlan_port(p1, 10, false, "")
            },
            "not an ifIndex",
        ),
    ];
    for (what, p, text) in cases {
        let a = call(&t, Func::SetVlan, Some(p), &[]);
        let e = a.error();
        assert_eq!(
            e.error_type,
            ErrorType::UnexpectedData,
            "{what}: {}",
            e.text
        );
        assert!(e.text.contains(text), "{what}: {}", e.text);
    }
    let j = call(&tj, Func::SetVlan, Some(vlan_port(p1, 20, false, "")), &[]);
    assert!(j.error().text.contains("Juniper"), "{}", j.error().text);
    assert_eq!(status(&t), before, "a refused request wrote something");
    assert_eq!(status(&tj), before);
}

#[test]
fn a_switch_that_never_follows_is_an_error_inside_the_deadline() {
    let q = QBridge::new(12).frozen(true);
    let (rec, _) = q.build();
    let s = sim("frozen", &[("qb", &rec)]);
    let t = target(&s, SnmpVersion::V2c, "qb");
    let started = Instant::now();
    let a = call(
        &t,
        Func::SetVlan,
        Some(vlan_port(QBridge::if_index(1), 20, false, "")),
        &[("DCIH_CONFIRM_TIMEOUT", "1")],
    );
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("its vlan_id still reads 10 (wanted 20)"),
        "{}",
        e.text
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_pvid_that_does_not_follow_membership_is_written() {
    let q = QBridge::new(12).pvid_follows(false);
    let (rec, _) = q.build();
    let s = sim("pvid", &[("qb", &rec)]);
    let t = target(&s, SnmpVersion::V2c, "qb");
    let before = status(&t);
    let a = moves(
        &t,
        &q,
        &before,
        1,
        PortVlans {
            pvid: 30,
            tagged: BTreeSet::new(),
        },
    );
    assert!(a.requests() <= 8, "{} requests", a.requests());
}

#[test]
fn an_agent_that_takes_one_binding_at_a_time_gets_them_in_order() {
    let q = QBridge::new(12).single_binding_sets(true);
    let (rec, _) = q.build();
    let s = sim("single", &[("qb", &rec)]);
    let t = target(&s, SnmpVersion::V2c, "qb");
    let before = status(&t);
    moves(
        &t,
        &q,
        &before,
        2,
        PortVlans {
            pvid: 30,
            tagged: BTreeSet::from([10]),
        },
    );
}

#[test]
fn dci_harness_check_moves_a_port_to_another_vlan_and_back() {
    let q = QBridge::new(12).writable(true);
    let (rec, _) = q.build();
    let s = sim("check", &[("qb", &rec)]);
    let t = target(&s, SnmpVersion::V2c, "qb");
    let before = status(&t);
    let p = QBridge::if_index(1).to_string();
    let (code, report) = harness_check(HANDLER, &s.endpoint(), "qb", Some(&p));
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(passed(&report, &format!("set_vlan {p}")), 2, "{report}");
    assert_eq!(passed(&report, "status after set_vlan"), 2, "{report}");
    assert!(!report.contains("FAIL"), "{report}");
    assert_eq!(
        status(&t),
        before,
        "the suite leaves the port as it found it"
    );
}

#[test]
fn a_port_whose_status_cells_are_missing_reads_unknown() {
    let q = QBridge::new(12);
    let (mut rec, _) = q.build();
    let p = QBridge::if_index(3);
    rec.remove(&format!("1.3.6.1.2.1.2.2.1.7.{p}"))
        .remove(&format!("1.3.6.1.2.1.2.2.1.8.{p}"));
    let s = sim("partial", &[("qb", &rec)]);
    let got = status(&target(&s, SnmpVersion::V2c, "qb"));
    let port = got
        .iter()
        .find(|x| x.identity == p.to_string())
        .expect("the port is listed");
    assert_eq!(
        (port.admin_status, port.oper_status),
        (
            Some(dci_protocol::PortStatus::Unknown),
            Some(dci_protocol::PortStatus::Unknown)
        )
    );
    let (code, report) = harness_check(HANDLER, &s.endpoint(), "qb", None);
    assert_eq!(code, Some(0), "{report}");
}

#[test]
fn mac_list_reads_the_q_bridge_table_on_v1_v2c_and_v3() {
    let q = QBridge::new(24);
    let (rec, sw) = q.build();
    let s = sim("macs", &[("qb", &rec)]);
    let want = q.expected_macs(&sw);
    for version in [SnmpVersion::V1, SnmpVersion::V2c, SnmpVersion::V3] {
        let (_agent, t) = reach(&s, version, "qb");
        let got = call(&t, Func::MacList, None, &[]).response().ports.clone();
        same_ports(&format!("mac_list on {version}"), &got, &want);
    }
    // Literal: bridge port 1 learned 02:00:00:01:00:00 and :01; once, though in two VLANs.
    let got = call(
        &target(&s, SnmpVersion::V2c, "qb"),
        Func::MacList,
        None,
        &[],
    );
    let p = got
        .response()
        .ports
        .iter()
        .find(|p| p.identity == QBridge::if_index(1).to_string())
        .unwrap();
    let macs: Vec<String> = p.macs.iter().map(ToString::to_string).collect();
    assert_eq!(macs, ["02:00:00:01:00:00", "02:00:00:01:00:01"]);
}

#[test]
fn mac_list_falls_back_to_bridge_mib() {
    let q = QBridge::new(12).dot1d_fdb(true);
    let (rec, sw) = q.build();
    let s = sim("dot1d", &[("qb", &rec)]);
    let got = call(
        &target(&s, SnmpVersion::V2c, "qb"),
        Func::MacList,
        None,
        &[],
    );
    same_ports(
        "mac_list from dot1dTpFdbTable",
        &got.response().ports,
        &q.expected_macs(&sw),
    );
}

#[test]
fn mac_list_counts_entries_by_vlan_through_dot1q_vlan_fdb_id() {
    // FDB ids count up (VLAN 1 is FDB 1, VLAN 10 FDB 2, …): the per-VLAN counts the handler
    // logs must name the VLANs, found through dot1qVlanFdbId.
    let q = QBridge::new(12);
    assert_eq!((q.fdb_id(10), q.fdb_id(100)), (2, 6));
    let (rec, _) = q.build();
    let s = sim("fdb", &[("qb", &rec)]);
    let a = call(
        &target(&s, SnmpVersion::V2c, "qb"),
        Func::MacList,
        None,
        &[("RUST_LOG", "snmp_switch=debug")],
    );
    let line = a
        .stderr
        .lines()
        .find(|l| l.contains("learned MACs"))
        .unwrap_or_else(|| panic!("no count line in\n{}", a.stderr));
    assert!(line.contains("Some(100): "), "{line}");
    assert!(
        !line.contains("Some(6): "),
        "FDB ids taken for VLANs: {line}"
    );
}
