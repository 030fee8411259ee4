//! The DCImanager 6 extension of `statistics`: a request with `<readings>current energy</readings>`
//! gets each outlet's current (A) and energy (kWh) beside the watts, where the PDU's MIB has
//! them; a DCImanager 5 request gets exactly the bytes it always got. The real executables
//! against snmpsim serving the MIB-generated PDUs of `e2e::pdus`, compared with its model.

use dci_protocol::{ErrorType, Func, PortState, Readings, Request, SnmpVersion};
use e2e::pdus::{Kind, Pdu, outlets};
use e2e::{bin, run, stdout};

use crate::cisco_switch::{Answer, Target, call_request};
use crate::pdus::sim;

const BOTH: Readings = Readings {
    current: true,
    energy: true,
};

fn statistics(handler: &str, endpoint: &str, community: &str, readings: Readings) -> Answer {
    let target = Target::community(endpoint, SnmpVersion::V2c, community);
    let mut request = Request::new(Func::Statistics);
    request.device = target.device.clone();
    request.readings = readings;
    call_request(handler, &target, &request, &[])
}

/// The same ports, the readings equal to a millionth (they are scaled floats).
#[track_caller]
fn same_readings(what: &str, got: &[PortState], want: &[PortState]) {
    assert_eq!(got.len(), want.len(), "{what}: ports\n got {got:#?}");
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
        (a, b) => a == b,
    };
    for (g, w) in got.iter().zip(want) {
        assert!(
            g.identity == w.identity
                && close(g.power, w.power)
                && close(g.current, w.current)
                && close(g.energy, w.energy)
                && g.admin_status.is_none(),
            "{what}: port {}\n got {g:?}\nwant {w:?}",
            w.identity
        );
    }
}

#[test]
fn every_family_adds_current_and_energy_when_asked() {
    let families: [(&str, &str, Pdu); 7] = [
        (
            "eaton-pdu",
            "eaton",
            Pdu::new(Kind::Eaton { units: 2 }, outlets(Kind::Rpcm, 8)).unmetered(3),
        ),
        (
            "raritan-pdu",
            "pdu2",
            Pdu::new(
                Kind::RaritanPdu2 { switching: true },
                outlets(Kind::Rpcm, 8),
            ),
        ),
        (
            "raritan-pdu",
            "px",
            Pdu::new(Kind::RaritanPx, outlets(Kind::Rpcm, 8)),
        ),
        (
            "servertech-pdu",
            "st4",
            Pdu::new(Kind::Sentry4, outlets(Kind::Rpcm, 10)).unmetered(2),
        ),
        (
            "servertech-pdu",
            "st3",
            Pdu::new(Kind::Sentry3, outlets(Kind::Rpcm, 10)),
        ),
        (
            "rpcm-pdu",
            "rpcm",
            Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 12)),
        ),
        (
            "apc-pdu",
            "apc",
            Pdu::new(Kind::ApcRpdu2 { metered: true }, outlets(Kind::Rpcm, 8)),
        ),
    ];
    let served: Vec<(&str, &Pdu)> = families.iter().map(|(_, c, p)| (*c, p)).collect();
    let s = sim("readings", &served);
    for (handler, community, pdu) in &families {
        let a = statistics(handler, &s.endpoint(), community, BOTH);
        same_readings(
            &format!("{handler} {community}"),
            &a.response().ports,
            &pdu.expected_readings(),
        );
    }
    // One reading asked: only that one comes.
    let (_, _, eaton) = &families[0];
    let a = statistics(
        "eaton-pdu",
        &s.endpoint(),
        "eaton",
        "energy".parse().unwrap(),
    );
    let mut want = eaton.expected_readings();
    want.iter_mut().for_each(|p| p.current = None);
    same_readings("eaton-pdu energy", &a.response().ports, &want);
}

/// The RPCM meters current but not watts: its `-info` declares no `statistics` (DCImanager 5
/// would have nothing to show), yet DCImanager 6's request for current is served; without
/// `<readings>` the function is refused as before.
#[test]
fn a_pdu_without_watts_answers_the_readings_it_has() {
    let pdu = Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 4));
    let s = sim("rpcm-readings", &[("rpcm", &pdu)]);
    let a = statistics("rpcm-pdu", &s.endpoint(), "rpcm", BOTH);
    same_readings("rpcm", &a.response().ports, &pdu.expected_readings());
    let a = statistics("rpcm-pdu", &s.endpoint(), "rpcm", "energy".parse().unwrap());
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("'statistics' is not supported"),
        "{}",
        e.text
    );
    let a = statistics("rpcm-pdu", &s.endpoint(), "rpcm", Readings::NONE);
    assert_eq!(a.error().error_type, ErrorType::UnexpectedData);
}

/// DCImanager 5 sends no `<readings>`: the answer is the same bytes as before the extension.
#[test]
fn dcimanager5_statistics_are_the_same_bytes_as_before() {
    let pdu = Pdu::new(Kind::Eaton { units: 1 }, outlets(Kind::Rpcm, 3)).unmetered(2);
    let s = sim("readings-dci5", &[("eaton", &pdu)]);
    let target = Target::community(&s.endpoint(), SnmpVersion::V2c, "eaton");
    let mut request = Request::new(Func::Statistics);
    request.device = target.device.clone();
    let out = run(
        &bin("eaton-pdu"),
        &[],
        Some(request.to_xml().as_bytes()),
        &[],
    );
    assert_eq!(
        stdout(&out),
        "<doc>\n <port>\n  <identity>1</identity>\n  <power>47</power>\n </port>\n \
         <port>\n  <identity>2</identity>\n </port>\n \
         <port>\n  <identity>3</identity>\n  <power>0</power>\n </port>\n</doc>\n"
    );
}

#[test]
fn readings_belong_to_statistics_only() {
    let text = "<doc><func>status</func><device_params><ip>127.0.0.1</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>c</snmp_community></device_params><readings>current</readings></doc>";
    let out = run(&bin("eaton-pdu"), &[], Some(text.as_bytes()), &[]);
    let got = stdout(&out);
    assert!(
        got.contains("readings: only 'statistics' takes this element"),
        "{got}"
    );
    let text = text
        .replace("<func>status", "<func>statistics")
        .replace(">current<", ">voltage<");
    let out = run(&bin("eaton-pdu"), &[], Some(text.as_bytes()), &[]);
    let got = stdout(&out);
    assert!(
        got.contains("readings: expected current or energy, got 'voltage'"),
        "{got}"
    );
}
