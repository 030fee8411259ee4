//! `eaton-pdu`, `raritan-pdu` and `servertech-pdu`, the handlers that are only device profiles,
//! end to end: the real executables against snmpsim serving recordings generated from the MIBs
//! (`e2e::pdus`), every answer compared with the generator's model. Each family is driven
//! through the same steps on SNMP v1 and v2c: status, statistics, an outlet that follows at
//! once, one that follows after 2 s (reading its family's "on its way" value meanwhile, where it
//! has one), one that never follows, one the PDU says cannot be switched, and a reset with the
//! PDU's own command; then every handler on SNMPv3 through net-snmp's snmpd.

use std::time::Duration;

use dci_protocol::PortStatus::{Off, On};
use dci_protocol::{DeviceType, ErrorType, Func, Info, Requirement, SnmpVersion};
use e2e::pdus::{Follow, Kind, Pdu, outlets};
use e2e::{bin, run, stdout};

use crate::cisco_switch::{call_bin, port};
use crate::pdus::{CONFIRM_2S, admin, on, on_env, same, sim, state};

const EATON: &str = "eaton-pdu";
const RARITAN: &str = "raritan-pdu";
const SERVERTECH: &str = "servertech-pdu";

/// A 24-outlet PDU of `kind` (every third outlet off): outlet 3 follows after 2 s, reading
/// `meanwhile` if given; 6 never follows; 5 cannot be switched (where the MIB says so); 7 sends
/// "not available" for its watts (where the MIB has such a value).
fn pdu(kind: Kind, meanwhile: Option<i32>, fixed: bool, unmetered: bool) -> Pdu {
    let mut p = Pdu::new(kind, outlets(kind, 24))
        .follow(
            3,
            meanwhile.map_or(Follow::After(2), |v| Follow::Through(2, v)),
        )
        .follow(6, Follow::Never);
    if fixed {
        p = p.fixed(5);
    }
    if unmetered {
        p = p.unmetered(7);
    }
    p
}

#[test]
fn info_declares_metered_switched_pdus() {
    for (name, title) in [
        (EATON, "Eaton ePDU (SNMP, dcihandlers)"),
        (RARITAN, "Raritan PDU (SNMP, dcihandlers)"),
        (SERVERTECH, "ServerTech Sentry PDU (SNMP, dcihandlers)"),
    ] {
        let out = run(&bin(name), &["-info"], None, &[]);
        let info = Info::parse(&stdout(&out)).expect("an info document");
        assert_eq!(info.device_type, DeviceType::Pdu, "{name}");
        assert_eq!(info.name, title);
        assert_eq!(
            info.funcs_list(),
            "status, statistics, port_on, port_off, port_reset",
            "{name}"
        );
        assert!(info.requires(Requirement::CanCollectPower), "{name}");
        for v in [
            Requirement::Snmpv1,
            Requirement::Snmpv2c,
            Requirement::Snmpv3,
        ] {
            assert!(info.requires(v), "{name}");
        }
    }
}

/// Every step on one PDU served under `community`.
fn drive(handler: &str, s: &e2e::agents::Snmpsim, community: &str, p: &Pdu, fixed: bool) {
    let c = community;
    let (v1, v2) = (SnmpVersion::V1, SnmpVersion::V2c);
    for v in [v1, v2] {
        let a = on(handler, s, v, c, Func::Status, None);
        same(
            &format!("{c} status {v}"),
            &a.response().ports,
            &p.expected_status(),
        );
    }
    let a = on(handler, s, v2, c, Func::Statistics, None);
    same(
        &format!("{c} statistics"),
        &a.response().ports,
        &p.expected_statistics(),
    );
    let id = |n: u32| p.identity(n);
    state(
        &on(handler, s, v1, c, Func::PortOff, Some(&id(1))),
        &id(1),
        Off,
    );
    let a = on(handler, s, v2, c, Func::PortOn, Some(&id(3)));
    state(&a, &id(3), On);
    assert!(
        a.elapsed >= Duration::from_millis(1900),
        "{c}: {:?}",
        a.elapsed
    );
    let a = on(handler, s, v2, c, Func::PortReset, Some(&id(4)));
    state(&a, &id(4), On);
    let a = on_env(handler, s, v2, c, Func::PortOn, Some(&id(6)), &[CONFIRM_2S]);
    // "still reads off", or on a Sentry4, whose control state says pendOn all along, "still
    // reads a transitional state".
    assert!(
        a.error()
            .text
            .contains("but the outlet did not follow: it still reads"),
        "{c}: {}",
        a.error().text
    );
    if fixed {
        let a = on(handler, s, v2, c, Func::PortOff, Some(&id(5)));
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::UnexpectedData, "{c}");
        assert!(e.text.contains("cannot be switched"), "{c}: {}", e.text);
        // Refused before any SET: it is still on.
        let a = on(handler, s, v2, c, Func::Status, None);
        assert_eq!(admin(&a, 5)[4], Some(On), "{c}");
    }
}

#[test]
fn eaton_alone_and_chained() {
    // pendingOn(3) while outlet 3's command is on its way.
    let alone = pdu(Kind::Eaton { units: 1 }, Some(3), true, true);
    let chain = Pdu::new(Kind::Eaton { units: 2 }, outlets(Kind::Rpcm, 24));
    let s = sim("eaton", &[("eaton", &alone), ("chain", &chain)]);
    drive(EATON, &s, "eaton", &alone, true);
    // Two units: outlets are unit.outlet, the master's unit 0.
    let v2 = SnmpVersion::V2c;
    let a = on(EATON, &s, v2, "chain", Func::Status, None);
    same(
        "chain status",
        &a.response().ports,
        &chain.expected_status(),
    );
    assert_eq!(a.response().ports[12].identity, "1.1");
    state(
        &on(EATON, &s, v2, "chain", Func::PortOff, Some("1.2")),
        "1.2",
        Off,
    );
    let a = on(EATON, &s, v2, "chain", Func::Status, None);
    assert_eq!(a.response().ports[13].admin_status, Some(Off));
    assert_eq!(
        a.response().ports[1].admin_status,
        Some(On),
        "unit 0 untouched"
    );
    let e = on(EATON, &s, v2, "chain", Func::PortOn, Some("2.1"));
    assert!(
        e.error().text.contains("has no outlet 2.1"),
        "{}",
        e.error().text
    );
}

#[test]
fn raritan_pdu2_px_and_the_sensor_fallback() {
    let pdu2 = pdu(Kind::RaritanPdu2 { switching: true }, None, true, false);
    // cycling(2) while outlet 3's command is on its way.
    let px = pdu(Kind::RaritanPx, Some(2), false, false);
    let sensor = Pdu::new(
        Kind::RaritanPdu2 { switching: false },
        outlets(Kind::Rpcm, 8),
    );
    let s = sim(
        "raritan",
        &[("pdu2", &pdu2), ("px", &px), ("sensor", &sensor)],
    );
    drive(RARITAN, &s, "pdu2", &pdu2, true);
    drive(RARITAN, &s, "px", &px, false);
    // No switching state: the on/off sensor says.
    let a = on(RARITAN, &s, SnmpVersion::V2c, "sensor", Func::Status, None);
    same(
        "sensor status",
        &a.response().ports,
        &sensor.expected_status(),
    );
}

#[test]
fn servertech_sentry4_and_sentry3() {
    // Sentry4: the control state reads pendOn(8) meanwhile; Sentry3: onWait(3).
    let st4 = pdu(Kind::Sentry4, None, true, true);
    let st3 = pdu(Kind::Sentry3, Some(3), true, true);
    let s = sim("servertech", &[("st4", &st4), ("st3", &st3)]);
    drive(SERVERTECH, &s, "st4", &st4, true);
    drive(SERVERTECH, &s, "st3", &st3, true);
    let a = on(SERVERTECH, &s, SnmpVersion::V2c, "st3", Func::Status, None);
    assert_eq!(
        a.response().ports[8].identity,
        "1.2.1",
        "infeed 2's first outlet"
    );
    let e = on(
        SERVERTECH,
        &s,
        SnmpVersion::V2c,
        "st4",
        Func::PortOn,
        Some("3"),
    );
    assert!(
        e.error().text.contains("not an outlet identity"),
        "{}",
        e.error().text
    );
}

#[test]
fn every_profile_handler_on_v3_through_snmpd() {
    let eaton = Pdu::new(Kind::Eaton { units: 1 }, outlets(Kind::Rpcm, 24));
    let raritan = Pdu::new(
        Kind::RaritanPdu2 { switching: true },
        outlets(Kind::Rpcm, 24),
    );
    let sentry = Pdu::new(Kind::Sentry4, outlets(Kind::Rpcm, 24));
    let s = sim(
        "profile-v3",
        &[
            ("eaton", &eaton),
            ("raritan", &raritan),
            ("sentry", &sentry),
        ],
    );
    let agent = e2e::agents::Snmpd::start_proxy(
        &s.endpoint(),
        &[
            ("eaton", ".1.3.6.1.4.1.534"),
            ("raritan", ".1.3.6.1.4.1.13742"),
            ("sentry", ".1.3.6.1.4.1.1718"),
        ],
    );
    let writer = &e2e::agents::Snmpd::v3_writer();
    let write = crate::cisco_switch_snmpd::v3(&agent.endpoint(), writer);
    for (handler, p) in [(EATON, &eaton), (RARITAN, &raritan), (SERVERTECH, &sentry)] {
        let a = call_bin(handler, &write, Func::Status, None, &[]);
        same(
            &format!("{handler} status on v3"),
            &a.response().ports,
            &p.expected_status(),
        );
        let a = call_bin(handler, &write, Func::Statistics, None, &[]);
        same(
            &format!("{handler} statistics on v3"),
            &a.response().ports,
            &p.expected_statistics(),
        );
        let one = p.identity(1);
        let a = call_bin(handler, &write, Func::PortOff, Some(port(&one)), &[]);
        state(&a, &one, Off);
        let a = call_bin(handler, &write, Func::PortOn, Some(port(&one)), &[]);
        state(&a, &one, On);
    }
}
