//! Unit tests of `-info`: writing, and the refusals of `Info::parse`.

use super::*;

#[track_caller]
fn refused(text: &str, message: &str) {
    assert_eq!(
        Info::parse(text).unwrap_err().to_string(),
        message,
        "{text}"
    );
}

#[test]
fn info_refusals() {
    refused(
        "<doc><name>x</name><supported_funcs><status/></supported_funcs></doc>",
        "type: missing or empty",
    );
    refused(
        "<doc><type>Router</type><name>x</name><supported_funcs><status/></supported_funcs></doc>",
        "type: expected Switch, PDU, IPMI or UPS, got 'Router'",
    );
    refused(
        "<doc><type>PDU</type><supported_funcs><status/></supported_funcs></doc>",
        "name: missing or empty",
    );
    refused(
        "<doc><type>PDU</type><name>x</name></doc>",
        "supported_funcs: missing or empty",
    );
    refused(
        "<doc><type>PDU</type><name>x</name><supported_funcs><port_on/></supported_funcs></doc>",
        "supported_funcs/status: missing or empty",
    );
    refused(
        "<doc><type>PDU</type><name>x</name><supported_funcs><status/><status/></supported_funcs></doc>",
        "supported_funcs: given more than once",
    );
    refused(
        "<doc><type>PDU</type><name>x</name><supported_funcs><status/><set_vlan/></supported_funcs></doc>",
        "supported_funcs: 'set_vlan' is not a function of a PDU device",
    );
    refused(
        "<doc><type>UPS</type><name>x</name><supported_funcs><status/><port_on/></supported_funcs></doc>",
        "supported_funcs: 'port_on' is not a function of a UPS device",
    );
    refused(
        "<doc><type>IPMI</type><name>x</name><requirements><snmpv4/></requirements><supported_funcs><status/></supported_funcs></doc>",
        "requirements: expected snmpv1, snmpv2c, snmpv3, ssh, telnet or can_collect_power, got 'snmpv4'",
    );
    refused(
        "<info/>",
        "document: root element is <info>, expected <doc>",
    );
}

#[test]
fn device_types_allow_the_guides_functions() {
    assert!(DeviceType::Switch.allows(Func::SetVlan));
    assert!(DeviceType::Switch.allows(Func::PortReset));
    assert!(DeviceType::Pdu.allows(Func::Statistics));
    assert!(!DeviceType::Pdu.allows(Func::MacList));
    assert!(!DeviceType::Ipmi.allows(Func::Statistics));
    assert!(DeviceType::Ipmi.allows(Func::PortReset));
    assert_eq!(
        Func::ALL
            .iter()
            .filter(|f| DeviceType::Ups.allows(**f))
            .count(),
        1
    );
}
