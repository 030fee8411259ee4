//! `cisco-switch` VLANs end to end: the real executable against snmpsim serving Catalysts
//! generated from CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB and CISCO-PRIVATE-VLAN-MIB
//! (`e2e::vlans::Catalyst`), and a Q-BRIDGE switch for the Cisco models that use that MIB
//! instead, every answer compared with the generators' models. Writable copies serve their VLAN
//! objects through the test bed's `switch` variation module: DynamicStatus and
//! EncapsulationOperType follow DynamicState, the VTP edit buffer creates VLANs, a frozen
//! switch never shows a change.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use dci_protocol::{
    ErrorType, Func, MappedVlan, PortParams, PortState, PvlanType, SnmpVersion, VlanId,
};
use e2e::agents::Snmpsim;
use e2e::fixtures::if_index;
use e2e::snmprec::Snmprec;
use e2e::vlans::{Catalyst, QBridge};

use crate::cisco_switch::{
    Answer, Target, call_bin, data_dir, harness_check, passed, port, same_ports,
};

const HANDLER: &str = "cisco-switch";
const DEBUG: (&str, &str) = ("RUST_LOG", "snmp_core=debug");

fn sim(name: &str, recordings: &[(&str, &Snmprec)]) -> Snmpsim {
    let data = data_dir(&format!("vlans-{name}"));
    for (community, rec) in recordings {
        rec.write(data.dir(), community);
    }
    Snmpsim::start(data.dir())
}

fn call(t: &Target, func: Func, p: Option<PortParams>, env: &[(&str, &str)]) -> Answer {
    call_bin(HANDLER, t, func, p, env)
}

fn status(t: &Target) -> Vec<PortState> {
    call(t, Func::Status, None, &[]).response().ports.clone()
}

fn vlan_port(if_index: u32, vlan: u16, trunk: bool, members: &str) -> PortParams {
    PortParams {
        vlan_id: VlanId::new(vlan),
        is_trunk: Some(trunk),
        trunk_members: Some(members.parse().expect("a VLAN list")),
        ..port(&if_index.to_string())
    }
}

/// (vlan_id, vlan_name, is_trunk, trunk_members) of a port, for literal checks.
type VlanOf = (Option<u16>, Option<String>, Option<bool>, Option<String>);

/// The [`VlanOf`] of a port.
fn vlan_of(p: &PortState) -> VlanOf {
    (
        p.vlan_id.map(VlanId::get),
        p.vlan_name.clone(),
        p.is_trunk,
        p.trunk_members.as_ref().map(ToString::to_string),
    )
}

fn find(ports: &[PortState], if_index: u32) -> &PortState {
    ports
        .iter()
        .find(|p| p.identity == if_index.to_string())
        .unwrap_or_else(|| panic!("no port {if_index}"))
}

#[test]
fn status_reads_vtp_vlans_trunks_and_bitmaps_on_v1_v2c_and_v3() {
    let cat = Catalyst::new(48);
    let (rec, sw) = cat.build();
    let legacy = Catalyst::new(24).legacy(true);
    let (lrec, lsw) = legacy.build();
    let s = sim("status", &[("cat", &rec), ("legacy", &lrec)]);
    for version in [SnmpVersion::V1, SnmpVersion::V2c] {
        let t = Target::community(&s.endpoint(), version, "cat");
        same_ports(
            &format!("status {version}"),
            &status(&t),
            &cat.expected_status(&sw),
        );
        // Five of the seven shared Cisco recordings: no DynamicState/Status, trunks by
        // EncapsulationOperType.
        let t = Target::community(&s.endpoint(), version, "legacy");
        same_ports(
            &format!("legacy status {version}"),
            &status(&t),
            &legacy.expected_status(&lsw),
        );
    }
    let (_agent, t3) = crate::snmp_switch::v3(&s, "cat");
    same_ports("status v3", &status(&t3), &cat.expected_status(&sw));
    let got = status(&Target::community(&s.endpoint(), SnmpVersion::V2c, "cat"));
    // Literal checks beside the model: a trunk on with native 1, a desirable trunk whose
    // bitmaps name VLAN 999 (no such VLAN) and 1500 (second block), an access port.
    assert_eq!(
        vlan_of(find(&got, if_index(1, 6))),
        (
            Some(1),
            Some("default".into()),
            Some(true),
            Some("10,20".into())
        )
    );
    assert_eq!(
        vlan_of(find(&got, if_index(1, 12))),
        (
            Some(100),
            Some("mgmt".into()),
            Some(true),
            Some("10,30,40,1002,1500".into())
        )
    );
    assert_eq!(
        vlan_of(find(&got, if_index(1, 1))),
        (Some(10), Some("servers".into()), Some(false), None)
    );
}

#[test]
fn status_costs_at_most_two_requests_more_than_without_vlans() {
    let cat = Catalyst::new(48);
    let (rec, _) = cat.build();
    let plain = e2e::fixtures::SwitchRecording::new(48).build().recording;
    let s = sim("cost", &[("cat", &rec), ("plain", &plain)]);
    let cost = |community: &str| {
        let t = Target::community(&s.endpoint(), SnmpVersion::V2c, community);
        call(&t, Func::Status, None, &[DEBUG]).requests()
    };
    let (with, without) = (cost("cat"), cost("plain"));
    assert!(
        with <= without + 2 + 1,
        "status with VLANs: {with} requests, without: {without}"
    );
}

/// A `set_vlan`, its answer, and a fresh `status` in which only that port changed.
#[track_caller]
fn moves(t: &Target, before: &[PortState], p: PortParams, want: VlanOf) -> Answer {
    let identity = p.identity.clone().unwrap();
    let a = call(t, Func::SetVlan, Some(p), &[DEBUG]);
    assert_eq!(vlan_of(a.port()), want, "set_vlan answer");
    let after = status(t);
    for (b, n) in before.iter().zip(&after) {
        if n.identity == identity {
            assert_eq!(vlan_of(n), want, "status after set_vlan");
        } else {
            assert_eq!(vlan_of(n), vlan_of(b), "port {} changed too", n.identity);
        }
    }
    a
}

#[test]
fn set_vlan_every_move_on_a_catalyst_on_v2c() {
    every_move(SnmpVersion::V2c);
}

#[test]
fn set_vlan_every_move_on_a_catalyst_on_v3() {
    every_move(SnmpVersion::V3);
}

/// access → access, access → trunk, trunk → access, trunk members changed (into the 2k
/// bitmap), and a VLAN created through the VTP edit buffer, each confirmed by a fresh status.
fn every_move(version: SnmpVersion) {
    let cat = Catalyst::new(24).writable(true).creatable(300);
    let (rec, _) = cat.build();
    let s = sim(&format!("moves-{version}"), &[("cat", &rec)]);
    let (_agent, t) = crate::snmp_switch::reach(&s, version, "cat");
    let mut before = status(&t);
    let name = |s: &str| Some(s.to_owned());
    let cases: Vec<(&str, PortParams, VlanOf)> = vec![
        (
            "access 10 → access 20",
            vlan_port(if_index(1, 1), 20, false, ""),
            (Some(20), name("storage"), Some(false), None),
        ),
        (
            "access → trunk native 100, 10,30",
            vlan_port(if_index(1, 2), 100, true, "10,30"),
            (Some(100), name("mgmt"), Some(true), name("10,30")),
        ),
        (
            "trunk → access 30",
            vlan_port(if_index(1, 6), 30, false, ""),
            (Some(30), name("backup"), Some(false), None),
        ),
        (
            "trunk members changed, 1500 in the 2k block",
            vlan_port(if_index(1, 12), 100, true, "20,1500"),
            (Some(100), name("mgmt"), Some(true), name("20,1500")),
        ),
    ];
    for (what, p, want) in cases {
        let a = moves(&t, &before, p, want);
        assert!(a.requests() <= 8, "{what}: {} requests", a.requests());
        before = status(&t);
    }
    // A VLAN the switch does not have yet: created through the VTP edit buffer.
    let a = moves(
        &t,
        &before,
        PortParams {
            vlan_name: Some("new300".into()),
            ..vlan_port(if_index(1, 3), 300, false, "")
        },
        (Some(300), name("new300"), Some(false), None),
    );
    assert!(
        a.stderr.is_empty() || !a.stderr.contains("ERROR"),
        "{}",
        a.stderr
    );
}

#[test]
fn private_vlan_host_and_promiscuous_ports() {
    let cat = Catalyst::new(12).writable(true);
    let (rec, _) = cat.build();
    let s = sim("pvlan", &[("cat", &rec)]);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "cat");
    let pv = |if_index: u32, vlan: u16, kind: PvlanType, mapped: Option<u16>| PortParams {
        vlan_pvlan: Some(kind),
        mapped_vlan: mapped.map(|m| MappedVlan::Vlan(VlanId::new(m).unwrap())),
        ..vlan_port(if_index, vlan, false, "")
    };
    let host = call(
        &t,
        Func::SetVlan,
        Some(pv(if_index(1, 1), 201, PvlanType::Isolated, Some(200))),
        &[],
    );
    assert_eq!(vlan_of(host.port()).0, Some(201));
    let community = call(
        &t,
        Func::SetVlan,
        Some(pv(if_index(1, 2), 202, PvlanType::Other, None)),
        &[],
    );
    assert_eq!(vlan_of(community.port()).0, Some(202));
    let prom = call(
        &t,
        Func::SetVlan,
        Some(pv(if_index(1, 3), 200, PvlanType::Primary, Some(201))),
        &[],
    );
    assert_eq!(vlan_of(prom.port()).0, Some(200));
    // Read the agent itself: the port modes and the remap bit.
    let out = s
        .net_snmp("snmpget")
        .args(["-v2c", "-c", "cat", "-On", "-Oqv", &s.endpoint()])
        .args([
            format!("1.3.6.1.4.1.9.9.173.1.2.3.1.1.{}", if_index(1, 1)),
            format!("1.3.6.1.4.1.9.9.173.1.2.1.1.1.{}", if_index(1, 1)),
            format!("1.3.6.1.4.1.9.9.173.1.2.3.1.1.{}", if_index(1, 3)),
        ])
        .output()
        .expect("snmpget");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines, ["2", "201", "3"], "{text}");
    // Refused before anything is written: wrong types, a wrong primary, no mapped VLAN.
    let before = status(&t);
    for (what, p, text) in [
        (
            "isolated that is not",
            pv(if_index(1, 4), 202, PvlanType::Isolated, None),
            "is not an isolated",
        ),
        (
            "wrong primary",
            pv(if_index(1, 4), 201, PvlanType::Isolated, Some(10)),
            "not mapped_vlan 10",
        ),
        (
            "promiscuous without mapped",
            pv(if_index(1, 4), 200, PvlanType::Primary, None),
            "needs mapped_vlan",
        ),
        (
            "primary that is not",
            pv(if_index(1, 4), 10, PvlanType::Primary, Some(201)),
            "not a primary",
        ),
    ] {
        let a = call(&t, Func::SetVlan, Some(p), &[]);
        assert!(a.error().text.contains(text), "{what}: {}", a.error().text);
    }
    assert_eq!(status(&t), before);
}

#[test]
fn refused_requests_change_nothing_on_a_catalyst_on_v2c() {
    refused(SnmpVersion::V2c);
}

#[test]
fn refused_requests_change_nothing_on_a_catalyst_on_v3() {
    refused(SnmpVersion::V3);
}

fn refused(version: SnmpVersion) {
    let cat = Catalyst::new(12).writable(true);
    let (rec, _) = cat.build();
    let client = cat.clone().vtp_mode(1).build().0;
    let no_pvlan = cat.clone().pvlan(false).build().0;
    let nxos = cat
        .clone()
        .object_id("1.3.6.1.4.1.9.12.3.1.3.1163")
        .build()
        .0;
    let s = sim(
        &format!("refused-{version}"),
        &[
            ("cat", &rec),
            ("client", &client),
            ("nopv", &no_pvlan),
            ("nxos", &nxos),
        ],
    );
    // One target (and on v3 one snmpd) per recording, kept for the whole test.
    let reached: Vec<(&str, (Option<e2e::agents::Snmpd>, Target))> =
        ["cat", "client", "nopv", "nxos"]
            .into_iter()
            .map(|c| (c, crate::snmp_switch::reach(&s, version, c)))
            .collect();
    let t = |c: &str| {
        reached
            .iter()
            .find(|(name, _)| *name == c)
            .map(|(_, (_, t))| t.clone())
            .expect("a reached recording")
    };
    let before = status(&t("cat"));
    let p1 = if_index(1, 1);
    let cases: Vec<(&str, &str, PortParams, &str)> = vec![
        (
            "cat",
            "suspended VLAN",
            vlan_port(p1, 40, false, ""),
            "suspended",
        ),
        (
            "cat",
            "reserved FDDI VLAN",
            vlan_port(p1, 1002, false, ""),
            "not an Ethernet VLAN",
        ),
        (
            "cat",
            "VLAN 4095",
            vlan_port(p1, 4095, false, ""),
            "reserved",
        ),
        (
            "cat",
            "missing member",
            vlan_port(p1, 10, true, "20,999"),
            "has no VLAN 999",
        ),
        (
            "cat",
            "no such interface",
            vlan_port(77, 10, false, ""),
            "no interface with ifIndex 77",
        ),
        (
            "cat",
            "not a switch port",
            vlan_port(1, 10, false, ""),
            "not a switch port",
        ),
        (
            "cat",
            "uncreatable VLAN",
            vlan_port(p1, 777, false, ""),
            "cannot be created",
        ),
        (
            "client",
            "VTP client creates",
            vlan_port(p1, 300, false, ""),
            "VTP client",
        ),
        (
            "nopv",
            "private VLAN without the MIB",
            PortParams {
                vlan_pvlan: Some(PvlanType::Isolated),
                ..vlan_port(p1, 201, false, "")
            },
            "CISCO-PRIVATE-VLAN-MIB",
        ),
        ("nxos", "NX-OS", vlan_port(p1, 20, false, ""), "NX-OS"),
    ];
    for (community, what, p, text) in cases {
        let a = call(&t(community), Func::SetVlan, Some(p), &[]);
        let e = a.error();
        assert_eq!(
            e.error_type,
            ErrorType::UnexpectedData,
            "{what}: {}",
            e.text
        );
        assert!(e.text.contains(text), "{what}: {}", e.text);
    }
    for c in ["cat", "client", "nopv", "nxos"] {
        assert_eq!(
            status(&t(c)),
            before,
            "{c}: a refused request wrote something"
        );
    }
}

#[test]
fn a_catalyst_that_never_follows_is_an_error_inside_the_deadline() {
    let cat = Catalyst::new(12).frozen(true);
    let (rec, _) = cat.build();
    let s = sim("frozen", &[("cat", &rec)]);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "cat");
    let started = Instant::now();
    let a = call(
        &t,
        Func::SetVlan,
        Some(vlan_port(if_index(1, 1), 20, false, "")),
        &[("DCIH_CONFIRM_TIMEOUT", "1")],
    );
    assert!(
        a.error()
            .text
            .contains("its vlan_id still reads 10 (wanted 20)"),
        "{}",
        a.error().text
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn cisco_models_with_q_bridge_read_and_write_through_it() {
    let q = QBridge::new(12).writable(true);
    let (rec, sw) = q.build();
    let s = sim("sb", &[("sb", &rec)]);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "sb");
    same_ports(
        "Q-BRIDGE through cisco-switch",
        &status(&t),
        &q.expected_status(&sw),
    );
    let before = status(&t);
    let want = e2e::vlans::PortVlans {
        pvid: 30,
        tagged: BTreeSet::from([10]),
    };
    let mut expected = PortState::new(QBridge::if_index(1).to_string());
    q.fill(&want, &mut expected);
    moves(
        &t,
        &before,
        vlan_port(QBridge::if_index(1), 30, true, "10"),
        vlan_of(&expected),
    );
}

#[test]
fn dci_harness_check_moves_a_catalyst_port_and_back() {
    let cat = Catalyst::new(12).writable(true);
    let (s, _) = catalyst_with_instances("check", &cat, &[]);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "cat");
    let before = status(&t);
    // A trunk: moved to an access VLAN, then back to its native VLAN and members.
    let p = if_index(1, 6).to_string();
    let (code, report) = harness_check(HANDLER, &s.endpoint(), "cat", Some(&p));
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(passed(&report, &format!("set_vlan {p}")), 2, "{report}");
    assert_eq!(passed(&report, "status after set_vlan"), 2, "{report}");
    let after = status(&t);
    assert_eq!(
        after.iter().map(vlan_of).collect::<Vec<_>>(),
        before.iter().map(vlan_of).collect::<Vec<_>>(),
        "the suite leaves the VLANs as it found them"
    );
}

#[test]
fn a_trunk_the_switch_keeps_no_access_vlan_for_is_refused_unchanged() {
    let cat = Catalyst::new(12).writable(true).trunk_vm_vlan(false);
    let (rec, _) = cat.build();
    let s = sim("no-vm", &[("cat", &rec)]);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "cat");
    let before = status(&t);
    let a = call(
        &t,
        Func::SetVlan,
        Some(vlan_port(if_index(1, 6), 30, false, "")),
        &[],
    );
    assert!(
        a.error().text.contains("did not take vmVlan"),
        "{}",
        a.error().text
    );
    assert_eq!(
        status(&t),
        before,
        "the trunk still trunks, bitmaps and all"
    );
}

/// snmpsim serving a Catalyst under `cat` and its VLAN bridge instances under `cat@VLAN`, but
/// for the VLANs of `silent`.
fn catalyst_with_instances(
    name: &str,
    cat: &Catalyst,
    silent: &[u16],
) -> (Snmpsim, e2e::fixtures::Switch) {
    let (rec, sw) = cat.build();
    let instances = cat.vlan_instances();
    let mut recordings: Vec<(String, &Snmprec)> = vec![("cat".into(), &rec)];
    for (vlan, r) in &instances {
        if !silent.contains(vlan) {
            recordings.push((format!("cat@{vlan}"), r));
        }
    }
    let refs: Vec<(&str, &Snmprec)> = recordings.iter().map(|(c, r)| (c.as_str(), *r)).collect();
    (sim(name, &refs), sw)
}

#[test]
fn mac_list_reads_each_used_vlan_bridge_and_no_other_on_v1_v2c_and_v3() {
    let cat = Catalyst::new(24);
    let (s, sw) = catalyst_with_instances("macs", &cat, &[]);
    let used = cat.mac_vlans();
    assert_eq!(used, BTreeSet::from([1, 10, 20, 30, 100, 1500]));
    let want = cat.expected_macs(&sw, &used);
    // v3 through snmpd, each VLAN's bridge in its context `vlan-V`, the suspended and FDDI
    // VLANs' too (so that reading them would show).
    let vlans: Vec<u16> = used.iter().copied().chain([40, 1002]).collect();
    let agent = e2e::agents::Snmpd::start_switch_proxy_with_vlans(&s.endpoint(), "cat", &vlans);
    let user = e2e::agents::Snmpd::v3_writer();
    let v3 = crate::cisco_switch_snmpd::v3(&agent.endpoint(), &user);
    for version in [SnmpVersion::V1, SnmpVersion::V2c, SnmpVersion::V3] {
        let t = match version {
            SnmpVersion::V3 => v3.clone(),
            v => Target::community(&s.endpoint(), v, "cat"),
        };
        // No VLAN is silent here: a generous try, for a loaded machine (each VLAN has one).
        let a = call(&t, Func::MacList, None, &[("DCIH_TIMEOUT", "3")]);
        same_ports(&format!("mac_list {version}"), &a.response().ports, &want);
        // The suspended VLAN 40 and FDDI 1002 are served with MACs of their own (de:ad:…):
        // read, they would show; and no warning of a silent VLAN.
        let text: String = a
            .response()
            .ports
            .iter()
            .flat_map(|p| p.macs.iter().map(ToString::to_string))
            .collect();
        assert!(
            !text.contains("DE:AD"),
            "a reserved or suspended VLAN was read"
        );
        assert!(!a.stderr.contains("did not answer"), "{}", a.stderr);
    }
}

#[test]
fn a_silent_vlan_ends_that_vlan_not_the_call_on_v2c_and_v3() {
    let cat = Catalyst::new(24);
    let (s, sw) = catalyst_with_instances("silent", &cat, &[1500]);
    let mut answering = cat.mac_vlans();
    answering.remove(&1500);
    // On v3, snmpd has no context vlan-1500 (forwarding one to a community snmpsim does not
    // answer upsets net-snmp's proxy for the other contexts).
    let vlans: Vec<u16> = answering.iter().copied().collect();
    let agent = e2e::agents::Snmpd::start_switch_proxy_with_vlans(&s.endpoint(), "cat", &vlans);
    let user = e2e::agents::Snmpd::v3_writer();
    // v2c: snmpsim's silence costs one try of 0.5 s. v3: the unknown context is refused at
    // once, and the other VLANs go through snmpd to snmpsim, slower on a loaded machine.
    for (t, why, timeout) in [
        (
            Target::community(&s.endpoint(), SnmpVersion::V2c, "cat"),
            "1500 (no answer)",
            "0.5",
        ),
        (
            crate::cisco_switch_snmpd::v3(&agent.endpoint(), &user),
            "1500 (",
            "2",
        ),
    ] {
        let started = Instant::now();
        let a = call(
            &t,
            Func::MacList,
            None,
            &[("DCIH_TIMEOUT", timeout), ("DCIH_DEADLINE", "5")],
        );
        let elapsed = started.elapsed();
        same_ports(
            "mac_list with VLAN 1500 silent",
            &a.response().ports,
            &cat.expected_macs(&sw, &answering),
        );
        let warning: Vec<&str> = a
            .stderr
            .lines()
            .filter(|l| l.contains("did not answer"))
            .collect();
        assert_eq!(warning.len(), 1, "{}", a.stderr);
        assert!(warning[0].contains(why), "{}", a.stderr);
        // Inside the deadline of 5 s: one try for the silent VLAN, the others read meanwhile.
        assert!(elapsed < Duration::from_secs(4), "{elapsed:?} {}", a.stderr);
    }
}

#[test]
fn mac_list_reaches_vlans_by_the_communities_entity_mib_names() {
    // entLogicalTable says VLAN V's bridge is `bridge@V`: only those files exist.
    let cat = Catalyst::new(12).ent_logical("bridge");
    let (rec, sw) = cat.build();
    let instances = cat.vlan_instances();
    let mut recordings: Vec<(String, &Snmprec)> = vec![("cat".into(), &rec)];
    for (vlan, r) in &instances {
        recordings.push((format!("bridge@{vlan}"), r));
    }
    let refs: Vec<(&str, &Snmprec)> = recordings.iter().map(|(c, r)| (c.as_str(), *r)).collect();
    let s = sim("entity", &refs);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "cat");
    let a = call(&t, Func::MacList, None, &[("DCIH_TIMEOUT", "0.5")]);
    same_ports(
        "mac_list through entLogicalCommunity",
        &a.response().ports,
        &cat.expected_macs(&sw, &cat.mac_vlans()),
    );
    assert!(!a.stderr.contains("did not answer"), "{}", a.stderr);
}

#[test]
fn no_vlan_answering_is_a_connection_error_inside_the_deadline() {
    let cat = Catalyst::new(12);
    let silent: Vec<u16> = cat.mac_vlans().into_iter().collect();
    let (s, _) = catalyst_with_instances("none", &cat, &silent);
    let t = Target::community(&s.endpoint(), SnmpVersion::V2c, "cat");
    let started = Instant::now();
    let a = call(
        &t,
        Func::MacList,
        None,
        &[("DCIH_TIMEOUT", "0.3"), ("DCIH_DEADLINE", "5")],
    );
    assert_eq!(
        a.error().error_type,
        ErrorType::Connection,
        "{}",
        a.error().text
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
