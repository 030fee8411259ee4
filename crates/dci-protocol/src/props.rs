//! Property tests (proptest, bounded: in the gate): the request, response and `-info` readers
//! never panic on any text, and a request that reads writes back to itself. The documents are
//! built from the protocol's own element names with arbitrary values, so most of them get past
//! the XML and exercise the field checks.

use proptest::prelude::*;

use crate::request::{DEVICE_ELEMENTS, PORT_ELEMENTS};
use crate::{Document, Func, Info, Request};

/// Element text: anything printable, XML-escaped, sometimes one of the values fields take.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~\\t\\r\\n\u{e9}\u{44f}]{0,40}".prop_map(|s| escape(&s)),
        Just("SNMP v2c".to_owned()),
        Just("127.0.0.1:161".to_owned()),
        Just("[::1]:1161".to_owned()),
        Just("100".to_owned()),
        Just("on".to_owned()),
        Just("authpriv".to_owned()),
    ]
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('\r', "&#13;")
}

/// Up to eight of the protocol's `names` (and one it does not define), with arbitrary texts.
fn elements(names: &[&'static str]) -> impl Strategy<Value = String> {
    let mut names = names.to_vec();
    names.push("bogus");
    prop::collection::vec((prop::sample::select(names), text()), 0..8).prop_map(|v| {
        v.into_iter()
            .map(|(n, t)| format!("<{n}>{t}</{n}>"))
            .collect::<String>()
    })
}

fn request() -> impl Strategy<Value = String> {
    (
        prop::sample::select(
            &[
                "status",
                "statistics",
                "port_on",
                "port_off",
                "port_reset",
                "set_vlan",
                "mac_list",
                "port_speed",
                "nonsense",
            ][..],
        ),
        elements(DEVICE_ELEMENTS),
        prop::option::of(elements(PORT_ELEMENTS)),
        prop::option::of(prop::sample::select(
            &["current", "energy", "energy, current", " ", "watts"][..],
        )),
    )
        .prop_map(|(func, device, port, readings)| {
            format!(
                "<doc><func>{func}</func><device_params>{device}</device_params>{}{}</doc>",
                port.map(|p| format!("<port>{p}</port>"))
                    .unwrap_or_default(),
                readings
                    .map(|r| format!("<readings>{r}</readings>"))
                    .unwrap_or_default()
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_or_refused_never_a_panic(s in "\\PC{0,200}") {
        let _ = Request::parse(&s);
        let _ = Document::parse(&s);
        let _ = Info::parse(&s);
    }

    #[test]
    fn requests_that_read_write_back_to_themselves_and_validate_without_panic(doc in request()) {
        if let Ok(mut r) = Request::parse(&doc) {
            let again = Request::parse(&r.to_xml()).expect("what we wrote reads");
            // Elements the protocol does not define are noted, not written back.
            r.ignored.clear();
            prop_assert_eq!(&again, &r);
            let info = Info {
                device_type: crate::DeviceType::Switch,
                name: "t".into(),
                requirements: std::borrow::Cow::Borrowed(&[
                    crate::Requirement::Snmpv1,
                    crate::Requirement::Snmpv2c,
                    crate::Requirement::Snmpv3,
                ]),
                funcs: std::borrow::Cow::Borrowed(&[Func::Status, Func::PortOff, Func::SetVlan]),
            };
            let _ = r.validate(&info);
        }
    }
}
