//! A request as DCImanager sends it: read, validated, written back and read again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut r) = dci_protocol::Request::parse(text) {
        let again = dci_protocol::Request::parse(&r.to_xml()).expect("what we wrote reads");
        r.ignored.clear();
        assert_eq!(again, r);
        for info in [
            dci_protocol::Info {
                device_type: dci_protocol::DeviceType::Switch,
                name: "f".into(),
                requirements: std::borrow::Cow::Borrowed(&[
                    dci_protocol::Requirement::Snmpv1,
                    dci_protocol::Requirement::Snmpv2c,
                    dci_protocol::Requirement::Snmpv3,
                ]),
                funcs: std::borrow::Cow::Borrowed(&[
                    dci_protocol::Func::Status,
                    dci_protocol::Func::PortOff,
                    dci_protocol::Func::SetVlan,
                ]),
            },
            dci_protocol::Info {
                device_type: dci_protocol::DeviceType::Ipmi,
                name: "f".into(),
                requirements: std::borrow::Cow::Borrowed(&[]),
                funcs: std::borrow::Cow::Borrowed(&[
                    dci_protocol::Func::Status,
                    dci_protocol::Func::PortOn,
                ]),
            },
        ] {
            let _ = r.validate(&info);
        }
    }
});
