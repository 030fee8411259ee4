//! Unit tests of the shape rules: one line per case, in a short notation.
//!
//! A request is `func key=value…` (`port`, `speed`, `duplex`, `vlan`, `trunk`, `members`,
//! `readings`). A response is a list of items separated by spaces: `p:key=value,…` is a port
//! (`id`, `descr`, `admin`, `oper`, `speed`, `duplex`, `rx`, `tx`, `power`, `current`,
//! `energy`, `vlan`, `mac`, `trunk`, `members`), `p:` a port with nothing at all,
//! `eq:name=s:TEXT` and `eq:name=f:NUMBER` UPS readings. Expected violations are written as they
//! display. The case lists keep one case per line, so rustfmt leaves them alone.

use std::borrow::Cow;

use dci_protocol::DeviceType::{Ipmi, Pdu, Switch, Ups};
use dci_protocol::{
    DeviceType, EqParam, EqValue, Func, Info, PortParams, PortState, Request, Response,
};

use super::{Violation, check_effect};

fn info(ty: DeviceType) -> Info {
    Info {
        device_type: ty,
        name: Cow::Borrowed("test"),
        requirements: Cow::Borrowed(&[]),
        funcs: Cow::Owned(
            Func::ALL
                .iter()
                .copied()
                .filter(|f| ty.allows(*f))
                .collect(),
        ),
    }
}

fn request(spec: &str) -> Request {
    let mut words = spec.split_whitespace();
    let func: Func = words.next().unwrap().parse().unwrap();
    let mut req = Request::new(func);
    for word in words {
        let (k, v) = word.split_once('=').unwrap();
        if k == "readings" {
            req.readings = v.parse().unwrap();
            continue;
        }
        let port = req.port.get_or_insert_with(PortParams::default);
        match k {
            "port" => port.identity = Some(v.to_owned()),
            "speed" => port.speed = Some(v.parse().unwrap()),
            "duplex" => port.duplex = Some(v.parse().unwrap()),
            "vlan" => port.vlan_id = Some(v.parse().unwrap()),
            "trunk" => port.is_trunk = Some(v == "on"),
            "members" => port.trunk_members = Some(v.parse().unwrap()),
            other => panic!("unknown request key {other}"),
        }
    }
    req
}

fn response(spec: &str) -> Response {
    let mut resp = Response::default();
    for item in spec.split_whitespace() {
        if let Some(fields) = item.strip_prefix("p:") {
            let mut p = PortState::default();
            for kv in fields.split(',').filter(|kv| !kv.is_empty()) {
                let (k, v) = kv.split_once('=').unwrap();
                match k {
                    "id" => p.identity = v.to_owned(),
                    "descr" => p.description = Some(v.to_owned()),
                    "admin" => p.admin_status = Some(v.parse().unwrap()),
                    "oper" => p.oper_status = Some(v.parse().unwrap()),
                    "speed" => p.speed = Some(v.parse().unwrap()),
                    "duplex" => p.duplex = Some(v.parse().unwrap()),
                    "rx" => p.rxbytes = Some(v.parse().unwrap()),
                    "tx" => p.txbytes = Some(v.parse().unwrap()),
                    "power" => p.power = Some(v.parse().unwrap()),
                    "current" => p.current = Some(v.parse().unwrap()),
                    "energy" => p.energy = Some(v.parse().unwrap()),
                    "vlan" => p.vlan_id = Some(v.parse().unwrap()),
                    "mac" => p.macs.push(v.parse().unwrap()),
                    "trunk" => p.is_trunk = Some(v == "on"),
                    "members" => p.trunk_members = Some(v.replace(';', ",").parse().unwrap()),
                    other => panic!("unknown port key {other}"),
                }
            }
            resp.ports.push(p);
        } else if let Some(param) = item.strip_prefix("eq:") {
            let (name, value) = param.split_once('=').unwrap();
            let value = match value.split_once(':').unwrap() {
                ("s", s) => EqValue::Str(s.to_owned()),
                ("f", f) => EqValue::Float(f.parse().unwrap()),
                other => panic!("unknown eq value {other:?}"),
            };
            resp.params.push(EqParam {
                name: name.to_owned(),
                value,
            });
        } else {
            panic!("unknown response item {item}");
        }
    }
    resp
}

fn shown(violations: &[Violation]) -> Vec<String> {
    violations.iter().map(ToString::to_string).collect()
}

#[track_caller]
fn check(ty: DeviceType, req: &str, resp: &str, expected: &[&str]) {
    let got = super::check(&info(ty), &request(req), &response(resp));
    assert_eq!(shown(&got), expected, "{ty} {req} -> {resp}");
}

#[track_caller]
fn effect(req: &str, resp: &str, expected: &[&str]) {
    let got = check_effect(&request(req), &response(resp));
    assert_eq!(shown(&got), expected, "{req} -> {resp}");
}

const SW2: &str = "p:id=1,admin=on,oper=on p:id=2,admin=off,oper=off";
const UPS_OK: &str = "eq:device_status=s:OK eq:input_voltage_line_A=f:220";

#[test]
#[rustfmt::skip]
fn switch_status() {
    check(Switch, "status", SW2, &[]);
    check(Switch, "status", "p:id=1,admin=on,oper=unknown", &[]);
    check(Switch, "status", "", &["no <port>, at least one is required"]);
    check(Switch, "status", "p:id=1,admin=on", &["port '1' has no <oper_status>"]);
    check(Switch, "status", "p:id=1,oper=on", &["port '1' has no <admin_status>"]);
    check(Switch, "status", "p:admin=on,oper=on", &["port #1 has no <identity>"]);
    check(Switch, "status", "p:", &["port #1 has no <identity>", "port #1 has no <admin_status>", "port #1 has no <oper_status>"]);
    check(Switch, "status", "p:id=1,admin=on,oper=on p:id=1,admin=on,oper=on p:id=1,admin=on,oper=on", &["more than one port with identity '1'"]);
    check(Switch, "status", &format!("{SW2} eq:x=f:1"), &["1 <eq_param> elements, which only a UPS answers with"]);
}

#[test]
#[rustfmt::skip]
fn pdu_status() {
    check(Pdu, "status", "p:id=1,admin=on p:id=2,admin=off", &[]);
    check(Pdu, "status", "", &["no <port>, at least one is required"]);
    check(Pdu, "status", "p:id=1", &["port '1' has no <admin_status>"]);
    check(Pdu, "status", "p:id=A1,admin=on p:id=A1,admin=on", &["more than one port with identity 'A1'"]);
}

#[test]
#[rustfmt::skip]
fn ipmi_status() {
    check(Ipmi, "status", "p:id=power,admin=on", &[]);
    check(Ipmi, "status", "p:id=power,admin=off,descr=Some", &[]);
    check(Ipmi, "status", "", &["0 <port> elements, expected 1"]);
    check(Ipmi, "status", "p:id=power,admin=on p:id=power2,admin=on", &["2 <port> elements, expected 1"]);
    check(Ipmi, "status", "p:id=Power,admin=on", &["the answer is about port 'Power', expected 'power'"]);
    check(Ipmi, "status", "p:id=power", &["port 'power' has no <admin_status>"]);
    check(Ipmi, "status", "p:id=power,admin=unknown", &["port 'power': <admin_status> is unknown, expected on or off"]);
}

#[test]
#[rustfmt::skip]
fn ups_status() {
    check(Ups, "status", UPS_OK, &[]);
    check(Ups, "status", "eq:device_status=s:Warning", &[]);
    check(Ups, "status", "eq:device_status=s:Critical", &[]);
    check(Ups, "status", "", &["no <eq_param>, a UPS answers with its readings"]);
    check(Ups, "status", "eq:input_voltage_line_A=f:220", &["no <eq_param name=\"device_status\">"]);
    check(Ups, "status", "eq:device_status=s:Fine", &["device_status is strvalue 'Fine', expected a strvalue OK, Warning or Critical"]);
    check(Ups, "status", "eq:device_status=s:ok", &["device_status is strvalue 'ok', expected a strvalue OK, Warning or Critical"]);
    check(Ups, "status", "eq:device_status=f:1", &["device_status is floatvalue 1, expected a strvalue OK, Warning or Critical"]);
    check(Ups, "status", "eq:device_status=s:OK eq:a=f:1 eq:a=f:2 eq:a=f:3", &["more than one <eq_param name=\"a\">"]);
    check(Ups, "status", &format!("{UPS_OK} p:id=1"), &["1 <port> elements in a UPS answer, which has none"]);
}

#[test]
#[rustfmt::skip]
fn statistics() {
    check(Switch, "statistics", "p:id=1,rx=10,tx=20 p:id=2,rx=0,tx=0", &[]);
    check(Switch, "statistics", "p:id=1,rx=10", &["port '1' has no <txbytes>"]);
    check(Switch, "statistics", "p:id=1,tx=10", &["port '1' has no <rxbytes>"]);
    check(Switch, "statistics", "p:id=1,rx=1,tx=1 p:id=1,rx=1,tx=1", &["more than one port with identity '1'"]);
    check(Pdu, "statistics", "p:id=1,power=12.5 p:id=2,power=0", &[]);
    // An outlet without a reading is listed without power (a switched-only PDU: all of them).
    check(Pdu, "statistics", "p:id=1 p:id=2,power=3", &[]);
    check(Pdu, "statistics", "p:power=3", &["port #1 has no <identity>"]);
    // DCImanager 6's readings, only where asked: DCImanager 5's answer stays as it was.
    check(Pdu, "statistics readings=current,energy", "p:id=1,power=3,current=0.5,energy=12", &[]);
    check(Pdu, "statistics readings=energy", "p:id=1,energy=12", &[]);
    check(Pdu, "statistics", "p:id=1,power=3,current=0.5", &["port '1': <current> is 0.5, expected absent (the request did not ask for it in <readings>)"]);
    check(Pdu, "statistics readings=current", "p:id=1,energy=2", &["port '1': <energy> is 2, expected absent (the request did not ask for it in <readings>)"]);
    // A PDU that meters current but not watts serves the readings without declaring statistics.
    let status_only = Info { funcs: Cow::Borrowed(&[Func::Status]), ..info(Pdu) };
    let got = super::check(&status_only, &request("statistics readings=current"), &response("p:id=1,current=1"));
    assert_eq!(shown(&got), Vec::<String>::new());
}

#[test]
#[rustfmt::skip]
fn power_operations() {
    for func in ["port_on", "port_off", "port_reset"] {
        check(Pdu, &format!("{func} port=3"), "p:id=3,admin=on", &[]);
        check(Pdu, &format!("{func} port=3"), "p:id=4,admin=on", &["the answer is about port '4', expected '3'"]);
        check(Pdu, &format!("{func} port=3"), "p:id=3", &["port '3' has no <admin_status>"]);
        check(Pdu, &format!("{func} port=3"), "", &["0 <port> elements, expected 1"]);
        check(Pdu, &format!("{func} port=3"), "p:id=3,admin=on p:id=4,admin=on", &["2 <port> elements, expected 1"]);
        check(Ipmi, func, "p:id=power,admin=off", &[]);
        check(Ipmi, &format!("{func} port=power"), "p:id=power,admin=on", &[]);
        check(Ipmi, func, "p:id=1,admin=on", &["the answer is about port '1', expected 'power'"]);
    }
    check(Switch, "port_on port=Gi0/1", "p:id=Gi0/1,admin=on", &[]);
    check(Switch, "port_off port=7", "p:id=7,admin=off,oper=off", &[]);
}

#[test]
#[rustfmt::skip]
fn switch_port_settings() {
    check(Switch, "port_speed port=5 speed=1gbps", "p:id=5,speed=1gbps", &[]);
    check(Switch, "port_speed port=5 speed=1gbps", "p:id=5,admin=on", &["port '5' has no <speed>"]);
    check(Switch, "port_speed port=5 speed=1gbps", "p:id=6,speed=1gbps", &["the answer is about port '6', expected '5'"]);
    check(Switch, "port_duplex port=5 duplex=full", "p:id=5,duplex=full", &[]);
    check(Switch, "port_duplex port=5 duplex=full", "p:id=5", &["port '5' has no <duplex>"]);
    check(Switch, "set_vlan port=5 vlan=10", "p:id=5,vlan=10", &[]);
    check(Switch, "set_vlan port=5 vlan=10", "p:id=5", &["port '5' has no <vlan_id>"]);
    check(Switch, "set_vlan port=5 vlan=10", "p:id=5,vlan=10 p:id=6,vlan=10", &["2 <port> elements, expected 1"]);
}

#[test]
#[rustfmt::skip]
fn mac_list() {
    check(Switch, "mac_list", "p:id=1,mac=1A2B3C4D5E6F,mac=1a2b.3c4d.5e60 p:id=2", &[]);
    check(Switch, "mac_list", "", &[]);
    check(Switch, "mac_list", "p:mac=1A2B3C4D5E6F", &["port #1 has no <identity>"]);
    check(Switch, "mac_list", "p:id=1 p:id=1", &["more than one port with identity '1'"]);
}

#[test]
#[rustfmt::skip]
fn functions_the_type_or_info_lacks() {
    check(Ups, "statistics", UPS_OK, &["'statistics' answered, but -info does not declare it", "the protocol has no 'statistics' for UPS devices"]);
    check(Pdu, "set_vlan port=1 vlan=2", "p:id=1,vlan=2", &["'set_vlan' answered, but -info does not declare it", "the protocol has no 'set_vlan' for PDU devices"]);
    check(Ipmi, "statistics", "p:id=power,power=1", &["'statistics' answered, but -info does not declare it", "the protocol has no 'statistics' for IPMI devices"]);
    let status_only = Info {
        funcs: Cow::Borrowed(&[Func::Status]),
        ..info(Pdu)
    };
    let got = super::check(&status_only, &request("port_on port=1"), &response("p:id=1,admin=on"));
    assert_eq!(shown(&got), ["'port_on' answered, but -info does not declare it"]);
}

#[test]
#[rustfmt::skip]
fn effects() {
    effect("status", SW2, &[]);
    effect("port_on port=1", "p:id=1,admin=on", &[]);
    effect("port_on port=1", "p:id=1,admin=off", &["port '1': <admin_status> is off, expected on"]);
    effect("port_on port=1", "p:id=1,admin=unknown", &["port '1': <admin_status> is unknown, expected on"]);
    effect("port_off port=1", "p:id=1,admin=off", &[]);
    effect("port_off port=1", "p:id=1,admin=on", &["port '1': <admin_status> is on, expected off"]);
    effect("port_reset port=1", "p:id=1,admin=on", &[]);
    effect("port_reset port=1", "p:id=1,admin=off", &["port '1': <admin_status> is off, expected on"]);
    effect("port_off port=1", "p:id=1", &["port '1' has no <admin_status>"]);
    effect("port_off port=1", "", &["0 <port> elements, expected 1"]);
    effect("port_speed port=1 speed=100mbps", "p:id=1,speed=100mbps", &[]);
    effect("port_speed port=1 speed=100mbps", "p:id=1,speed=auto", &["port '1': <speed> is auto, expected 100mbps"]);
    effect("port_duplex port=1 duplex=half", "p:id=1,duplex=half", &[]);
    effect("port_duplex port=1 duplex=half", "p:id=1,duplex=full", &["port '1': <duplex> is full, expected half"]);
    effect("set_vlan port=1 vlan=20", "p:id=1,vlan=20", &[]);
    effect("set_vlan port=1 vlan=20", "p:id=1,vlan=21", &["port '1': <vlan_id> is 21, expected 20"]);
    effect("set_vlan port=1 vlan=20 trunk=on members=10,20", "p:id=1,vlan=20,trunk=on,members=20;10", &[]);
    effect("set_vlan port=1 vlan=20 trunk=on", "p:id=1,vlan=20,trunk=off", &["port '1': <is_trunk> is off, expected on"]);
    effect("set_vlan port=1 vlan=20 trunk=on members=10,30", "p:id=1,vlan=20,members=10", &["port '1': <trunk_members> is 10, expected 10,30"]);
    // The native VLAN crosses untagged: listed or not, it is not compared.
    effect("set_vlan port=1 vlan=20 trunk=on members=10,20", "p:id=1,vlan=20,members=10", &[]);
    effect("set_vlan port=1 vlan=20 trunk=on members=10", "p:id=1,vlan=20", &[]);
}
