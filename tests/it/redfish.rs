//! `redfish-power` end to end: the real executable against OpenStack's sushy-tools Redfish
//! emulator (`e2e::redfish`) on 127.0.0.1 over HTTPS with a certificate generated per start and
//! HTTP basic authentication; curl reads the same system as the cross-check after every change.
//! Every function, the three ways of trusting the BMC's certificate and what happens without
//! them, and every failure the issue names, each inside the deadline with the password never
//! shown.

use std::time::Duration;

use dci_harness::Runner;
use dci_harness::check::{self, PortChoice};
use dci_protocol::{
    DeviceParams, DeviceType, ErrorType, Func, IPMI_PORT, Info, PortStatus, Secret,
};
use e2e::redfish::{FakeSystem, PASSWORD, Sushy, USER};
use e2e::{bin, run, stdout};

use crate::cisco_switch::{Answer, Target, call_bin, port};

const NODE: &str = "27946b59-9e44-4fa7-8e91-f3527a1ef094";

fn device(s: &Sushy, password: &str) -> DeviceParams {
    DeviceParams {
        ip: Some(s.endpoint().parse().expect("an endpoint")),
        user: Some(USER.to_owned()),
        pass: Some(Secret::new(password)),
        ..DeviceParams::default()
    }
}

/// `func` as DCImanager runs it, with `env`; the emulator's CA is trusted (DCIH_REDFISH_CA_FILE)
/// unless `env` says how to trust the BMC.
#[track_caller]
fn call_env(s: &Sushy, func: Func, password: &str, env: &[(&str, &str)]) -> Answer {
    const TRUST: [&str; 3] = [
        "DCIH_REDFISH_CA_FILE",
        "DCIH_REDFISH_PIN_SHA256",
        "DCIH_REDFISH_INSECURE_SKIP_VERIFY",
    ];
    let ca = s.ca().to_string_lossy().into_owned();
    let mut all = env.to_vec();
    if !env.iter().any(|(k, _)| TRUST.contains(k)) {
        all.push(("DCIH_REDFISH_CA_FILE", &ca));
    }
    let target = Target {
        device: device(s, password),
        prefix: Vec::new(),
    };
    let power_port = (func != Func::Status).then(|| port(IPMI_PORT));
    call_bin("redfish-power", &target, func, power_port, &all)
}

#[track_caller]
fn call(s: &Sushy, func: Func) -> Answer {
    call_env(s, func, PASSWORD, &[])
}

#[track_caller]
fn power(a: &Answer) -> PortStatus {
    let r = a.response();
    assert_eq!(r.ports.len(), 1, "{r:?}");
    assert_eq!(r.ports[0].identity, IPMI_PORT);
    r.ports[0].admin_status.expect("admin_status")
}

#[test]
fn info_declares_an_ipmi_device_with_the_four_functions() {
    let out = run(&bin("redfish-power"), &["-info"], None, &[]);
    let info = Info::parse(&stdout(&out)).expect("an info document");
    assert_eq!(info.device_type, DeviceType::Ipmi);
    assert_eq!(info.funcs_list(), "status, port_on, port_off, port_reset");
}

#[test]
fn every_function_confirmed_and_curl_agrees() {
    let s = Sushy::start();
    let a = call(&s, Func::Status);
    assert_eq!(power(&a), PortStatus::Off);
    // The system's Manufacturer (the emulator gives no Model), as curl reads it.
    let system = String::from_utf8_lossy(&s.curl(&[&format!("/redfish/v1/Systems/{NODE}")]).stdout)
        .into_owned();
    assert!(
        system.contains("\"Manufacturer\": \"Sushy Emulator\""),
        "{system}"
    );
    assert_eq!(
        a.response().ports[0].description.as_deref(),
        Some("Sushy Emulator")
    );
    let (a, sent) = logged(&s, Func::PortOn, &[]);
    assert_eq!((power(&a), sent), (PortStatus::On, Some("On".to_owned())));
    assert_eq!(s.power_state(NODE), "On");
    // Already on: read, nothing sent.
    let (a, sent) = logged(&s, Func::PortOn, &[]);
    assert_eq!((power(&a), sent), (PortStatus::On, None));
    // A running server restarts (ForceRestart, read back on); a stopped one powers on.
    let (a, sent) = logged(&s, Func::PortReset, &[]);
    assert_eq!(
        (power(&a), sent),
        (PortStatus::On, Some("ForceRestart".to_owned()))
    );
    let (a, sent) = logged(&s, Func::PortOff, &[]);
    assert_eq!(
        (power(&a), sent),
        (PortStatus::Off, Some("ForceOff".to_owned()))
    );
    assert_eq!(s.power_state(NODE), "Off");
    let (a, sent) = logged(&s, Func::PortReset, &[]);
    assert_eq!((power(&a), sent), (PortStatus::On, Some("On".to_owned())));
    assert_eq!(s.power_state(NODE), "On");
    // Graceful shutdown on the operator's word.
    let (a, sent) = logged(&s, Func::PortOff, &[("DCIH_REDFISH_OFF", "graceful")]);
    assert_eq!(
        (power(&a), sent),
        (PortStatus::Off, Some("GracefulShutdown".to_owned()))
    );
    assert_eq!(s.power_state(NODE), "Off");
}

/// `func` with its info log, and the ResetType it says it sent, if any.
#[track_caller]
fn logged(s: &Sushy, func: Func, env: &[(&str, &str)]) -> (Answer, Option<String>) {
    let mut all = env.to_vec();
    all.push(("RUST_LOG", "redfish_power=info"));
    let a = call_env(s, func, PASSWORD, &all);
    let sent = a
        .stderr
        .lines()
        .filter(|l| l.contains("ComputerSystem.Reset"))
        .find_map(|l| l.split("reset_type=").nth(1))
        .map(|v| {
            v.split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_matches('"')
                .to_owned()
        });
    (a, sent)
}

#[test]
fn status_costs_two_requests_and_the_password_is_never_logged() {
    let s = Sushy::start();
    let a = call_env(&s, Func::Status, PASSWORD, &[("RUST_LOG", "trace")]);
    assert_eq!(power(&a), PortStatus::Off);
    assert!(a.stderr.contains("requests=2"), "{}", a.stderr);
    assert!(!a.stderr.contains(PASSWORD), "the password was logged");
    // Nor its basic-authentication form (base64 of user:password) or the header at all.
    assert!(
        !a.stderr.to_ascii_lowercase().contains("authorization"),
        "{}",
        a.stderr
    );
}

#[test]
fn the_certificate_is_verified_and_each_way_of_trusting_it_works() {
    let s = Sushy::start();
    let fp = s.fingerprint();
    // Nothing set: the system store does not know the emulator's self-signed certificate. The
    // error shows the fingerprint and the variable to set.
    let target = Target {
        device: device(&s, PASSWORD),
        prefix: Vec::new(),
    };
    let a = call_bin("redfish-power", &target, Func::Status, None, &[]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains(&format!("DCIH_REDFISH_PIN_SHA256={fp}")),
        "{}\n{fp}",
        e.text
    );
    assert!(e.text.contains("DCIH_REDFISH_CA_FILE"), "{}", e.text);
    // Pinned: works; a wrong pin: refused, naming the certificate seen.
    let a = call_env(
        &s,
        Func::Status,
        PASSWORD,
        &[("DCIH_REDFISH_PIN_SHA256", &fp)],
    );
    assert_eq!(power(&a), PortStatus::Off);
    let wrong = "00:".repeat(31) + "00";
    let a = call_env(
        &s,
        Func::Status,
        PASSWORD,
        &[("DCIH_REDFISH_PIN_SHA256", &wrong)],
    );
    let e = a.error();
    assert!(
        e.text.contains("not the one pinned") && e.text.contains(&fp),
        "{}",
        e.text
    );
    // The BMC's own self-signed certificate (marked a CA, which path validation refuses as a
    // server's) as the CA file: trusted as it is. call_env's default does the same; this says
    // it outright.
    let own = s.certificate();
    let own = own.to_str().expect("a path");
    let a = call_env(&s, Func::Status, PASSWORD, &[("DCIH_REDFISH_CA_FILE", own)]);
    assert_eq!(power(&a), PortStatus::Off);
    // A certificate issued by a CA: verified through the CA, its name checked.
    let issued = Sushy::issued_by_ca();
    let ca = issued.ca();
    let ca = ca.to_str().expect("a path");
    let a = call_env(
        &issued,
        Func::Status,
        PASSWORD,
        &[("DCIH_REDFISH_CA_FILE", ca)],
    );
    assert_eq!(power(&a), PortStatus::Off);
    // A CA that did not issue this BMC's certificate: refused.
    let a = call_env(&s, Func::Status, PASSWORD, &[("DCIH_REDFISH_CA_FILE", ca)]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains("does not verify") && e.text.contains(&fp),
        "{}",
        e.text
    );
    // Insecure, by the variable that says so.
    let a = call_env(
        &s,
        Func::Status,
        PASSWORD,
        &[("DCIH_REDFISH_INSECURE_SKIP_VERIFY", "1")],
    );
    assert_eq!(power(&a), PortStatus::Off);
}

#[test]
fn a_wrong_password_is_a_connection_error_that_never_shows_it() {
    let s = Sushy::start();
    let a = call_env(&s, Func::Status, "Not-The-Pw-9", &[("RUST_LOG", "trace")]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains("refused user 'admin' (HTTP 401"),
        "{}",
        e.text
    );
    assert!(!e.text.contains("Not-The-Pw-9") && !a.stderr.contains("Not-The-Pw-9"));
}

#[test]
fn a_system_that_never_follows_is_named_within_the_limit() {
    let s = Sushy::with(&[FakeSystem {
        name: "stuck",
        uuid: "5f2c6f6e-0000-4000-8000-00000000aaaa",
        on: false,
    }]);
    let a = call_env(&s, Func::PortOn, PASSWORD, &[("DCIH_CONFIRM_TIMEOUT", "2")]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("accepted ComputerSystem.Reset (On) but the system did not follow: PowerState still reads Off after"),
        "{}",
        e.text
    );
    assert!(
        a.elapsed >= Duration::from_millis(1500) && a.elapsed < Duration::from_secs(5),
        "{:?}",
        a.elapsed
    );
}

/// A reset carried out whose answer is lost (the connection closed once it was sent): the
/// handler does not send it again; it reads the system, which shows the state. A lost answer
/// to a ForceRestart, which leaves the system on either way, stays an error.
#[test]
fn a_lost_answer_to_a_reset_is_read_back_never_resent() {
    let s = Sushy::start();
    assert_eq!(s.power_state(NODE), "Off");
    s.fault(Some("lost-reset"));
    let posts = |s: &Sushy| {
        s.log()
            .lines()
            .filter(|l| l.starts_with("request POST") && l.ends_with("ComputerSystem.Reset"))
            .count()
    };
    let a = call_env(
        &s,
        Func::PortOn,
        PASSWORD,
        &[("RUST_LOG", "redfish_power=debug")],
    );
    assert_eq!(power(&a), PortStatus::On, "{}", a.stderr);
    assert!(a.stderr.contains("no answer to the reset"), "{}", a.stderr);
    assert!(s.log().contains("reset carried out, its answer dropped"));
    assert_eq!(posts(&s), 1, "{}", s.log());
    assert_eq!(s.power_state(NODE), "On");
    let a = call(&s, Func::PortReset);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection, "{}", e.text);
    assert!(
        e.text.contains("broke during POST") && e.text.contains("it may have been carried out"),
        "{}",
        e.text
    );
    assert_eq!(posts(&s), 2, "{}", s.log());
    s.fault(None);
}

#[test]
fn a_broken_bmc_gives_the_right_error_inside_the_deadline() {
    let s = Sushy::start();
    s.fault(Some("500"));
    let a = call(&s, Func::Status);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains(
            "answered HTTP 500 to GET /redfish/v1/Systems: The BMC is restarting its web service."
        ),
        "{}",
        e.text
    );
    s.fault(Some("html"));
    let e = call(&s, Func::Status).error().clone();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("a body that is not JSON (text/html"),
        "{}",
        e.text
    );
    s.fault(Some("hang"));
    let a = call_env(&s, Func::Status, PASSWORD, &[("DCIH_DEADLINE", "2")]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(e.text.contains("before the call's deadline"), "{}", e.text);
    assert!(a.elapsed < Duration::from_secs(4), "{:?}", a.elapsed);
    s.fault(None);
}

#[test]
fn nothing_listening_is_named_fast() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let target = Target {
        device: DeviceParams {
            ip: Some(format!("127.0.0.1:{port}").parse().unwrap()),
            user: Some(USER.into()),
            pass: Some(Secret::new(PASSWORD)),
            ..DeviceParams::default()
        },
        prefix: Vec::new(),
    };
    let a = call_bin("redfish-power", &target, Func::Status, None, &[]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains("cannot connect to the BMC at 127.0.0.1:"),
        "{}",
        e.text
    );
    assert!(a.elapsed < Duration::from_secs(2), "{:?}", a.elapsed);
}

#[test]
fn harness_check_passes() {
    let s = Sushy::with(&[FakeSystem {
        name: "node",
        uuid: NODE,
        on: true,
    }]);
    let ca = s.ca();
    let report = check::run(
        &Runner::new(bin("redfish-power"))
            .timeout(Duration::from_secs(60))
            .env("DCIH_REDFISH_CA_FILE", ca.to_str().unwrap()),
        &device(&s, PASSWORD),
        &PortChoice::Named(IPMI_PORT.into()),
    );
    let steps: Vec<String> = report.steps.iter().map(ToString::to_string).collect();
    assert!(report.passed(), "{}", steps.join("\n"));
    assert!(steps.iter().any(|st| st.contains("port_off")), "{steps:?}");
    assert_eq!(s.power_state(NODE), "On");
}

#[test]
fn a_session_login_is_deleted_at_the_end() {
    let s = Sushy::start();
    // The test bed's session service is a Redfish one: DMTF's own client logs in through it.
    let out = s.dmtf_client_reads(&format!("/redfish/v1/Systems/{NODE}"), "PowerState");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Off");
    assert_eq!(s.sessions(), 0);
    let session = ("DCIH_REDFISH_AUTH", "session");
    let a = call_env(
        &s,
        Func::Status,
        PASSWORD,
        &[session, ("RUST_LOG", "trace")],
    );
    assert_eq!(power(&a), PortStatus::Off);
    assert!(a.stderr.contains("Redfish session created"), "{}", a.stderr);
    assert!(a.stderr.contains("requests=4"), "{}", a.stderr);
    // The password travels in the session request's body: never in the log.
    assert!(!a.stderr.contains(PASSWORD), "the password was logged");
    assert_eq!(s.sessions(), 0, "the session was not deleted");
    let a = call_env(&s, Func::PortOn, PASSWORD, &[session]);
    assert_eq!(power(&a), PortStatus::On);
    assert_eq!(s.sessions(), 0);
    // A wrong password at the session's creation.
    let e = call_env(&s, Func::Status, "Not-The-Pw-9", &[session])
        .error()
        .clone();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains(
            "refused user 'admin' (HTTP 401 to POST /redfish/v1/SessionService/Sessions)"
        ),
        "{}",
        e.text
    );
}

#[test]
fn reset_types_come_from_the_action_info_and_a_refused_one_is_never_sent() {
    let id = "0b3e6a2c-0000-4000-8000-00000000beef";
    let s = Sushy::with(&[FakeSystem {
        name: "actioninfo",
        uuid: id,
        on: true,
    }]);
    // ForceOff is not among what the ActionInfo allows: refused before anything is sent.
    let e = call(&s, Func::PortOff).error().clone();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains(&format!(
            "does not allow ResetType ForceOff on /redfish/v1/Systems/{id} (it allows On, GracefulShutdown, ForceRestart)"
        )),
        "{}",
        e.text
    );
    assert_eq!(s.power_state(id), "On");
    // GracefulShutdown is.
    let a = call_env(
        &s,
        Func::PortOff,
        PASSWORD,
        &[("DCIH_REDFISH_OFF", "graceful")],
    );
    assert_eq!(power(&a), PortStatus::Off);
    assert_eq!(s.power_state(id), "Off");
}
