//! Unit tests of the readable forms: each case is a document and the exact text it renders to.

use std::borrow::Cow;

use dci_protocol::{DeviceType, Document, ErrorDoc, ErrorType, Func, Info, Requirement};

use super::{error, excerpt, info, response};

#[track_caller]
fn renders(xml: &str, expected: &str) {
    let Document::Response(resp) = Document::parse(xml).unwrap() else {
        panic!("not a response: {xml}");
    };
    assert_eq!(response(&resp), expected, "{xml}");
}

#[test]
fn switch_status_shows_only_the_columns_ports_have() {
    renders(
        "<doc><hostname>comm3</hostname>\
         <port><identity>1</identity><description>FastEthernet 1</description><admin_status>on</admin_status><oper_status>on</oper_status></port>\
         <port><identity>10</identity><admin_status>on</admin_status><oper_status>off</oper_status><speed>1gbps</speed></port></doc>",
        "hostname  comm3\n\
         \n\
         identity  description     admin  oper  speed\n\
         1         FastEthernet 1  on     on\n\
         10                        on     off   1gbps\n",
    );
}

#[test]
fn counters_are_right_aligned() {
    renders(
        "<doc><port><identity>1</identity><rxbytes>5</rxbytes><txbytes>123456</txbytes></port>\
         <port><identity>2</identity><rxbytes>1000</rxbytes><txbytes>7</txbytes></port></doc>",
        "identity  rxbytes  txbytes\n\
         1               5   123456\n\
         2            1000        7\n",
    );
    renders(
        "<doc><port><identity>A1</identity><power>12.5</power></port><port><identity>A2</identity><power>0</power></port></doc>",
        "identity  power\n\
         A1         12.5\n\
         A2            0\n",
    );
}

#[test]
fn extra_macs_go_on_lines_of_their_own() {
    renders(
        "<doc><port><identity>1</identity><mac>1a2b.3c4d.5e6f</mac><mac>00-11-22-33-44-55</mac></port>\
         <port><identity>2</identity></port><port><identity>3</identity><mac>AABBCCDDEEFF</mac></port></doc>",
        "identity  mac\n\
         1         1A:2B:3C:4D:5E:6F\n\
         \x20         00:11:22:33:44:55\n\
         2\n\
         3         AA:BB:CC:DD:EE:FF\n",
    );
}

#[test]
fn vlan_answers() {
    renders(
        "<doc><port><identity>5</identity><vlan_id>10</vlan_id><vlan_name>users</vlan_name><is_trunk>on</is_trunk><trunk_members>10,20</trunk_members></port></doc>",
        "identity  vlan  vlan_name  trunk  trunk_members\n\
         5           10  users      on     10,20\n",
    );
}

#[test]
fn ups_readings() {
    renders(
        "<doc><eq_param name=\"device_status\"><strvalue>OK</strvalue></eq_param>\
         <eq_param name=\"input_voltage_line_A\"><floatvalue>220</floatvalue></eq_param>\
         <eq_param name=\"output_power_line_A\"><floatvalue>49.23</floatvalue></eq_param></doc>",
        "name                  value\n\
         device_status         OK\n\
         input_voltage_line_A  220\n\
         output_power_line_A   49.23\n",
    );
}

#[test]
fn empty_and_hostile_answers() {
    renders("<doc/>", "(empty response)\n");
    renders(
        "<doc><port><identity>1</identity><description>evil&#x9b;2Jline&#10;two&#9;!</description></port></doc>",
        "identity  description\n\
         1         evil\\u{9b}2Jline\\ntwo\\t!\n",
    );
}

#[test]
fn info_summary() {
    let i = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("Blade Power"),
        requirements: Cow::Borrowed(&[Requirement::Snmpv1, Requirement::CanCollectPower]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff]),
    };
    assert_eq!(
        info(&i),
        "type          PDU\n\
         name          Blade Power\n\
         requirements  snmpv1, can_collect_power\n\
         functions     status, port_on, port_off\n"
    );
    let bare = Info {
        requirements: Cow::Borrowed(&[]),
        ..i
    };
    assert!(info(&bare).contains("requirements  (none)\n"));
}

#[test]
fn error_line() {
    let doc = ErrorDoc {
        error_type: ErrorType::Connection,
        text: "no answer from 10.0.0.2:161".to_owned(),
    };
    assert_eq!(
        error(&doc),
        "error (connection): no answer from 10.0.0.2:161"
    );
}

#[test]
fn excerpts_are_bounded() {
    assert_eq!(excerpt("a\nb\nc\n", 2), "  a\n  b\n  … (1 more lines)\n");
    assert_eq!(excerpt("<doc>", 2), "  <doc>\n");
}
