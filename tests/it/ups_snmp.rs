//! `ups-snmp` end to end: the real executable against snmpsim serving UPS recordings generated
//! from the MIBs (`e2e::upses`), on SNMP v1 and v2c, and on SNMPv3 through net-snmp's snmpd;
//! every answer compared with the generator's readings, in DCImanager's order, with what the
//! UPS does not give absent.

use dci_protocol::{DeviceType, EqValue, ErrorType, Func, Info, Requirement, SnmpVersion};
use e2e::agents::{Snmpd, Snmpsim};
use e2e::upses::{self, Ups};
use e2e::{Scratch, bin, run, stdout};

use crate::cisco_switch::{Answer, Target, call_bin, data_dir};
use crate::pdus::DEBUG;

const UPS: &str = "ups-snmp";

/// snmpsim serving `upses` (community → UPS).
fn sim(name: &str, upses: &[(&str, &Ups)]) -> Snmpsim {
    let data = data_dir(&format!("ups-{name}"));
    for (community, u) in upses {
        u.recording.write(data.dir(), community);
    }
    Snmpsim::start(data.dir())
}

fn status(target: &Target, env: &[(&str, &str)]) -> Answer {
    call_bin(UPS, target, Func::Status, None, env)
}

/// The answer's readings: `device_status` and every float, in order.
#[track_caller]
fn readings(a: &Answer) -> (String, Vec<(String, f64)>) {
    let mut params = a.response().params.clone().into_iter();
    let first = params.next().expect("a device_status");
    assert_eq!(first.name, "device_status", "{}", a.what);
    let EqValue::Str(level) = first.value else {
        panic!("{}: device_status is not a string", a.what)
    };
    let floats = params
        .map(|p| match p.value {
            EqValue::Float(f) => (p.name, f),
            EqValue::Str(s) => panic!("{}: {} is the string {s}", a.what, p.name),
        })
        .collect();
    (level, floats)
}

/// The answer is what the generator says of `u`.
#[track_caller]
fn same(what: &str, a: &Answer, u: &Ups) {
    let (level, got) = readings(a);
    assert_eq!(level, u.status, "{what}: {}: device_status", u.what);
    let want: Vec<(String, f64)> = u
        .readings
        .iter()
        .map(|(n, v)| ((*n).to_owned(), *v))
        .collect();
    let names = |r: &[(String, f64)]| r.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "{what}: {}: readings", u.what);
    for ((n, g), (_, w)) in got.iter().zip(&want) {
        assert!(
            (g - w).abs() < 1e-9,
            "{what}: {}: {n} = {g}, not {w}",
            u.what
        );
    }
}

fn fixtures() -> Vec<(&'static str, Ups)> {
    let mut all = vec![
        ("single", upses::single_phase()),
        ("three", upses::three_phase()),
        ("battery-low", upses::on_battery_low()),
        ("apc", upses::apc_smart_ups()),
        ("apc3", upses::apc_three_phase()),
        ("eaton", upses::eaton_xups()),
    ];
    all.extend(upses::quirks());
    all
}

#[test]
fn info_declares_a_ups_on_snmp_that_collects_power() {
    let out = run(&bin(UPS), &["-info"], None, &[]);
    let info = Info::parse(&stdout(&out)).expect("an info document");
    assert_eq!(info.device_type, DeviceType::Ups);
    assert_eq!(info.name, "UPS (SNMP, dcihandlers)");
    assert_eq!(info.funcs_list(), "status");
    for r in [
        Requirement::Snmpv1,
        Requirement::Snmpv2c,
        Requirement::Snmpv3,
        Requirement::CanCollectPower,
    ] {
        assert!(info.requires(r), "{r:?}");
    }
}

#[test]
fn every_ups_and_every_quirk_on_v1_and_v2c() {
    let all = fixtures();
    let served: Vec<(&str, &Ups)> = all.iter().map(|(c, u)| (*c, u)).collect();
    let s = sim("all", &served);
    for (community, u) in &all {
        for v in [SnmpVersion::V1, SnmpVersion::V2c] {
            let a = status(&Target::community(&s.endpoint(), v, community), &[]);
            same(&format!("{community} {v}"), &a, u);
        }
    }
}

#[test]
fn each_state_gives_its_level() {
    let all: Vec<(String, Ups)> = (0..upses::UPS_MIB_STATES.len())
        .map(|k| (format!("state{k}"), upses::in_state(k)))
        .collect();
    let served: Vec<(&str, &Ups)> = all.iter().map(|(c, u)| (c.as_str(), u)).collect();
    let s = sim("states", &served);
    for (community, u) in &all {
        let a = status(
            &Target::community(&s.endpoint(), SnmpVersion::V2c, community),
            &[],
        );
        same(community, &a, u);
    }
}

/// One GET on v2c whichever MIBs the UPS speaks; on v1, whose agent refuses a GET for its
/// first missing object, that GET and a GETNEXT for the rest, and one more for the objects
/// past the end of its MIB.
#[test]
fn one_request_on_v2c_and_three_on_v1() {
    let (three, apc) = (upses::three_phase(), upses::apc_smart_ups());
    let s = sim("cost", &[("three", &three), ("apc", &apc)]);
    for (community, u) in [("three", &three), ("apc", &apc)] {
        for (v, requests) in [(SnmpVersion::V2c, 1), (SnmpVersion::V1, 3)] {
            let a = status(&Target::community(&s.endpoint(), v, community), &[DEBUG]);
            same(&format!("{community} {v}"), &a, u);
            assert_eq!(a.requests(), requests, "{community} {v}: {}", a.stderr);
        }
    }
}

#[test]
fn on_v3_through_snmpd() {
    let (three, apc, eaton, huawei) = (
        upses::three_phase(),
        upses::apc_smart_ups(),
        upses::eaton_xups(),
        upses::quirks()
            .into_iter()
            .find(|(c, _)| *c == "huawei")
            .expect("the Huawei quirk")
            .1,
    );
    let ups = [
        ("three", &three),
        ("apc", &apc),
        ("eaton", &eaton),
        ("huawei", &huawei),
    ];
    let s = sim("v3", &ups);
    let user = &Snmpd::v3_writer();
    for (community, u) in ups {
        let subtrees: Vec<String> = u.subtrees().iter().map(|t| format!(".{t}")).collect();
        let forward: Vec<(&str, &str)> = subtrees.iter().map(|t| (community, t.as_str())).collect();
        let agent = Snmpd::start_proxy(&s.endpoint(), &forward);
        let a = status(&crate::cisco_switch_snmpd::v3(&agent.endpoint(), user), &[]);
        same(&format!("{community} v3"), &a, u);
    }
}

#[test]
fn what_is_left_out_is_logged_with_the_reason() {
    let all = upses::quirks();
    let (c, u) = all
        .iter()
        .find(|(c, _)| *c == "zero-runtime-full")
        .expect("the quirk");
    let s = sim("log", &[(c, u)]);
    let a = status(
        &Target::community(&s.endpoint(), SnmpVersion::V2c, c),
        &[("RUST_LOG", "info")],
    );
    same("log", &a, u);
    assert!(
        a.stderr.contains(
            "battary_time_remains left out: 1.3.6.1.2.1.33.1.2.3.0 not available (0 while 1.3.6.1.2.1.33.1.2.4.0 in [100])"
        ),
        "{}",
        a.stderr
    );
    assert!(
        a.stderr.contains("input_power_line_B left out"),
        "{}",
        a.stderr
    );
}

#[test]
fn a_device_without_ups_mibs_is_refused_by_name() {
    let mut not_ups = e2e::snmprec::Snmprec::new();
    not_ups.add(
        "1.3.6.1.2.1.1.2.0",
        e2e::snmprec::Value::Oid("1.3.6.1.4.1.9.1.1".into()),
    );
    let data = data_dir("ups-none");
    not_ups.write(data.dir(), "switch");
    let s = Snmpsim::start(data.dir());
    let a = status(
        &Target::community(&s.endpoint(), SnmpVersion::V2c, "switch"),
        &[],
    );
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("has none of the UPS objects")
            && e.text.contains("UPS-MIB (RFC 1628) 1.3.6.1.2.1.33.1.4.1.0"),
        "{}",
        e.text
    );
}

#[test]
fn a_profile_file_replaces_the_compiled_ones() {
    let u = upses::single_phase();
    let s = sim("file", &[("single", &u)]);
    let target = Target::community(&s.endpoint(), SnmpVersion::V2c, "single");
    let dir = Scratch::new("ups-profile");
    // The UPS-MIB profile with only its status rules and the voltage.
    let text = include_str!("../../handlers/ups-snmp/ups-mib.toml");
    let cut = text
        .find("[[readings.output_load]]")
        .expect("a load reading");
    let rest = &text[text.find("# upsOutputSource:").expect("the status rules")..];
    let file = dir.path("mine.toml");
    std::fs::write(&file, format!("{}{rest}", &text[..cut])).unwrap();
    let a = status(&target, &[("DCIH_UPS_PROFILE", file.to_str().unwrap())]);
    let (level, got) = readings(&a);
    assert_eq!(level, "OK");
    assert_eq!(got, [("input_voltage_line_A".to_owned(), 231.0)]);
    // A wrong file is an error naming its line and field.
    std::fs::write(&file, text.replace("unit = \"W\"", "unit = \"V\"")).unwrap();
    let a = status(&target, &[("DCIH_UPS_PROFILE", file.to_str().unwrap())]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("mine.toml, line ")
            && e.text
                .contains("readings.output_power[0].unit: Volt does not measure output_power"),
        "{}",
        e.text
    );
}
