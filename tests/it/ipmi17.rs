//! `ipmi20` on RMCP+ cipher suite 17 against the test BMC (`e2e::bmc`), whose conformance is
//! shown first by Debian's `ipmitool -I lanplus -C 17` logging in to it and reading and switching
//! power; then the handler does the same, negotiates the suite, uses a BMC key, and names what
//! goes wrong (a BMC that offers none of its suites, a wrong password, an unknown user, a
//! missing or wrong BMC key, a chassis that never follows). Suite 3 stays tested against
//! ipmi_sim (`tests/it/ipmi.rs`).

use std::time::Duration;

use dci_harness::Runner;
use dci_harness::check::{self, PortChoice};
use dci_protocol::{DeviceParams, ErrorType, Func, IPMI_PORT, PortStatus, Secret};
use e2e::bin;
use e2e::bmc::{BmcConfig, Follow, TestBmc};

use crate::cisco_switch::{Answer, Target, call_bin, port};

const USER: &str = "admin";
const PASSWORD: &str = "admin-pw-17";
/// A BMC key of 20 bytes, as BMCs take it in hex.
const KG: &[u8] = b"k-g-of-the-test-bmc!";
const FAST_FAIL: &[(&str, &str)] = &[("DCIH_TIMEOUT", "0.3"), ("DCIH_RETRIES", "1")];

fn device(bmc: &TestBmc, user: &str, password: &str) -> DeviceParams {
    DeviceParams {
        ip: Some(bmc.endpoint().parse().expect("an endpoint")),
        user: Some(user.to_owned()),
        pass: Some(Secret::new(password)),
        ..DeviceParams::default()
    }
}

#[track_caller]
fn call_as(bmc: &TestBmc, user: &str, password: &str, func: Func, env: &[(&str, &str)]) -> Answer {
    let target = Target {
        device: device(bmc, user, password),
        prefix: Vec::new(),
    };
    let power_port = (func != Func::Status).then(|| port(IPMI_PORT));
    call_bin("ipmi20", &target, func, power_port, env)
}

#[track_caller]
fn call(bmc: &TestBmc, func: Func, env: &[(&str, &str)]) -> Answer {
    call_as(bmc, USER, PASSWORD, func, env)
}

#[track_caller]
fn power(a: &Answer) -> PortStatus {
    let r = a.response();
    assert_eq!(r.ports.len(), 1, "{r:?}");
    r.ports[0].admin_status.expect("admin_status")
}

/// What ipmitool -C 17 reads: `true` for on.
#[track_caller]
fn ipmitool_reads(bmc: &TestBmc, kg: Option<&[u8]>) -> bool {
    let out = bmc.ipmitool(USER, PASSWORD, kg, &["chassis", "power", "status"]);
    let text = String::from_utf8_lossy(&out.stdout);
    match text.trim() {
        "Chassis Power is on" => true,
        "Chassis Power is off" => false,
        _ => panic!(
            "ipmitool -C 17 read neither: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn ipmitool_logs_in_to_the_test_bmc_with_suite_17_and_switches_power() {
    let bmc = TestBmc::start(BmcConfig::default());
    assert!(!ipmitool_reads(&bmc, None));
    let out = bmc.ipmitool(USER, PASSWORD, None, &["chassis", "power", "on"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(bmc.is_on());
    assert!(ipmitool_reads(&bmc, None));
    let out = bmc.ipmitool(USER, PASSWORD, None, &["chassis", "power", "off"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!ipmitool_reads(&bmc, None));
    // A wrong password: ipmitool's RAKP 2 check fails against it.
    let out = bmc.ipmitool(
        USER,
        "not-the-password",
        None,
        &["chassis", "power", "status"],
    );
    assert!(!out.status.success());
}

#[test]
fn ipmi20_negotiates_suite_17_reads_switches_and_resets() {
    let bmc = TestBmc::start(BmcConfig::default());
    let a = call(&bmc, Func::Status, &[("RUST_LOG", "ipmi_core=debug")]);
    assert_eq!(power(&a), PortStatus::Off);
    assert!(a.stderr.contains("auth=cipher suite 17"), "{}", a.stderr);
    assert!(!a.stderr.contains(PASSWORD));
    let a = call(&bmc, Func::PortOn, &[]);
    assert_eq!(power(&a), PortStatus::On);
    assert!(ipmitool_reads(&bmc, None));
    // Already on: read, nothing sent.
    let sent = bmc.commands();
    assert_eq!(power(&call(&bmc, Func::PortOn, &[])), PortStatus::On);
    assert_eq!(bmc.commands(), sent);
    // A reset of a running server is a hard reset; of a stopped one, power on.
    assert_eq!(power(&call(&bmc, Func::PortReset, &[])), PortStatus::On);
    assert_eq!(bmc.resets(), 1);
    assert_eq!(power(&call(&bmc, Func::PortOff, &[])), PortStatus::Off);
    assert!(!ipmitool_reads(&bmc, None));
    assert_eq!(power(&call(&bmc, Func::PortReset, &[])), PortStatus::On);
    assert_eq!(bmc.resets(), 1);
    assert!(ipmitool_reads(&bmc, None));
    // Pinned to 17, as an operator may.
    let a = call(&bmc, Func::Status, &[("DCIH_IPMI_CIPHER", "17")]);
    assert_eq!(power(&a), PortStatus::On);
}

#[test]
fn power_that_follows_late_is_waited_for() {
    let bmc = TestBmc::start(BmcConfig {
        follow: Follow::After(Duration::from_millis(1500)),
        ..BmcConfig::default()
    });
    let a = call(&bmc, Func::PortOn, &[]);
    assert_eq!(power(&a), PortStatus::On);
    assert!(a.elapsed >= Duration::from_millis(1400), "{:?}", a.elapsed);
}

#[test]
fn a_chassis_that_never_follows_is_named() {
    let bmc = TestBmc::start(BmcConfig {
        follow: Follow::Never,
        ..BmcConfig::default()
    });
    let mut env = FAST_FAIL.to_vec();
    env.push(("DCIH_CONFIRM_TIMEOUT", "1.2"));
    let a = call(&bmc, Func::PortOn, &env);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("did not follow: it still reads off after"),
        "{}",
        e.text
    );
    assert!(a.elapsed < Duration::from_secs(3), "{:?}", a.elapsed);
}

#[test]
fn a_bmc_key_is_taken_from_the_environment_or_a_file_and_never_shown() {
    let bmc = TestBmc::start(BmcConfig {
        kg: Some(KG.to_vec()),
        ..BmcConfig::default()
    });
    // ipmitool with the key logs in: the test BMC does two-key login as BMCs do.
    assert!(!ipmitool_reads(&bmc, Some(KG)));
    let hex: String = format!(
        "0x{}",
        KG.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let text = std::str::from_utf8(KG).expect("text");
    // Without the key: RAKP 4 does not verify, and the error says where the key goes.
    let a = call(&bmc, Func::Status, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text
            .contains("two-key login: give it in DCIH_IPMI_KG or DCIH_IPMI_KG_FILE"),
        "{}",
        e.text
    );
    // As text, as hex, and from a file.
    let debug = ("RUST_LOG", "trace");
    for env in [
        vec![("DCIH_IPMI_KG", text), debug],
        vec![("DCIH_IPMI_KG", hex.as_str()), debug],
    ] {
        let a = call(&bmc, Func::Status, &env);
        assert_eq!(power(&a), PortStatus::Off);
        assert!(
            !a.stderr.contains(text) && !a.stderr.contains(&hex[2..]),
            "the key was logged"
        );
    }
    let dir = e2e::Scratch::new("ipmi-kg");
    let file = dir.file("kg", &format!("{hex}\n"));
    let a = call(
        &bmc,
        Func::Status,
        &[("DCIH_IPMI_KG_FILE", file.to_str().expect("a path"))],
    );
    assert_eq!(power(&a), PortStatus::Off);
    // A wrong key, and a key that cannot be one: named, never shown.
    let a = call(&bmc, Func::Status, &[("DCIH_IPMI_KG", "not-the-key")]);
    let e = a.error();
    assert!(e.text.contains("is not this BMC's"), "{}", e.text);
    assert!(!e.text.contains("not-the-key"));
    let a = call(&bmc, Func::Status, &[("DCIH_IPMI_KG", "0x12345")]);
    let e = a.error();
    assert!(
        e.text.contains(
            "DCIH_IPMI_KG: a hex key needs an even number of hex digits (the key is not shown)"
        ),
        "{}",
        e.text
    );
    assert!(!e.text.contains("12345"));
}

#[test]
fn a_bmc_without_our_suites_a_wrong_password_and_an_unknown_user_are_named() {
    let old = TestBmc::start(BmcConfig {
        offered: vec![1, 2],
        ..BmcConfig::default()
    });
    let e = call(&old, Func::Status, FAST_FAIL).error().clone();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains(
            "offers RMCP+ cipher suites 1, 2 and none of those this handler speaks (17, 3)"
        ),
        "{}",
        e.text
    );
    let bmc = TestBmc::start(BmcConfig::default());
    let a = call_as(&bmc, USER, "Not-The-Pw-17", Func::Status, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains("rejected the password of user 'admin'"),
        "{}",
        e.text
    );
    assert!(!e.text.contains("Not-The-Pw-17") && !a.stderr.contains("Not-The-Pw-17"));
    let e = call_as(&bmc, "nobody", PASSWORD, Func::Status, FAST_FAIL)
        .error()
        .clone();
    assert!(
        e.text.contains("does not know the user 'nobody'"),
        "{}",
        e.text
    );
}

#[test]
fn harness_check_passes_on_suite_17() {
    let bmc = TestBmc::start(BmcConfig {
        on: true,
        ..BmcConfig::default()
    });
    let report = check::run(
        &Runner::new(bin("ipmi20")).timeout(Duration::from_secs(30)),
        &device(&bmc, USER, PASSWORD),
        &PortChoice::Named(IPMI_PORT.into()),
    );
    let steps: Vec<String> = report.steps.iter().map(ToString::to_string).collect();
    assert!(report.passed(), "{}", steps.join("\n"));
    assert!(steps.iter().any(|s| s.contains("port_off")), "{steps:?}");
    assert!(ipmitool_reads(&bmc, None));
}
