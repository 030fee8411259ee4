//! `ibm-blade-pdu`, `rpcm-pdu` and `apc-pdu` end to end: the real executables against snmpsim
//! serving PDU recordings generated from the MIBs (`e2e::pdus`), on SNMP v1 and v2c, every
//! answer compared with the generator's model. Outlets switch through the test bed's `follow`
//! variation module: at once, after 2 s, or never. SNMPv3: snmpsim's own v3 needs a context
//! name DCImanager never sends, so every function is run on v3 through net-snmp's snmpd, which
//! authenticates and decrypts as the handler's user and forwards the PDU's enterprise subtree to
//! the same snmpsim (`proxy`, [`e2e::agents::Snmpd::start_proxy`]).
//!
//! Every test has an snmpsim of its own (about 0.35 s to start): switching changes state.

use std::time::{Duration, Instant};

use dci_protocol::PortStatus::{Off, On};
use dci_protocol::{DeviceType, ErrorType, Func, Info, PortState, Requirement, SnmpVersion};
use e2e::agents::Snmpsim;
use e2e::pdus::{Follow, Kind, Pdu, outlets};
use e2e::{bin, run, stdout};

use crate::cisco_switch::{Answer, FAIL_WITHIN, FAST_FAIL, Target, call_bin, data_dir, port};

const BLADE: &str = "ibm-blade-pdu";
const RPCM: &str = "rpcm-pdu";
const APC: &str = "apc-pdu";

/// Confirmation limit for the tests that wait for an outlet that never follows.
pub(crate) const CONFIRM_2S: (&str, &str) = ("DCIH_CONFIRM_TIMEOUT", "2");
pub(crate) const DEBUG: (&str, &str) = ("RUST_LOG", "snmp_core=debug");

/// snmpsim serving `pdus` (community → PDU).
pub(crate) fn sim(name: &str, pdus: &[(&str, &Pdu)]) -> Snmpsim {
    let data = data_dir(&format!("pdu-{name}"));
    for (community, pdu) in pdus {
        pdu.recording.write(data.dir(), community);
    }
    Snmpsim::start(data.dir())
}

fn blade14() -> Pdu {
    Pdu::new(Kind::Blade, outlets(Kind::Blade, 14))
}

pub(crate) fn on(
    handler: &str,
    s: &Snmpsim,
    v: SnmpVersion,
    c: &str,
    func: Func,
    id: Option<&str>,
) -> Answer {
    on_env(handler, s, v, c, func, id, &[])
}

pub(crate) fn on_env(
    handler: &str,
    s: &Snmpsim,
    v: SnmpVersion,
    c: &str,
    func: Func,
    id: Option<&str>,
    env: &[(&str, &str)],
) -> Answer {
    call_bin(
        handler,
        &Target::community(&s.endpoint(), v, c),
        func,
        id.map(port),
        env,
    )
}

#[track_caller]
pub(crate) fn same(what: &str, got: &[PortState], want: &[PortState]) {
    assert_eq!(got.len(), want.len(), "{what}: ports\n got {got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g, w, "{what}: port {}", w.identity);
    }
}

/// The admin status of the first `n` ports of a status answer.
#[track_caller]
pub(crate) fn admin(a: &Answer, n: usize) -> Vec<Option<dci_protocol::PortStatus>> {
    a.response()
        .ports
        .iter()
        .take(n)
        .map(|p| p.admin_status)
        .collect()
}

#[track_caller]
pub(crate) fn state(a: &Answer, id: &str, want: dci_protocol::PortStatus) {
    let p = a.port();
    assert_eq!((p.identity.as_str(), p.admin_status), (id, Some(want)));
}

#[test]
fn info_declares_pdus() {
    for (name, funcs, power) in [
        (BLADE, "status, port_on, port_off, port_reset", false),
        (RPCM, "status, port_on, port_off, port_reset", false),
        (
            APC,
            "status, statistics, port_on, port_off, port_reset",
            true,
        ),
    ] {
        let out = run(&bin(name), &["-info"], None, &[]);
        let info = Info::parse(&stdout(&out)).expect("an info document");
        assert_eq!(info.device_type, DeviceType::Pdu, "{name}");
        assert_eq!(info.funcs_list(), funcs, "{name}");
        assert_eq!(info.requires(Requirement::CanCollectPower), power, "{name}");
        assert!(info.requires(Requirement::Snmpv1) && info.requires(Requirement::Snmpv2c));
    }
}

#[test]
fn blade_status_on_v1_and_v2c_by_getnext() {
    let pdu = blade14();
    let s = sim("blade-status", &[("bc", &pdu)]);
    for v in [SnmpVersion::V1, SnmpVersion::V2c] {
        let a = on_env(BLADE, &s, v, "bc", Func::Status, None, &[DEBUG]);
        same(
            &format!("status {v}"),
            &a.response().ports,
            &pdu.expected_status(),
        );
        // One multi-varbind GETNEXT per bay and one past the end, on v2c too (no GETBULK).
        assert_eq!(a.requests(), 15, "{v}");
    }
}

#[test]
fn blade_switching_is_read_back() {
    let pdu = blade14()
        .follow(7, Follow::After(2))
        .follow(10, Follow::Through(2, 0));
    let s = sim("blade-switch", &[("bc", &pdu)]);
    let v1 = SnmpVersion::V1;
    let v2 = SnmpVersion::V2c;
    state(&on(BLADE, &s, v1, "bc", Func::PortOff, Some("1")), "1", Off);
    state(&on(BLADE, &s, v2, "bc", Func::PortOn, Some("3")), "3", On);
    // Already on: read, no SET (one GET of bladeExists and the state).
    let a = on_env(BLADE, &s, v2, "bc", Func::PortOn, Some("3"), &[DEBUG]);
    state(&a, "3", On);
    assert_eq!(a.requests(), 1);
    // Off at once: that GET, the SET, one GET that reads it off.
    let a = on_env(BLADE, &s, v1, "bc", Func::PortOff, Some("11"), &[DEBUG]);
    state(&a, "11", Off);
    assert_eq!(a.requests(), 3);
    // Reset: restartBlade, confirmed on; an off blade is switched on.
    state(
        &on(BLADE, &s, v1, "bc", Func::PortReset, Some("4")),
        "4",
        On,
    );
    state(
        &on(BLADE, &s, v2, "bc", Func::PortReset, Some("6")),
        "6",
        On,
    );
    // A blade that takes 2 s: answered once it shows, about 2 s later.
    let a = on(BLADE, &s, v2, "bc", Func::PortOff, Some("7"));
    state(&a, "7", Off);
    assert!(a.elapsed >= Duration::from_millis(1900), "{:?}", a.elapsed);
    // A restart that reads off for 2 s before the blade is back on: off is "not yet".
    let a = on(BLADE, &s, v1, "bc", Func::PortReset, Some("10"));
    state(&a, "10", On);
    assert!(a.elapsed >= Duration::from_millis(1900), "{:?}", a.elapsed);
    let st = on(BLADE, &s, v2, "bc", Func::Status, None);
    assert_eq!(
        admin(&st, 7),
        [
            Some(Off),
            Some(On),
            Some(On),
            Some(On),
            Some(Off),
            Some(On),
            Some(Off)
        ]
    );
}

#[test]
fn blade_errors() {
    let pdu = blade14().follow(8, Follow::Never);
    let s = sim("blade-errors", &[("bc", &pdu)]);
    let v2 = SnmpVersion::V2c;
    let e = on(BLADE, &s, v2, "bc", Func::PortOn, Some("5"));
    let e = e.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(e.text.contains("bay 5 is empty"), "{}", e.text);
    for v in [SnmpVersion::V1, v2] {
        let e = on_env(BLADE, &s, v, "bc", Func::PortOff, Some("99"), &[DEBUG]);
        assert!(
            e.error().text.contains("no blade bay 99"),
            "{}",
            e.error().text
        );
        // v1 refuses the whole GET with noSuchName for bladeExists, then for the state.
        let want = if v == SnmpVersion::V1 { 2 } else { 1 };
        assert_eq!(e.requests(), want, "{v}");
    }
    // An empty bay on v1: one GET answers both objects.
    let e = on_env(
        BLADE,
        &s,
        SnmpVersion::V1,
        "bc",
        Func::PortOn,
        Some("13"),
        &[DEBUG],
    );
    assert!(
        e.error().text.contains("bay 13 is empty"),
        "{}",
        e.error().text
    );
    assert_eq!(e.requests(), 1);
    // Never follows: the device accepted, the outlet did not; inside the confirm limit.
    let started = Instant::now();
    let a = on_env(BLADE, &s, v2, "bc", Func::PortOff, Some("8"), &[CONFIRM_2S]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text
            .contains("accepted the command to switch blade bay 8 off")
            && e.text.contains("did not follow: it still reads on"),
        "{}",
        e.text
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // Wrong community: a connection error inside the deadline.
    let started = Instant::now();
    let a = on_env(BLADE, &s, v2, "nope", Func::Status, None, FAST_FAIL);
    assert_eq!(a.error().error_type, ErrorType::Connection);
    assert!(started.elapsed() < FAIL_WITHIN, "{:?}", started.elapsed());
}

#[test]
fn rpcm_status_and_switching() {
    let pdu = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 24)).follow(9, Follow::Never);
    let s = sim("rpcm", &[("rpcm", &pdu)]);
    for v in [SnmpVersion::V1, SnmpVersion::V2c] {
        let a = on(RPCM, &s, v, "rpcm", Func::Status, None);
        same(
            &format!("status {v}"),
            &a.response().ports,
            &pdu.expected_status(),
        );
    }
    let v2 = SnmpVersion::V2c;
    state(
        &on(RPCM, &s, SnmpVersion::V1, "rpcm", Func::PortOff, Some("1")),
        "1",
        Off,
    );
    state(&on(RPCM, &s, v2, "rpcm", Func::PortOn, Some("3")), "3", On);
    // Reset without a reboot command: off, confirmed, on, confirmed (two SETs).
    let a = on_env(RPCM, &s, v2, "rpcm", Func::PortReset, Some("4"), &[DEBUG]);
    state(&a, "4", On);
    assert!(a.stderr.matches("confirmed").count() >= 2, "{}", a.stderr);
    let e = on(RPCM, &s, v2, "rpcm", Func::PortOn, Some("25"));
    assert!(
        e.error().text.contains("no output 25"),
        "{}",
        e.error().text
    );
    let a = on_env(
        RPCM,
        &s,
        v2,
        "rpcm",
        Func::PortOff,
        Some("8"),
        &[CONFIRM_2S],
    );
    state(&a, "8", Off);
    // Outlet 9 is off (every third) and never follows an on.
    let a = on_env(RPCM, &s, v2, "rpcm", Func::PortOn, Some("9"), &[CONFIRM_2S]);
    assert!(
        a.error().text.contains("still reads off"),
        "{}",
        a.error().text
    );
    let a = on(RPCM, &s, v2, "rpcm", Func::Statistics, None);
    assert_eq!(a.error().error_type, ErrorType::UnexpectedData);
}

#[test]
fn apc_generations_status_statistics_and_switching() {
    let rpdu2 = Pdu::new(Kind::ApcRpdu2 { metered: true }, outlets(Kind::Rpcm, 24))
        .follow(2, Follow::Never)
        .follow(7, Follow::Through(2, 2));
    let plain2 = Pdu::new(Kind::ApcRpdu2 { metered: false }, outlets(Kind::Rpcm, 8));
    let rpdu = Pdu::new(Kind::ApcRpdu, outlets(Kind::Rpcm, 8));
    let ms =
        Pdu::new(Kind::ApcMasterSwitch, outlets(Kind::Rpcm, 8)).follow(5, Follow::Through(2, 3));
    let other = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 4));
    let s = sim(
        "apc",
        &[
            ("rpdu2", &rpdu2),
            ("plain2", &plain2),
            ("rpdu", &rpdu),
            ("ms", &ms),
            ("other", &other),
        ],
    );
    let v1 = SnmpVersion::V1;
    let v2 = SnmpVersion::V2c;
    for (c, pdu) in [
        ("rpdu2", &rpdu2),
        ("plain2", &plain2),
        ("rpdu", &rpdu),
        ("ms", &ms),
    ] {
        for v in [v1, v2] {
            let a = on(APC, &s, v, c, Func::Status, None);
            same(
                &format!("{c} status {v}"),
                &a.response().ports,
                &pdu.expected_status(),
            );
        }
    }
    let a = on(APC, &s, v2, "rpdu2", Func::Statistics, None);
    same(
        "statistics",
        &a.response().ports,
        &rpdu2.expected_statistics(),
    );
    // A switched-only rPDU2: its outlets without power, and one warning that says why.
    let a = on(APC, &s, v2, "plain2", Func::Statistics, None);
    let ids: Vec<&str> = a
        .response()
        .ports
        .iter()
        .map(|p| p.identity.as_str())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert!(a.response().ports.iter().all(|p| p.power.is_none()));
    let warnings: Vec<&str> = a
        .stderr
        .lines()
        .filter(|l| l.contains("does not meter its outlets"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", a.stderr);
    let out = run(
        &bin("dci-harness"),
        &[
            "check",
            &bin(APC).to_string_lossy(),
            "--ip",
            &s.endpoint(),
            "--snmp-ver",
            "v2c",
            "--community-env",
            "COMM",
        ],
        None,
        &[("COMM", "plain2")],
    );
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(
        report.lines().any(|l| l.starts_with("pass")
            && l.contains("statistics")
            && l.contains("does not meter")),
        "{report}"
    );
    let a = on(APC, &s, v2, "other", Func::Status, None);
    assert!(
        a.error().text.contains("none of the APC outlet tables"),
        "{}",
        a.error().text
    );
    // Off at once: one GET per generation tried (newest first; the last also reads the
    // state), the SET, one GET that reads it off.
    for (c, tried) in [("rpdu2", 1), ("rpdu", 2), ("ms", 3)] {
        let a = on_env(APC, &s, v1, c, Func::PortOff, Some("1"), &[DEBUG]);
        state(&a, "1", Off);
        assert_eq!(a.requests(), tried + 2, "{c}");
        state(&on(APC, &s, v2, c, Func::PortOn, Some("3")), "3", On);
        state(&on(APC, &s, v2, c, Func::PortReset, Some("4")), "4", On);
        state(&on(APC, &s, v2, c, Func::PortReset, Some("6")), "6", On);
        let a = on(APC, &s, v2, c, Func::Status, None);
        assert_eq!(
            admin(&a, 4),
            [Some(Off), Some(On), Some(On), Some(On)],
            "{c}"
        );
    }
    // An rPDU2 reboot that still reads on for 2 s while rPDU2OutletSwitchedStatusCommandPending
    // reads commandPending(1): not confirmed until the device says it is done.
    let a = on_env(APC, &s, v2, "rpdu2", Func::PortReset, Some("7"), &[DEBUG]);
    state(&a, "7", On);
    assert!(a.elapsed >= Duration::from_millis(1900), "{:?}", a.elapsed);
    assert!(a.stderr.contains("a command is pending"), "{}", a.stderr);
    // A reboot written by someone else a moment ago, still pending (the outlet reads on):
    // port_on must not take that "on" for done; it switches on and waits for the PDU.
    let mut reboot = s.net_snmp("snmpset");
    reboot
        .args(["-v2c", "-c", "rpdu2", "-r", "0", "-t", "5"])
        .arg(format!("127.0.0.1:{}", s.port()))
        .args(["1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.7", "i", "3"]);
    let out = reboot.output().expect("run snmpset");
    assert!(
        out.status.success(),
        "snmpset: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = on_env(APC, &s, v2, "rpdu2", Func::PortOn, Some("7"), &[DEBUG]);
    state(&a, "7", On);
    assert!(a.elapsed >= Duration::from_millis(1500), "{:?}", a.elapsed);
    assert!(a.requests() >= 3, "{} requests: no SET?", a.requests());
    // sPDUOutletCtl reads outletReboot(3) for 2 s after the reboot: transitional, not yet.
    let a = on(APC, &s, v2, "ms", Func::PortReset, Some("5"));
    state(&a, "5", On);
    assert!(a.elapsed >= Duration::from_millis(1900), "{:?}", a.elapsed);
    let a = on_env(
        APC,
        &s,
        v2,
        "rpdu2",
        Func::PortOff,
        Some("2"),
        &[CONFIRM_2S],
    );
    assert!(
        a.error()
            .text
            .contains("outlet 2 off, but the outlet did not follow"),
        "{}",
        a.error().text
    );
    let a = on(APC, &s, v2, "rpdu2", Func::PortOn, Some("40"));
    assert!(
        a.error().text.contains("no switched outlet 40"),
        "{}",
        a.error().text
    );
}

#[test]
fn dci_harness_check_passes_on_every_pdu() {
    let blade = blade14();
    let rpcm = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 8));
    let apc = Pdu::new(Kind::ApcRpdu2 { metered: true }, outlets(Kind::Rpcm, 8));
    let s = sim("check", &[("bc", &blade), ("rpcm", &rpcm), ("apc", &apc)]);
    for (handler, community, version) in [
        (BLADE, "bc", "v1"),
        (RPCM, "rpcm", "v2c"),
        (APC, "apc", "v2c"),
    ] {
        let out = run(
            &bin("dci-harness"),
            &[
                "check",
                &bin(handler).to_string_lossy(),
                "--ip",
                &s.endpoint(),
                "--snmp-ver",
                version,
                "--community-env",
                "COMM",
                "--port",
                "1",
            ],
            None,
            &[("COMM", community)],
        );
        let report = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{handler}:\n{report}");
        for step in ["-info", "status", "port_off 1", "port_on 1"] {
            assert!(
                report
                    .lines()
                    .any(|l| l.starts_with("pass") && l.contains(step)),
                "{handler}: no passed step {step}:\n{report}"
            );
        }
        assert!(!report.contains("FAIL"), "{handler}:\n{report}");
    }
}

#[test]
fn wrong_community_is_a_connection_error_inside_the_deadline() {
    let pdu = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 2));
    let s = sim("community", &[("right", &pdu)]);
    for (handler, func, id) in [
        (RPCM, Func::Status, None),
        (RPCM, Func::PortOff, Some("1")),
        (APC, Func::Statistics, None),
        (APC, Func::PortReset, Some("1")),
        (BLADE, Func::PortOn, Some("1")),
    ] {
        let started = Instant::now();
        let a = on_env(handler, &s, SnmpVersion::V2c, "wrong", func, id, FAST_FAIL);
        assert_eq!(
            a.error().error_type,
            ErrorType::Connection,
            "{handler} {func}"
        );
        assert!(
            started.elapsed() < FAIL_WITHIN,
            "{handler} {func}: {:?}",
            started.elapsed()
        );
    }
}

/// SNMPv3 reaches the PDU handlers' walks (GETBULK for apc-pdu and rpcm-pdu, GETNEXT for
/// ibm-blade-pdu) against net-snmp's snmpd, which has none of their MIBs: each answers the clear
/// "has none of" error, not a hang or a connection error. Read-only: nothing is written.
#[test]
fn v3_against_snmpd_ends_the_walks_with_a_clear_error() {
    let agent = e2e::agents::Snmpd::start();
    let user = &e2e::agents::Snmpd::v3_writer();
    let target = crate::cisco_switch_snmpd::v3(&agent.endpoint(), user);
    for handler in [BLADE, RPCM, APC] {
        let a = call_bin(handler, &target, Func::Status, None, &[DEBUG]);
        let e = a.error();
        assert_eq!(
            e.error_type,
            ErrorType::UnexpectedData,
            "{handler}: {}",
            e.text
        );
        assert!(e.text.contains("has none of the"), "{handler}: {}", e.text);
        assert!(a.requests() <= 3, "{handler}: {} requests", a.requests());
    }
}

/// Every function of the three handlers on SNMPv3: net-snmp's snmpd authenticates the handler's
/// user (authNoPriv to read, authPriv to read and write) and forwards each PDU's enterprise
/// subtree to snmpsim, where the outlets follow their commands as on v1 and v2c. Every answer is
/// compared with the generator's model; a bay that takes 2 s is confirmed after 2 s.
#[test]
fn every_function_on_v3_through_snmpd() {
    let blade = blade14().follow(7, Follow::After(2));
    let rpcm = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 24));
    let apc = Pdu::new(Kind::ApcRpdu2 { metered: true }, outlets(Kind::Rpcm, 24));
    let s = sim("v3", &[("bc", &blade), ("rpcm", &rpcm), ("apc", &apc)]);
    let agent = e2e::agents::Snmpd::start_proxy(
        &s.endpoint(),
        &[
            ("bc", ".1.3.6.1.4.1.2.3.51"),
            ("rpcm", ".1.3.6.1.4.1.46235"),
            ("apc", ".1.3.6.1.4.1.318"),
        ],
    );
    let users = e2e::agents::Snmpd::v3_users();
    let reader = users
        .iter()
        .find(|u| u.level == dci_protocol::AuthLevel::AuthNoPriv)
        .expect("an authNoPriv user");
    let writer = &e2e::agents::Snmpd::v3_writer();
    let read = crate::cisco_switch_snmpd::v3(&agent.endpoint(), reader);
    let write = crate::cisco_switch_snmpd::v3(&agent.endpoint(), writer);
    for (handler, pdu) in [(BLADE, &blade), (RPCM, &rpcm), (APC, &apc)] {
        for (who, target) in [(&reader.user, &read), (&writer.user, &write)] {
            let a = call_bin(handler, target, Func::Status, None, &[]);
            same(
                &format!("{handler} status as {who}"),
                &a.response().ports,
                &pdu.expected_status(),
            );
        }
        let id = |n: &str| Some(port(n));
        let a = call_bin(handler, &write, Func::PortOff, id("1"), &[]);
        state(&a, "1", Off);
        let a = call_bin(handler, &write, Func::PortOn, id("3"), &[]);
        state(&a, "3", On);
        let a = call_bin(handler, &write, Func::PortReset, id("4"), &[]);
        state(&a, "4", On);
        let a = call_bin(handler, &write, Func::Status, None, &[]);
        let got = admin(&a, 4);
        assert_eq!(got, [Some(Off), Some(On), Some(On), Some(On)], "{handler}");
        // A read-only user may not switch: snmpd refuses the SET, nothing is reported done.
        let a = call_bin(handler, &read, Func::PortOff, id("2"), &[]);
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::UnexpectedData, "{handler}");
        assert!(
            e.text.contains("answered noAccess for"),
            "{handler}: {}",
            e.text
        );
    }
    let a = call_bin(APC, &write, Func::Statistics, None, &[]);
    same(
        "apc-pdu statistics on v3",
        &a.response().ports,
        &apc.expected_statistics(),
    );
    let a = call_bin(BLADE, &write, Func::PortOff, Some(port("7")), &[]);
    state(&a, "7", Off);
    assert!(a.elapsed >= Duration::from_millis(1900), "{:?}", a.elapsed);
}

/// A profile file tried with `DCIH_PDU_PROFILE`, as a vendor would: the APC rPDU2 profile
/// (`handlers/apc-pdu/apc-rpdu2.toml`) run by `rpcm-pdu`'s binary (the profile
/// engine) against a metered rPDU2 PDU, every answer compared with the PowerNet-MIB model: names,
/// the command-pending column, the PDU's own reboot command, watts with -1 left out.
#[test]
fn a_profile_file_drives_another_family() {
    let profile = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../handlers/apc-pdu/apc-rpdu2.toml"
    );
    let env: &[(&str, &str)] = &[("DCIH_PDU_PROFILE", profile)];
    let rpdu2 = Pdu::new(Kind::ApcRpdu2 { metered: true }, outlets(Kind::Rpcm, 24))
        .follow(7, Follow::Through(2, 2));
    let s = sim("profile-file", &[("rpdu2", &rpdu2)]);
    let out = run(&bin(RPCM), &["-info"], None, env);
    let info = Info::parse(&stdout(&out)).expect("an info document");
    assert_eq!(
        info.name,
        "APC switched and metered PDU (SNMP, dcihandlers)"
    );
    assert_eq!(
        info.funcs_list(),
        "status, statistics, port_on, port_off, port_reset"
    );
    assert!(info.requires(Requirement::CanCollectPower));
    let v2 = SnmpVersion::V2c;
    for v in [SnmpVersion::V1, v2] {
        let a = on_env(RPCM, &s, v, "rpdu2", Func::Status, None, env);
        same(
            &format!("status {v}"),
            &a.response().ports,
            &rpdu2.expected_status(),
        );
    }
    let a = on_env(RPCM, &s, v2, "rpdu2", Func::Statistics, None, env);
    same(
        "statistics",
        &a.response().ports,
        &rpdu2.expected_statistics(),
    );
    state(
        &on_env(RPCM, &s, v2, "rpdu2", Func::PortOff, Some("1"), env),
        "1",
        Off,
    );
    state(
        &on_env(RPCM, &s, v2, "rpdu2", Func::PortOn, Some("1"), env),
        "1",
        On,
    );
    // Outlet 7 takes 2 s, reading transitional meanwhile: the reboot command, confirmed on.
    let mut long = env.to_vec();
    long.push(DEBUG);
    let a = on_env(RPCM, &s, v2, "rpdu2", Func::PortReset, Some("7"), &long);
    state(&a, "7", On);
    let e = on_env(RPCM, &s, v2, "rpdu2", Func::PortOn, Some("99"), env);
    assert!(
        e.error().text.contains("has no switched outlet 99"),
        "{}",
        e.error().text
    );
}

#[test]
fn a_wrong_profile_file_is_an_error_naming_its_line() {
    let dir = data_dir("bad-profile");
    let path = dir.file(
        "bad.toml",
        "[profile]\nid = \"x\"\nname = \"X\"\nmib = \"M\"\ncolour = \"red\"\n",
    );
    let path = path.to_string_lossy().into_owned();
    let pdu = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 4));
    let s = sim("bad-profile", &[("rpcm", &pdu)]);
    let a = on_env(
        RPCM,
        &s,
        SnmpVersion::V2c,
        "rpcm",
        Func::Status,
        None,
        &[("DCIH_PDU_PROFILE", &path)],
    );
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text
            .contains("bad.toml, line 5, colour: unknown field `colour`"),
        "{}",
        e.text
    );
}
