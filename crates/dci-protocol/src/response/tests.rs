//! Unit tests of response writing and parsing: every field round-trips, hostile text stays
//! well-formed, and invalid answers are refused with the field named.

use super::*;

fn full_port() -> PortState {
    PortState {
        identity: "Gi1/0/1".into(),
        description: Some("uplink <to> core & \"edge\"".into()),
        admin_status: Some(PortStatus::On),
        oper_status: Some(PortStatus::Unknown),
        speed: Some(Speed::Gbps10),
        duplex: Some(Duplex::Full),
        rxbytes: Some(u64::MAX),
        txbytes: Some(0),
        rxpackets: Some(12),
        txpackets: Some(34),
        power: Some(118.5),
        current: Some(0.512),
        energy: Some(1234.5),
        vlan_id: VlanId::new(4095),
        vlan_name: Some("servers".into()),
        macs: vec![
            "001122334455".parse().unwrap(),
            "aabb.ccdd.eeff".parse().unwrap(),
        ],
        is_trunk: Some(true),
        trunk_members: Some("10,20".parse().unwrap()),
    }
}

#[track_caller]
fn round_trip(resp: &Response) {
    let text = resp.to_xml();
    match Document::parse(&text) {
        Ok(Document::Response(back)) => assert_eq!(&back, resp, "{text}"),
        other => panic!("{text}\n{other:?}"),
    }
}

#[test]
fn every_field_round_trips() {
    round_trip(&Response {
        hostname: Some("core-1".into()),
        ports: vec![full_port(), PortState::new("2")],
        params: vec![],
    });
    round_trip(&Response {
        hostname: None,
        ports: vec![],
        params: vec![
            EqParam {
                name: "device_status".into(),
                value: EqValue::Str("OK".into()),
            },
            EqParam {
                name: "battary_time_remains".into(),
                value: EqValue::Float(7.25),
            },
            EqParam {
                name: "a&b<c>\"d'".into(),
                value: EqValue::Float(-0.5),
            },
        ],
    });
}

#[test]
fn text_is_inline_and_floats_are_plain() {
    let text = Response::port(PortState {
        admin_status: Some(PortStatus::Off),
        power: Some(220.0),
        ..PortState::new("1")
    })
    .to_xml();
    assert_eq!(
        text,
        "<doc>\n <port>\n  <identity>1</identity>\n  <admin_status>off</admin_status>\n  <power>220</power>\n </port>\n</doc>\n"
    );
}

#[test]
fn hostile_text_stays_well_formed() {
    let nasty = "]]> </doc><doc> &amp; \u{0}\u{1b}[31m \u{FFFF} ok";
    let resp = Response {
        hostname: Some(nasty.into()),
        ports: vec![PortState {
            description: Some(nasty.into()),
            ..PortState::new(nasty)
        }],
        params: vec![],
    };
    let text = resp.to_xml();
    let Ok(Document::Response(back)) = Document::parse(&text) else {
        panic!("{text}")
    };
    let expected = "]]> </doc><doc> &amp; \u{FFFD}\u{FFFD}[31m \u{FFFD} ok";
    assert_eq!(back.hostname.as_deref(), Some(expected));
    assert_eq!(back.ports[0].identity, expected);
}

#[test]
fn error_documents() {
    let doc = ErrorDoc {
        error_type: ErrorType::Connection,
        text: "no answer from 10.0.0.2:161 & more".into(),
    };
    assert_eq!(
        doc.to_xml(),
        "<doc>\n <error>\n  <type>connection</type>\n  <text>no answer from 10.0.0.2:161 &amp; more</text>\n </error>\n</doc>\n"
    );
    assert_eq!(
        Document::parse(&doc.to_xml()).unwrap(),
        Document::Error(doc)
    );
}

#[track_caller]
fn refused(text: &str, message: &str) {
    let e = Document::parse(text).expect_err(text);
    assert_eq!(e.to_string(), message, "{text}");
}

#[test]
fn invalid_answers_name_the_field() {
    refused(
        "<doc><port><description>x</description></port></doc>",
        "port/identity: missing or empty",
    );
    refused(
        "<doc><port><identity>1</identity><admin_status>up</admin_status></port></doc>",
        "port/admin_status: expected on, off or unknown, got 'up'",
    );
    refused(
        "<doc><port><identity>1</identity><speed>unknown</speed></port></doc>",
        "port/speed: expected auto, auto10100, 10mbps, 100mbps, 1gbps or 10gbps, got 'unknown'",
    );
    refused(
        "<doc><port><identity>1</identity><rxbytes>-1</rxbytes></port></doc>",
        "port/rxbytes: expected a counter from 0 to 18446744073709551615, got '-1'",
    );
    refused(
        "<doc><port><identity>1</identity><power>NaN</power></port></doc>",
        "port/power: expected a finite number, got 'NaN'",
    );
    refused(
        "<doc><port><identity>1</identity><mac>xyz</mac></port></doc>",
        "port/mac: expected a MAC address like 1A:2B:3C:4D:5E:6F, 1A-2B-3C-4D-5E-6F, 1a2b.3c4d.5e6f or 1A2B3C4D5E6F, got 'xyz'",
    );
    refused(
        "<doc><port><identity>1</identity><colour>red</colour></port></doc>",
        "port: unknown element <colour>",
    );
    refused("<doc><ports/></doc>", "doc: unknown element <ports>");
    refused(
        "<doc><eq_param><floatvalue>1</floatvalue></eq_param></doc>",
        "eq_param/@name: missing or empty",
    );
    refused(
        "<doc><eq_param name='x'><floatvalue>1</floatvalue><strvalue>a</strvalue></eq_param></doc>",
        "eq_param: 'x' must hold exactly one of <strvalue> or <floatvalue>",
    );
    refused(
        "<doc><eq_param name='x'><floatvalue>lots</floatvalue></eq_param></doc>",
        "eq_param/floatvalue: expected a finite number, got 'lots'",
    );
    refused(
        "<doc><error><type>fatal</type><text>x</text></error></doc>",
        "error/type: expected connection or unexpected_data, got 'fatal'",
    );
    refused(
        "<doc><error><type>connection</type></error></doc>",
        "error/text: missing or empty",
    );
    refused(
        "<doc><hostname>a</hostname><hostname>b</hostname></doc>",
        "hostname: given more than once",
    );
}
