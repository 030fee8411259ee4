//! Unit tests of request parsing and validation: the happy paths, and every refusal naming its
//! field.

use std::borrow::Cow;

use super::*;

const SWITCH: Info = Info {
    device_type: DeviceType::Switch,
    name: Cow::Borrowed("test switch"),
    requirements: Cow::Borrowed(&[
        Requirement::Snmpv1,
        Requirement::Snmpv2c,
        Requirement::Snmpv3,
    ]),
    funcs: Cow::Borrowed(&[
        Func::Status,
        Func::Statistics,
        Func::PortOn,
        Func::PortOff,
        Func::PortSpeed,
        Func::PortDuplex,
        Func::SetVlan,
        Func::MacList,
    ]),
};

const IPMI: Info = Info {
    device_type: DeviceType::Ipmi,
    name: Cow::Borrowed("test ipmi"),
    requirements: Cow::Borrowed(&[]),
    funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]),
};

fn doc(func: &str, device: &str, port: &str) -> String {
    format!("<doc><func>{func}</func><device_params>{device}</device_params>{port}</doc>")
}

const V2C: &str =
    "<ip>10.0.0.2</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>public</snmp_community>";

#[track_caller]
fn call(info: &Info, text: &str) -> Call {
    Request::parse(text)
        .and_then(|r| r.validate(info))
        .unwrap_or_else(|e| panic!("{text}\n{e}"))
}

/// Parsing and validation refuse `text` with exactly `message`.
#[track_caller]
fn refused(info: &Info, text: &str, message: &str) {
    let e = Request::parse(text)
        .and_then(|r| r.validate(info))
        .expect_err(text);
    assert_eq!(e.to_string(), message, "{text}");
}

#[test]
fn the_seed_status_request() {
    let c = call(
        &SWITCH,
        "<doc>\n<func>status</func>\n<device_params>\n<ip>10.10.10.2</ip>\n<snmp_ver>SNMP v2c</snmp_ver>\n<snmp_community>sdffga</snmp_community>\n</device_params>\n</doc>",
    );
    assert_eq!(c.op, Operation::Status);
    assert_eq!(c.device.endpoint.to_string(), "10.10.10.2");
    assert_eq!(
        c.device.snmp,
        Some(SnmpAuth::V2c {
            community: Secret::new("sdffga")
        })
    );
}

#[test]
fn the_seed_port_on_request() {
    let c = call(
        &SWITCH,
        &doc("port_on", V2C, "<port><identity>1</identity></port>"),
    );
    assert_eq!(c.op, Operation::PortOn(PortId("1".into())));
}

#[test]
fn v3_levels() {
    let base = "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user>";
    let c = call(
        &SWITCH,
        &doc(
            "status",
            &format!("{base}<snmp_auth_level>noauth</snmp_auth_level>"),
            "",
        ),
    );
    assert_eq!(
        c.device.snmp,
        Some(SnmpAuth::V3(Usm {
            user: "u".into(),
            security: UsmSecurity::NoAuth
        }))
    );
    let c = call(
        &SWITCH,
        &doc(
            "status",
            &format!(
                "{base}<snmp_auth_level>authpriv</snmp_auth_level><snmp_auth_phrase>authpass1</snmp_auth_phrase><snmp_priv_phrase>privpass1</snmp_priv_phrase><snmp_auth_proto>sha256</snmp_auth_proto>"
            ),
            "",
        ),
    );
    let Some(SnmpAuth::V3(Usm {
        security:
            UsmSecurity::AuthPriv {
                auth_protocol,
                priv_protocol,
                auth,
                privacy,
            },
        ..
    })) = c.device.snmp
    else {
        panic!("not authpriv: {:?}", c.device.snmp)
    };
    assert_eq!(
        (auth_protocol, priv_protocol),
        (AuthProtocol::Sha256, PrivProtocol::Aes128)
    );
    assert_eq!(
        (auth.expose(), privacy.expose()),
        ("authpass1", "privpass1")
    );
}

#[test]
fn secrets_keep_their_spaces_and_never_show() {
    let c = call(
        &SWITCH,
        &doc(
            "status",
            "<ip>h</ip><snmp_ver>v1</snmp_ver><snmp_community> pub lic </snmp_community>",
            "",
        ),
    );
    assert_eq!(
        c.device.snmp,
        Some(SnmpAuth::V1 {
            community: Secret::new(" pub lic ")
        })
    );
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("pub lic"), "{dbg}");
}

#[test]
fn set_vlan_carries_everything() {
    let c = call(
        &SWITCH,
        &doc(
            "set_vlan",
            V2C,
            "<port><identity>Gi1/0/1</identity><vlan_id>100</vlan_id><vlan_name>servers</vlan_name><is_trunk>on</is_trunk><trunk_members>10,20</trunk_members><vlan_pvlan>0</vlan_pvlan><mapped_vlan>-1</mapped_vlan></port>",
        ),
    );
    let Operation::SetVlan(port, change) = c.op else {
        panic!()
    };
    assert_eq!(port.as_str(), "Gi1/0/1");
    assert_eq!(change.vlan.get(), 100);
    assert_eq!(change.name.as_deref(), Some("servers"));
    assert!(change.trunk);
    assert_eq!(change.trunk_members.to_string(), "10,20");
    assert_eq!(change.mapped, Some(MappedVlan::NotSet));
}

#[test]
fn ipmi_port_is_power_and_optional() {
    let dev = "<ip>10.0.0.9</ip><user>admin</user><pass>x</pass>";
    assert_eq!(
        call(&IPMI, &doc("port_on", dev, "")).op,
        Operation::PortOn(PortId("power".into()))
    );
    assert_eq!(
        call(
            &IPMI,
            &doc("port_reset", dev, "<port><identity>power</identity></port>")
        )
        .op,
        Operation::PortReset(PortId("power".into()))
    );
    let c = call(&IPMI, &doc("status", dev, ""));
    assert_eq!(
        c.device.ipmi.as_ref().map(|l| l.user.as_str()),
        Some("admin")
    );
    assert_eq!(c.device.snmp, None);
    refused(
        &IPMI,
        &doc("port_on", dev, "<port><identity>Power</identity></port>"),
        "port/identity: 'Power' is not a port of this device (an IPMI device has one port, 'power')",
    );
    refused(
        &IPMI,
        &doc("status", "<ip>h</ip><pass>x</pass>", ""),
        "device_params/user: required for IPMI",
    );
    refused(
        &IPMI,
        &doc("status", "<ip>h</ip><user>u</user>", ""),
        "device_params/pass: required for IPMI",
    );
}

#[test]
fn unknown_elements_are_noted_not_fatal() {
    let r = Request::parse(&doc("status", &format!("{V2C}<colour>red</colour>"), "")).unwrap();
    assert_eq!(r.ignored, vec!["device_params/colour".to_owned()]);
    let r = Request::parse(
        "<doc><func>status</func><extra/><device_params><ip>h</ip></device_params></doc>",
    )
    .unwrap();
    assert_eq!(r.ignored, vec!["extra".to_owned()]);
}

#[test]
fn refusals_name_the_field() {
    let s = &SWITCH;
    for (text, message) in [
        (doc("", V2C, ""), "func: missing or empty"),
        (
            "<doc><device_params/></doc>".to_owned(),
            "func: missing or empty",
        ),
        (
            doc("reboot", V2C, ""),
            "func: unknown function 'reboot' (known: status, statistics, port_on, port_off, port_reset, port_speed, port_duplex, set_vlan, mac_list)",
        ),
        (
            doc("port_reset", V2C, "<port><identity>1</identity></port>"),
            "func: 'port_reset' is not supported by this handler (it supports: status, statistics, port_on, port_off, port_speed, port_duplex, set_vlan, mac_list)",
        ),
        (
            "<doc><func>status</func><func>status</func></doc>".to_owned(),
            "func: given more than once",
        ),
        (
            "<doc><func><b>status</b></func></doc>".to_owned(),
            "func: must hold text, not elements",
        ),
        (
            doc(
                "status",
                "<snmp_ver>v2c</snmp_ver><snmp_community>c</snmp_community>",
                "",
            ),
            "device_params/ip: missing or empty",
        ),
        (
            doc("status", "<ip></ip>", ""),
            "device_params/ip: missing or empty",
        ),
        (
            doc("status", "<ip>999.1.1.1</ip>", ""),
            "device_params/ip: expected an IP address or host name with an optional :port, got '999.1.1.1' (not a canonical IPv4 address: write four decimal numbers without leading zeros, such as 10.0.0.5)",
        ),
        (
            doc("status", "<ip>h</ip><ip>g</ip>", ""),
            "device_params/ip: given more than once",
        ),
        (
            doc("status", "<ip>h</ip><snmp_community>c</snmp_community>", ""),
            "device_params/snmp_ver: missing or empty",
        ),
        (
            doc("status", "<ip>h</ip><snmp_ver>SNMP v4</snmp_ver>", ""),
            "device_params/snmp_ver: expected SNMP v1, SNMP v2c or SNMP v3, got 'SNMP v4'",
        ),
        (
            doc("status", "<ip>h</ip><snmp_ver>SNMP v2c</snmp_ver>", ""),
            "device_params/snmp_community: required for SNMP v1 and v2c",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community></snmp_community>",
                "",
            ),
            "device_params/snmp_community: required for SNMP v1 and v2c",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_auth_level>noauth</snmp_auth_level>",
                "",
            ),
            "device_params/snmp_user: required for SNMP v3",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user>",
                "",
            ),
            "device_params/snmp_auth_level: required for SNMP v3",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_level>full</snmp_auth_level>",
                "",
            ),
            "device_params/snmp_auth_level: expected noauth, authnopriv or authpriv, got 'full'",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_level>authnopriv</snmp_auth_level>",
                "",
            ),
            "device_params/snmp_auth_phrase: required for this SNMP v3 security level",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_level>authnopriv</snmp_auth_level><snmp_auth_phrase>short</snmp_auth_phrase>",
                "",
            ),
            "device_params/snmp_auth_phrase: invalid value (an SNMP v3 passphrase needs at least 8 characters; the value is a secret and is not shown)",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_level>authpriv</snmp_auth_level><snmp_auth_phrase>longenough</snmp_auth_phrase>",
                "",
            ),
            "device_params/snmp_priv_phrase: required for this SNMP v3 security level",
        ),
        (
            doc(
                "status",
                "<ip>h</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_level>authnopriv</snmp_auth_level><snmp_auth_phrase>longenough</snmp_auth_phrase><snmp_auth_proto>sha3</snmp_auth_proto>",
                "",
            ),
            "device_params/snmp_auth_proto: expected md5, sha, sha224, sha256, sha384 or sha512, got 'sha3'",
        ),
        (doc("port_on", V2C, ""), "port/identity: missing or empty"),
        (
            doc("port_on", V2C, "<port></port>"),
            "port/identity: missing or empty",
        ),
        (
            doc("port_on", V2C, "<port><identity> </identity></port>"),
            "port/identity: missing or empty",
        ),
        (
            doc("port_on", V2C, "<port><identity>a\u{1}b</identity></port>"),
            "request: not a well-formed XML document: a non-XML character '\\u{1}' found at 1:159",
        ),
        (
            doc("port_speed", V2C, "<port><identity>1</identity></port>"),
            "port/speed: missing or empty",
        ),
        (
            doc(
                "port_speed",
                V2C,
                "<port><identity>1</identity><speed>fast</speed></port>",
            ),
            "port/speed: expected auto, auto10100, 10mbps, 100mbps, 1gbps or 10gbps, got 'fast'",
        ),
        (
            doc(
                "port_duplex",
                V2C,
                "<port><identity>1</identity><duplex>both</duplex></port>",
            ),
            "port/duplex: expected auto, half or full, got 'both'",
        ),
        (
            doc("port_duplex", V2C, "<port><identity>1</identity></port>"),
            "port/duplex: missing or empty",
        ),
        (
            doc("set_vlan", V2C, "<port><identity>1</identity></port>"),
            "port/vlan_id: missing or empty",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>0</vlan_id></port>",
            ),
            "port/vlan_id: expected a VLAN number from 1 to 4095, got '0'",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>4096</vlan_id></port>",
            ),
            "port/vlan_id: expected a VLAN number from 1 to 4095, got '4096'",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>ten</vlan_id></port>",
            ),
            "port/vlan_id: expected a VLAN number from 1 to 4095, got 'ten'",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>5</vlan_id><vlan_name>two words</vlan_name></port>",
            ),
            "port/vlan_name: expected up to 64 printable ASCII characters without spaces, got 'two words'",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>5</vlan_id><trunk_members>5,6,0</trunk_members></port>",
            ),
            "port/trunk_members: expected comma-separated VLAN numbers from 1 to 4095, got '0'",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>5</vlan_id><mapped_vlan>-2</mapped_vlan></port>",
            ),
            "port/mapped_vlan: expected -1 or a VLAN number from 1 to 4095, got '-2'",
        ),
        (
            doc(
                "set_vlan",
                V2C,
                "<port><identity>1</identity><vlan_id>5</vlan_id><vlan_pvlan>9</vlan_pvlan></port>",
            ),
            "port/vlan_pvlan: expected 0, 1, 2 or 3, got '9'",
        ),
        (
            doc("status", V2C, "<port/><port/>"),
            "port: given more than once",
        ),
        (
            "<request><func>status</func></request>".to_owned(),
            "request: root element is <request>, expected <doc>",
        ),
        (
            "<x:doc xmlns:x='urn:x'><func>status</func></x:doc>".to_owned(),
            "request: root element is <{urn:x}doc>, expected <doc>",
        ),
    ] {
        refused(s, &text, message);
    }
}

#[test]
fn hostile_documents_are_refused_by_the_parser() {
    for (text, starts) in [
        ("not xml at all", "request: not a well-formed XML document"),
        (
            "<doc><func>status</func></doc><doc/>",
            "request: not a well-formed XML document",
        ),
        (
            "<doc><func>status</func>",
            "request: not a well-formed XML document",
        ),
        (
            "<?xml version='1.0'?><!DOCTYPE doc [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]><doc><func>&b;</func></doc>",
            "request: not a well-formed XML document: ",
        ),
        (
            "<!DOCTYPE doc SYSTEM 'file:///etc/passwd'><doc><func>status</func></doc>",
            "request: not a well-formed XML document",
        ),
        (
            "<doc><func>&unknown;</func></doc>",
            "request: not a well-formed XML document",
        ),
    ] {
        let e = Request::parse(text).unwrap_err().to_string();
        assert!(e.starts_with(starts), "{text}: {e}");
    }
}

#[test]
fn requests_write_back_what_they_read() {
    for text in [
        doc("status", V2C, ""),
        doc(
            "set_vlan",
            V2C,
            "<port><identity>Gi1/0/1</identity><vlan_id>100</vlan_id><vlan_name>a&amp;b</vlan_name><is_trunk>off</is_trunk><trunk_members>10,20</trunk_members><vlan_pvlan>2</vlan_pvlan><mapped_vlan>7</mapped_vlan></port>",
        ),
        doc(
            "status",
            "<ip>[::1]:1161</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>u</snmp_user><snmp_auth_phrase>a &lt; b &amp; c</snmp_auth_phrase><snmp_priv_phrase>p</snmp_priv_phrase><snmp_auth_level>authpriv</snmp_auth_level><snmp_auth_proto>md5</snmp_auth_proto><snmp_priv_proto>des</snmp_priv_proto>",
            "",
        ),
        doc(
            "port_reset",
            "<ip>h</ip><telnet_user>t</telnet_user><telnet_pass>tp</telnet_pass><ssh_user>s</ssh_user><ssh_pass>sp</ssh_pass><user>u</user><pass>p</pass>",
            "<port><identity>power</identity></port>",
        ),
        // A carriage return in a secret survives the trip byte for byte (a raw CR in XML text
        // is read back as LF).
        doc(
            "status",
            "<ip>h</ip><user>u</user><pass>a&#13;b&#13;&#10;c</pass>",
            "",
        ),
    ] {
        let r = Request::parse(&text).unwrap();
        let again = Request::parse(&r.to_xml()).unwrap();
        assert_eq!(again, r, "{}", r.to_xml());
    }
    let r = Request::parse(&doc("status", "<ip>h</ip><pass>a&#13;b</pass>", "")).unwrap();
    let again = Request::parse(&r.to_xml()).unwrap();
    assert_eq!(
        again.device.pass.as_ref().map(|p| p.expose().to_owned()),
        Some("a\rb".to_owned())
    );
}

#[test]
fn redacted_requests_hide_every_secret() {
    let text = doc(
        "status",
        "<ip>h</ip><snmp_ver>v3</snmp_ver><snmp_community>c0mm</snmp_community><snmp_user>u</snmp_user><snmp_auth_phrase>authphrase</snmp_auth_phrase><snmp_priv_phrase>privphrase</snmp_priv_phrase><telnet_pass>tpass</telnet_pass><ssh_pass>spass</ssh_pass><pass>ipass</pass>",
        "",
    );
    let shown = Request::parse(&text).unwrap().redacted().to_xml();
    for secret in [
        "c0mm",
        "authphrase",
        "privphrase",
        "tpass",
        "spass",
        "ipass",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert_eq!(shown.matches("***").count(), 6, "{shown}");
    assert!(shown.contains("<snmp_user>u</snmp_user>"));
}

#[test]
fn readings_ask_statistics_for_more_than_watts() {
    let pdu = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("test pdu"),
        requirements: Cow::Borrowed(&[Requirement::Snmpv2c]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff]),
    };
    let both = doc("statistics", V2C, "<readings>energy, current</readings>");
    let r = Request::parse(&both).unwrap();
    assert_eq!(
        r.readings,
        Readings {
            current: true,
            energy: true
        }
    );
    assert!(r.to_xml().contains("<readings>current energy</readings>"));
    // Served where the handler gives one of them, though -info declares no statistics; only
    // what it gives is asked of it.
    let current_only = Readings {
        current: true,
        energy: false,
    };
    let c = r.validate_giving(&pdu, current_only).unwrap();
    assert_eq!(c.op, Operation::Statistics(current_only));
    refused(
        &pdu,
        &both,
        "func: 'statistics' is not supported by this handler (it supports: status, port_on, port_off)",
    );
    // A handler that declares statistics answers DCImanager 5's request with no readings.
    let c = call(
        &SWITCH,
        &doc("statistics", V2C, "<readings>energy</readings>"),
    );
    assert_eq!(c.op, Operation::Statistics(Readings::NONE));
    let c = call(&SWITCH, &doc("statistics", V2C, "<readings></readings>"));
    assert_eq!(c.op, Operation::Statistics(Readings::NONE));
    refused(
        &SWITCH,
        &doc("status", V2C, "<readings>current</readings>"),
        "readings: only 'statistics' takes this element",
    );
    refused(
        &SWITCH,
        &doc("statistics", V2C, "<readings>current volts</readings>"),
        "readings: expected current or energy, got 'volts'",
    );
}
