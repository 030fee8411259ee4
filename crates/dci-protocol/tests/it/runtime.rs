//! The runtime in-process: limits from the environment, dispatch, the deadline, and the
//! functions a handler declares but does not implement.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use dci_protocol::{
    Context, DeviceType, Error, ErrorType, Func, Handler, Info, Limits, PortId, PortState,
    PortStatus, Response, handle_with,
};

struct Slow;

impl Handler for Slow {
    const INFO: Info = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("slow"),
        requirements: Cow::Borrowed(&[]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff]),
    };

    async fn status(&self, _cx: &Context) -> Result<Response, Error> {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok(Response::default())
    }

    async fn port_on(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        assert!(cx.remaining() > Duration::ZERO);
        Ok(PortState {
            admin_status: Some(PortStatus::On),
            ..PortState::new(port.as_str())
        })
    }
    // port_off is declared but not implemented: a handler bug the runtime reports.
}

const PDU_REQ: &str = "<doc><func>{f}</func><device_params><ip>127.0.0.1</ip></device_params><port><identity>3</identity></port></doc>";

fn req(func: &str) -> String {
    PDU_REQ.replace("{f}", func)
}

#[test]
fn later_rounds_wait_longer_up_to_the_cap() {
    let l = Limits::default();
    let rounds: Vec<u128> = (0..6).map(|r| l.round_timeout(r).as_millis()).collect();
    assert_eq!(rounds, [500, 1000, 2000, 4000, 4000, 4000]);
    // Far rounds do not overflow.
    assert_eq!(l.round_timeout(u32::MAX), Duration::from_secs(4));
    let flat = Limits {
        timeout_max: Duration::from_millis(100),
        ..l
    };
    assert_eq!(flat.round_timeout(3), Duration::from_millis(500));
}

#[test]
fn limits_defaults_and_overrides() {
    assert_eq!(Limits::from_lookup(|_| None).unwrap(), Limits::default());
    let l = Limits::from_lookup(|k| match k {
        "DCIH_TIMEOUT" => Some("0.25".into()),
        "DCIH_RETRIES" => Some("0".into()),
        "DCIH_DEADLINE" => Some("5".into()),
        "DCIH_CONFIRM_TIMEOUT" => Some("2.5".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(l.timeout, Duration::from_millis(250));
    assert_eq!(l.retries, 0);
    assert_eq!(l.deadline, Duration::from_secs(5));
    assert_eq!(l.confirm, Duration::from_millis(2500));
    // The cap defaults to 4 s; a cap under the first timeout is raised to it.
    assert_eq!(l.timeout_max, Duration::from_secs(4));
    let l = Limits::from_lookup(|k| match k {
        "DCIH_TIMEOUT" => Some("2".into()),
        "DCIH_TIMEOUT_MAX" => Some("1".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(l.timeout_max, Duration::from_secs(2));
    for (k, v, msg) in [
        (
            "DCIH_TIMEOUT_MAX",
            "0",
            "environment variable DCIH_TIMEOUT_MAX: expected a number of seconds above 0 and at most 3600, got '0'",
        ),
        (
            "DCIH_TIMEOUT",
            "-1",
            "environment variable DCIH_TIMEOUT: expected a number of seconds above 0 and at most 3600, got '-1'",
        ),
        (
            "DCIH_DEADLINE",
            "soon",
            "environment variable DCIH_DEADLINE: expected a number of seconds above 0 and at most 3600, got 'soon'",
        ),
        (
            "DCIH_RETRIES",
            "99",
            "environment variable DCIH_RETRIES: expected a whole number from 0 to 20, got '99'",
        ),
    ] {
        let e = Limits::from_lookup(|key| (key == k).then(|| v.to_owned())).unwrap_err();
        assert_eq!(e.to_string(), msg);
    }
}

#[test]
fn dispatches_a_port_function() {
    let r = handle_with(&Slow, &req("port_on"), Limits::default()).unwrap();
    assert_eq!(r.ports.len(), 1);
    assert_eq!(r.ports[0].identity, "3");
    assert_eq!(r.ports[0].admin_status, Some(PortStatus::On));
}

#[test]
fn the_deadline_ends_a_slow_call() {
    let limits = Limits {
        deadline: Duration::from_millis(200),
        ..Limits::default()
    };
    let started = Instant::now();
    let e = handle_with(&Slow, &req("status"), limits).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(e, Error::Deadline { .. }), "{e:?}");
    let doc = e.to_doc();
    assert_eq!(doc.error_type, ErrorType::Connection);
    assert_eq!(doc.text, "no result within the overall deadline of 200 ms");
}

#[test]
fn declared_but_unimplemented_is_reported() {
    let e = handle_with(&Slow, &req("port_off"), Limits::default()).unwrap_err();
    assert_eq!(
        e.to_doc().text,
        "handler bug: 'port_off' is declared in -info but not implemented"
    );
}

#[test]
fn undeclared_functions_never_reach_the_handler() {
    let e = handle_with(&Slow, &req("port_reset"), Limits::default()).unwrap_err();
    let doc = e.to_doc();
    assert_eq!(doc.error_type, ErrorType::UnexpectedData);
    assert_eq!(
        doc.text,
        "func: 'port_reset' is not supported by this handler (it supports: status, port_on, port_off)"
    );
}

#[test]
fn error_text_carries_the_cause_chain() {
    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("no answer from 127.0.0.1:161")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
    let e = Error::connection(Outer(std::io::Error::other("connection refused")));
    let doc = e.to_doc();
    assert_eq!(doc.error_type, ErrorType::Connection);
    assert_eq!(doc.text, "no answer from 127.0.0.1:161: connection refused");
}
