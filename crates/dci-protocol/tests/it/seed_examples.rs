//! Every XML example of the seed (001_9afb4de5a5d4d7e5.txt, the DCImanager 5 handler guide,
//! including the documents its Python handlers print) parses into our types and writes back to
//! an equivalent document: the same elements, attributes and texts, whitespace aside.

use dci_protocol::{Document, Info, Request};

/// A document reduced to what matters: element names, sorted attributes, trimmed text, and
/// children in a canonical order (the protocol gives element order no meaning).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Tree {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Tree>,
}

fn tree(node: roxmltree::Node<'_, '_>) -> Tree {
    let mut attrs: Vec<_> = node
        .attributes()
        .map(|a| (a.name().to_owned(), a.value().to_owned()))
        .collect();
    attrs.sort();
    let text: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    let mut children: Vec<Tree> = node
        .children()
        .filter(|c| c.is_element())
        .map(tree)
        .collect();
    children.sort();
    Tree {
        name: node.tag_name().name().to_owned(),
        attrs,
        text: text.trim().to_owned(),
        children,
    }
}

#[track_caller]
fn equivalent(original: &str, written: &str) {
    let a = roxmltree::Document::parse(original).unwrap();
    let b = roxmltree::Document::parse(written).unwrap();
    assert_eq!(
        tree(a.root_element()),
        tree(b.root_element()),
        "\n{original}\n---\n{written}"
    );
}

#[track_caller]
fn info(text: &str) {
    let parsed = Info::parse(text).unwrap_or_else(|e| panic!("{text}\n{e}"));
    let written = parsed.to_xml();
    equivalent(text, &written);
    assert_eq!(Info::parse(&written).unwrap(), parsed);
}

#[track_caller]
fn request(text: &str) {
    let parsed = Request::parse(text).unwrap_or_else(|e| panic!("{text}\n{e}"));
    let written = parsed.to_xml();
    equivalent(text, &written);
    assert_eq!(Request::parse(&written).unwrap(), parsed);
}

#[track_caller]
fn answer(text: &str) {
    let parsed = Document::parse(text).unwrap_or_else(|e| panic!("{text}\n{e}"));
    let written = match &parsed {
        Document::Response(r) => r.to_xml(),
        Document::Error(e) => e.to_xml(),
    };
    equivalent(text, &written);
    assert_eq!(Document::parse(&written).unwrap(), parsed);
}

#[test]
fn registering_a_handler() {
    info(
        "<doc>\n<type>Switch</type>\n<name>First External Handler</name>\n<requirements>\n<snmpv1/>\n<snmpv2c/>\n</requirements>\n<supported_funcs>\n<status/>\n<port_on/>\n<port_off/>\n</supported_funcs>\n</doc>",
    );
}

#[test]
fn the_python_handlers_info() {
    // Switch.
    info(
        "<doc><type>Switch</type><name>SNMP Switch Handler</name><requirements><snmpv2c/></requirements><supported_funcs><status/><port_off/><port_on/><port_duplex/><port_speed/></supported_funcs></doc>",
    );
    // IPMI: no requirements element at all.
    info(
        "<doc><type>IPMI</type><name>Custom IPMI v1.5 Handler</name><supported_funcs><status/><port_off/><port_on/><port_reset/></supported_funcs></doc>",
    );
    // BladeCenter power.
    info(
        "<doc><type>PDU</type><name>Blade Power</name><requirements><snmpv1/></requirements><supported_funcs><status/><port_off/><port_on/><port_reset/></supported_funcs></doc>",
    );
    // UPS.
    info(
        "<doc>\n  <type>UPS</type>\n  <name>custom UPS</name>\n  <requirements>\n    <snmpv1/>\n  </requirements>\n  <supported_funcs>\n    <status/>\n  </supported_funcs>\n</doc>",
    );
}

#[test]
fn calling_a_function() {
    request(
        "<doc>\n<func>status</func>\n<device_params>\n<ip>10.10.10.2</ip>\n<snmp_ver>SNMP v2c</snmp_ver>\n<snmp_community>sdffga</snmp_community>\n</device_params>\n</doc>",
    );
    request(
        "<doc>\n<func>port_on</func>\n<device_params>\n<ip>12.23.55.32</ip>\n<snmp_ver>SNMP v2c</snmp_ver>\n<snmp_community>asasda</snmp_community>\n</device_params>\n<port>\n<identity>1</identity>\n</port>\n</doc>",
    );
}

#[test]
fn switch_answers() {
    answer(
        "<doc>\n <hostname>comm3</hostname>\n <port>\n  <identity>1</identity>\n  <description>FastEthernet 1</description>\n  <admin_status>on</admin_status>\n  <oper_status>on</oper_status>\n </port>\n <port>\n  <identity>2</identity>\n   <description>FastEthernet 2</description>\n   <admin_status>on</admin_status>\n   <oper_status>off</oper_status>\n </port>\n <port>\n   <identity>3</identity>\n   <description>FastEthernet 3</description>\n   <admin_status>on</admin_status>\n   <oper_status>off</oper_status>\n </port>\n <port>\n   <identity>4</identity>\n   <description>FastEthernet 4</description>\n   <admin_status>on</admin_status>\n   <oper_status>off</oper_status>\n </port>\n</doc>",
    );
    answer(
        "<doc>\n <port>\n  <identity>1</identity>\n  <admin_status>off</admin_status>\n </port>\n</doc>",
    );
    // The Python switch handler's port_speed and port_duplex answers.
    answer("<doc><port><identity>3</identity><speed>100mbps</speed></port></doc>");
    answer("<doc><port><identity>3</identity><duplex>full</duplex></port></doc>");
}

#[test]
fn errors() {
    answer(
        "<doc>\n <error>\n  <type>connection</type>\n  <text>Failed to open connection to 12.35.56.22</text>\n </error>\n</doc>",
    );
    answer(
        "<doc><error><type>connection</type><text>Unable to connect. Check address or community string.</text></error></doc>",
    );
    answer(
        "<doc><error><type>unexpected_data</type><text>Unexpected speed value = 7</text></error></doc>",
    );
}

#[test]
fn ipmi_and_pdu_answers() {
    answer(
        "<doc><port><identity>power</identity><description>Some IPMI</description><admin_status>on</admin_status></port></doc>",
    );
    answer("<doc><port><identity>power</identity><admin_status>off</admin_status></port></doc>");
    answer(
        "<doc><port><identity>3</identity><description>Not installed</description><admin_status>off</admin_status></port></doc>",
    );
}

#[test]
fn ups_answer() {
    answer(
        "<doc>  <eq_param name='device_status'>    <strvalue>OK</strvalue>  </eq_param>  <eq_param name='input_voltage_line_A'>    <floatvalue>220</floatvalue>  </eq_param>  <eq_param name='input_voltage_line_B'>    <floatvalue>220</floatvalue>  </eq_param>  <eq_param name='output_load_line_A'>    <floatvalue>60</floatvalue>  </eq_param>  <eq_param name='output_load_line_B'>    <floatvalue>60</floatvalue>  </eq_param>  <eq_param name='output_power_line_A'>    <floatvalue>49.23</floatvalue>  </eq_param>  <eq_param name='output_power_line_B'>    <floatvalue>40.7</floatvalue>  </eq_param>  <eq_param name='input_power_line_A'>    <floatvalue>49.23</floatvalue>  </eq_param>  <eq_param name='input_power_line_B'>    <floatvalue>40.7</floatvalue>  </eq_param>  <eq_param name='battary_time_remains'>    <floatvalue>24</floatvalue>  </eq_param></doc>",
    );
}
