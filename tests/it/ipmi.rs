//! `ipmi15` and `ipmi20` end to end: the real executables against OpenIPMI's `ipmi_sim`
//! (`e2e::ipmi_sim`), every function on both handlers, and after every change Debian's
//! `ipmitool` reading the same simulator over both LAN versions (the oracle).
//!
//! Every test has a simulator of its own (start-up takes milliseconds): power state is per
//! simulator, and the tests run in parallel. Calls expected to fail use two tries of 0.3 s.

use std::net::UdpSocket;
use std::time::Duration;

use dci_harness::Runner;
use dci_harness::check::{self, PortChoice};
use dci_protocol::{
    DeviceParams, DeviceType, Document, ErrorType, Func, IPMI_PORT, Info, PortStatus, Secret,
};
use e2e::ipmi_sim::{ADMIN, IpmiSim, Lan, OPERATOR, SimConfig, USERS, User, VIEWER};
use e2e::{bin, run, stderr, stdout};

use crate::cisco_switch::{Answer, Target, call_bin, port};

const HANDLERS: [&str; 2] = ["ipmi15", "ipmi20"];

/// Per-request timeout and retries for calls expected to fail: two tries of 0.3 s.
const FAST_FAIL: &[(&str, &str)] = &[("DCIH_TIMEOUT", "0.3"), ("DCIH_RETRIES", "1")];

/// "Well inside the deadline" for a call that fails after two tries of 0.3 s: 0.6 s and the
/// process, with room for a loaded machine, and far below the 3 s of the default limits.
const FAIL_WITHIN: Duration = Duration::from_secs(2);

/// An answer's one port, for the IPMI handlers.
impl Answer {
    /// The one port's admin status, checked to be the `power` port.
    #[track_caller]
    fn power(&self) -> PortStatus {
        let r = self.response();
        assert_eq!(r.ports.len(), 1, "{r:?}");
        assert_eq!(r.ports[0].identity, IPMI_PORT);
        r.ports[0].admin_status.expect("admin_status")
    }
}

fn device(sim_endpoint: &str, user: &User) -> DeviceParams {
    DeviceParams {
        ip: Some(sim_endpoint.parse().expect("an endpoint")),
        user: Some(user.name.to_owned()),
        pass: Some(Secret::new(user.password)),
        ..DeviceParams::default()
    }
}

/// Runs `handler` with `func` as `user` against `endpoint`, as DCImanager does.
#[track_caller]
fn call_at(handler: &str, endpoint: &str, func: Func, user: &User, env: &[(&str, &str)]) -> Answer {
    let target = Target {
        device: device(endpoint, user),
        prefix: Vec::new(),
    };
    let power_port = (func != Func::Status).then(|| port(IPMI_PORT));
    call_bin(handler, &target, func, power_port, env)
}

#[track_caller]
fn call(handler: &str, sim: &IpmiSim, func: Func, user: &User, env: &[(&str, &str)]) -> Answer {
    call_at(handler, &sim.endpoint(), func, user, env)
}

/// Both LAN versions of ipmitool read `on`.
#[track_caller]
fn oracle_says(sim: &IpmiSim, on: bool) {
    for lan in [Lan::V15, Lan::V20] {
        assert_eq!(sim.oracle_power(lan), on, "ipmitool over {lan:?}");
    }
}

fn status_of(on: bool) -> PortStatus {
    if on { PortStatus::On } else { PortStatus::Off }
}

#[test]
fn info_declares_an_ipmi_device_with_the_four_functions() {
    for handler in HANDLERS {
        let out = run(&bin(handler), &["-info"], None, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        let info = Info::parse(&stdout(&out)).unwrap();
        assert_eq!(info.device_type, DeviceType::Ipmi);
        assert!(info.requirements.is_empty());
        assert_eq!(
            &*info.funcs,
            &[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]
        );
    }
}

#[test]
fn status_reads_the_power_state_and_names_the_bmc() {
    let sim = IpmiSim::start();
    for on in [false, true] {
        sim.set_power(on);
        for handler in HANDLERS {
            // USER privilege is enough to read.
            let a = call(handler, &sim, Func::Status, &VIEWER, &[]);
            assert_eq!(a.power(), status_of(on), "{handler}");
            assert_eq!(
                a.response().ports[0].description.as_deref(),
                Some("MontaVista (OpenIPMI) BMC, product 0x0f02, firmware 9.08, IPMI 2.0"),
                "{handler}"
            );
            assert!(a.stderr.is_empty(), "quiet by default: {}", a.stderr);
        }
        oracle_says(&sim, on);
    }
}

/// port_off, port_off again (nothing to do), port_on, port_reset of a running server (a hard
/// reset), port_reset of a stopped one (powered on instead), each confirmed by ipmitool.
fn switch_and_reset(handler: &str) {
    let sim = IpmiSim::start();
    sim.set_power(true);
    let off = call(handler, &sim, Func::PortOff, &OPERATOR, &[]);
    assert_eq!(off.power(), PortStatus::Off);
    oracle_says(&sim, false);
    let again = call(handler, &sim, Func::PortOff, &OPERATOR, &[]);
    assert_eq!(again.power(), PortStatus::Off);
    oracle_says(&sim, false);
    let on = call(handler, &sim, Func::PortOn, &OPERATOR, &[]);
    assert_eq!(on.power(), PortStatus::On);
    oracle_says(&sim, true);
    assert_eq!(sim.resets(), 0);
    let reset = call(handler, &sim, Func::PortReset, &OPERATOR, &[]);
    assert_eq!(reset.power(), PortStatus::On);
    assert_eq!(sim.resets(), 1, "a running server gets a hard reset");
    oracle_says(&sim, true);
    sim.set_power(false);
    let reset = call(handler, &sim, Func::PortReset, &OPERATOR, &[]);
    assert_eq!(reset.power(), PortStatus::On);
    assert_eq!(sim.resets(), 1, "a stopped server is powered on, not reset");
    oracle_says(&sim, true);
    // Every session was closed: the only one left is the oracle's own.
    let out = sim.ipmitool(Lan::V20, &ADMIN, &["session", "info", "active"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.split(':').map(str::trim).collect::<Vec<_>>() == ["active sessions", "1"]),
        "{text}"
    );
}

#[test]
fn ipmi15_switches_resets_and_ipmitool_agrees() {
    switch_and_reset("ipmi15");
}

#[test]
fn ipmi20_switches_resets_and_ipmitool_agrees() {
    switch_and_reset("ipmi20");
}

#[test]
fn harness_check_passes_on_the_power_port() {
    let sim = IpmiSim::start();
    sim.set_power(true);
    for handler in HANDLERS {
        let report = check::run(
            &Runner::new(bin(handler)).timeout(Duration::from_secs(30)),
            &device(&sim.endpoint(), &ADMIN),
            &PortChoice::Named(IPMI_PORT.into()),
        );
        let steps: Vec<String> = report.steps.iter().map(ToString::to_string).collect();
        assert!(report.passed(), "{handler}:\n{}", steps.join("\n"));
        assert!(
            steps.iter().any(|s| s.contains("port_off")),
            "{handler} switched the power: {steps:?}"
        );
    }
    oracle_says(&sim, true);
}

#[test]
fn a_wrong_password_is_a_connection_error_that_never_shows_it() {
    let sim = IpmiSim::start();
    let wrong = User {
        password: "Not-The-Pw-42",
        ..ADMIN
    };
    let mut env = FAST_FAIL.to_vec();
    env.push(("RUST_LOG", "trace"));
    for handler in HANDLERS {
        let a = call(handler, &sim, Func::Status, &wrong, &env);
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::Connection, "{handler}: {}", e.text);
        assert!(
            e.text.contains("rejected the password of user 'admin'"),
            "{handler}: {}",
            e.text
        );
        assert!(a.elapsed < FAIL_WITHIN, "{handler}: {:?}", a.elapsed);
        for text in [&e.text, &a.stderr] {
            assert!(
                !text.contains(wrong.password),
                "{handler} showed the password"
            );
            assert!(!text.contains(ADMIN.password));
        }
    }
}

#[test]
fn an_unknown_user_is_named() {
    let sim = IpmiSim::start();
    let nobody = User {
        name: "nobody",
        ..ADMIN
    };
    for handler in HANDLERS {
        let a = call(handler, &sim, Func::Status, &nobody, FAST_FAIL);
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::Connection);
        assert!(
            e.text.contains("does not know the user 'nobody'"),
            "{handler}: {}",
            e.text
        );
        assert!(a.elapsed < FAIL_WITHIN, "{handler}: {:?}", a.elapsed);
    }
}

#[test]
fn nothing_listening_and_a_silent_bmc_fail_inside_the_deadline() {
    // A port nobody listens on: the host answers port unreachable.
    let closed = UdpSocket::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    // A socket that receives and never answers.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let silent_at = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    for handler in HANDLERS {
        let a = call_at(
            handler,
            &format!("127.0.0.1:{closed_port}"),
            Func::Status,
            &ADMIN,
            FAST_FAIL,
        );
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::Connection);
        assert!(e.text.contains("nothing listens"), "{handler}: {}", e.text);
        assert!(a.elapsed < FAIL_WITHIN, "{handler}: {:?}", a.elapsed);
        // Told at once with the default limits too, not after the tries.
        let a = call_at(
            handler,
            &format!("127.0.0.1:{closed_port}"),
            Func::Status,
            &ADMIN,
            &[],
        );
        assert!(
            a.error().text.contains("nothing listens"),
            "{handler}: {}",
            a.error().text
        );
        assert!(
            a.elapsed < Duration::from_millis(500),
            "{handler}: {:?}",
            a.elapsed
        );

        let a = call_at(handler, &silent_at, Func::PortOn, &ADMIN, FAST_FAIL);
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::Connection);
        // Until the BMC first answers, its steps share one exchange's tries: ipmi20's cipher
        // suite list takes one and one is kept for the question after Open Session.
        let tries = if handler == "ipmi20" {
            "after 1 try of 300 ms"
        } else {
            "after 2 tries of 300 ms"
        };
        assert!(
            e.text.contains("no answer from the BMC") && e.text.contains(tries),
            "{handler}: {}",
            e.text
        );
        assert!(
            a.elapsed >= Duration::from_millis(600) && a.elapsed < FAIL_WITHIN,
            "{handler}: {:?}",
            a.elapsed
        );
    }
}

#[test]
fn the_overall_deadline_bounds_a_silent_bmc() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let at = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    for handler in HANDLERS {
        // Ten tries of a second would take ten; the deadline says one.
        let env = [
            ("DCIH_TIMEOUT", "1"),
            ("DCIH_RETRIES", "9"),
            ("DCIH_DEADLINE", "1"),
        ];
        let a = call_at(handler, &at, Func::Status, &ADMIN, &env);
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::Connection);
        assert!(
            e.text.contains("within the deadline of 1 s"),
            "{handler}: {}",
            e.text
        );
        assert!(
            a.elapsed < Duration::from_millis(1800),
            "{handler}: {:?}",
            a.elapsed
        );
    }
}

#[test]
fn a_chassis_that_never_follows_is_reported_with_the_state_read() {
    let sim = IpmiSim::start();
    sim.set_stuck(true);
    let mut env = FAST_FAIL.to_vec();
    env.push(("DCIH_CONFIRM_TIMEOUT", "1.2"));
    for handler in HANDLERS {
        let a = call(handler, &sim, Func::PortOn, &OPERATOR, &env);
        let e = a.error();
        assert_eq!(e.error_type, ErrorType::UnexpectedData);
        assert!(
            e.text.contains(
                "accepted Chassis Control (power up) but the power state did not follow: it still reads off after"
            ),
            "{handler}: {}",
            e.text
        );
        assert!(
            a.elapsed >= Duration::from_millis(1000) && a.elapsed < Duration::from_secs(3),
            "{handler}: {:?}",
            a.elapsed
        );
    }
    oracle_says(&sim, false);
}

#[test]
fn power_control_needs_operator_privilege() {
    // IPMI 1.5: the BMC enforces the user's limit at Activate Session; status needs USER only.
    let sim = IpmiSim::start();
    sim.set_power(true);
    assert_eq!(
        call("ipmi15", &sim, Func::Status, &VIEWER, &[]).power(),
        PortStatus::On
    );
    let a = call("ipmi15", &sim, Func::PortOff, &VIEWER, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text
            .contains("does not grant user 'viewer' the OPERATOR privilege"),
        "{}",
        e.text
    );
    // ipmi_sim enforces neither a user's limit nor the channel's `priv_limit` over RMCP+, so
    // the IPMI 2.0 refusal (RAKP status "unauthorized role", Set Session Privilege Level 0x80 or
    // 0x81, a command answered 0xD4) is covered by ipmi-core's unit tests.
    oracle_says(&sim, true);
}

#[test]
fn the_privilege_variable_asks_for_more() {
    let sim = IpmiSim::start();
    let env = [
        ("DCIH_IPMI_PRIVILEGE", "administrator"),
        ("RUST_LOG", "ipmi_core=debug"),
    ];
    for handler in HANDLERS {
        let a = call(handler, &sim, Func::Status, &ADMIN, &env);
        assert_eq!(a.power(), PortStatus::Off);
        assert!(
            a.stderr.contains("privilege=ADMINISTRATOR"),
            "{handler}: {}",
            a.stderr
        );
    }
    // The operator account may not be administrator (IPMI 1.5 enforces it).
    let a = call("ipmi15", &sim, Func::Status, &OPERATOR, &env);
    assert!(
        a.error().text.contains("the ADMINISTRATOR privilege"),
        "{}",
        a.error().text
    );
    // Without it, the lowest level each operation needs.
    let env = [("RUST_LOG", "ipmi_core=debug")];
    let a = call("ipmi15", &sim, Func::Status, &OPERATOR, &env);
    assert!(a.stderr.contains("privilege=USER"), "{}", a.stderr);
    let a = call("ipmi15", &sim, Func::PortOn, &OPERATOR, &env);
    assert!(a.stderr.contains("privilege=OPERATOR"), "{}", a.stderr);
    // A value it does not know names the variable.
    let a = call(
        "ipmi15",
        &sim,
        Func::Status,
        &ADMIN,
        &[("DCIH_IPMI_PRIVILEGE", "root")],
    );
    assert!(
        a.error()
            .text
            .contains("DCIH_IPMI_PRIVILEGE: expected user, operator or administrator, got 'root'"),
        "{}",
        a.error().text
    );
}

/// The IPMI 1.5 authentication type `ipmi15` picks on a BMC offering `auths`, with `min` as
/// DCIH_IPMI_MIN_AUTH; `Err` with the error text.
fn chosen_auth(auths: &[&'static str], min: Option<&str>) -> Result<String, String> {
    let sim = IpmiSim::start_with(&SimConfig {
        auths: auths.to_vec(),
    });
    let mut env = vec![("RUST_LOG", "ipmi_core=debug")];
    if let Some(min) = min {
        env.push(("DCIH_IPMI_MIN_AUTH", min));
    }
    let a = call("ipmi15", &sim, Func::Status, &ADMIN, &env);
    match &a.doc {
        Document::Error(e) => Err(e.text.clone()),
        Document::Response(_) => {
            let line = a
                .stderr
                .lines()
                .find(|l| l.contains("ipmi session open"))
                .unwrap_or_else(|| panic!("no session line in {}", a.stderr));
            let auth = line
                .split(" auth=")
                .nth(1)
                .and_then(|rest| rest.split(" privilege=").next())
                .expect("auth=… privilege=…");
            Ok(auth.to_owned())
        }
    }
}

#[test]
fn ipmi15_picks_the_strongest_authentication_offered() {
    let all = ["none", "straight", "md2", "md5"];
    assert_eq!(chosen_auth(&all, None).as_deref(), Ok("MD5"));
    assert_eq!(
        chosen_auth(&["straight", "md2"], None).as_deref(),
        Ok("MD2")
    );
    assert_eq!(
        chosen_auth(&["none", "straight"], Some("password")).as_deref(),
        Ok("straight password")
    );
    assert_eq!(chosen_auth(&["none"], Some("none")).as_deref(), Ok("none"));
}

#[test]
fn ipmi15_refuses_weak_authentication_unless_allowed() {
    // By default the password never travels in clear, and "none" is not a login at all.
    let e = chosen_auth(&["none", "straight"], None).unwrap_err();
    assert!(
        e.contains(
            "offers IPMI 1.5 authentication by straight password, none only, weaker than MD2"
        ),
        "{e}"
    );
    let e = chosen_auth(&["md2", "straight"], Some("md5")).unwrap_err();
    assert!(
        e.contains("by MD2, straight password only, weaker than MD5"),
        "{e}"
    );
    let e = chosen_auth(&["md5"], Some("sha1")).unwrap_err();
    assert!(
        e.contains("DCIH_IPMI_MIN_AUTH: expected md5, md2, password or none, got 'sha1'"),
        "{e}"
    );
}

#[test]
fn the_test_bed_configuration_is_fresh() {
    let path = e2e::ipmi_sim::fixtures().join("lan.conf");
    let want = IpmiSim::config_template(&SimConfig::default());
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        std::fs::write(&path, &want).unwrap();
        panic!(
            "{} was stale and has been rewritten; commit it",
            path.display()
        );
    }
    // Every account fits IPMI 1.5's 16-byte password field.
    assert!(USERS.iter().all(|u| u.password.len() <= 16));
}

/// A stand-in BMC that answers only Get Channel Authentication Capabilities, with `answer`
/// (completion code and data), and ignores everything else, RMCP+ included: for the answers a
/// real BMC gives only when something is wrong with it. Framing from the IPMI v2.0 spec,
/// section 13.6 and 13.8.
struct FakeBmc {
    endpoint: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeBmc {
    fn start(answer: &'static [u8]) -> FakeBmc {
        use std::sync::atomic::{AtomicBool, Ordering};
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        let endpoint = socket.local_addr().unwrap().to_string();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            while !stopped.load(Ordering::Relaxed) {
                let Ok((n, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                // An IPMI 1.5 packet outside a session: the message starts at byte 14.
                let p = &buf[..n];
                if n < 21 || p[3] != 0x07 || p[4] != 0x00 || p[14 + 5] != 0x38 {
                    continue;
                }
                let mut m: Vec<u8> = vec![0x81, 0x07 << 2];
                m.push(0u8.wrapping_sub(m[0].wrapping_add(m[1])));
                m.extend_from_slice(&[0x20, p[14 + 4], 0x38]);
                m.extend_from_slice(answer);
                let sum = m[3..].iter().fold(0u8, |a, b| a.wrapping_add(*b));
                m.push(sum.wrapping_neg());
                let mut reply = vec![0x06, 0x00, 0xFF, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                reply.push(m.len() as u8);
                reply.extend_from_slice(&m);
                let _ = socket.send_to(&reply, from);
            }
        });
        FakeBmc {
            endpoint,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for FakeBmc {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn answers_out_of_range_and_other_versions_are_named() {
    // A completion code other than success.
    let bmc = FakeBmc::start(&[0xC1]);
    let a = call_at("ipmi15", &bmc.endpoint, Func::Status, &ADMIN, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.ends_with(
            "answered Get Channel Authentication Capabilities with completion code 0xC1 (invalid command)"
        ),
        "{}",
        e.text
    );
    // A truncated answer.
    let bmc = FakeBmc::start(&[0x00, 0x01, 0x16]);
    let a = call_at("ipmi15", &bmc.endpoint, Func::Status, &ADMIN, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.ends_with(
            "answered Get Channel Authentication Capabilities with 2 data bytes, fewer than the 3 it must have"
        ),
        "{}",
        e.text
    );
    // A BMC that offers IPMI 2.0 only.
    let bmc = FakeBmc::start(&[0x00, 0x01, 0x96, 0x14, 0x02, 0, 0, 0, 0]);
    let a = call_at("ipmi15", &bmc.endpoint, Func::Status, &ADMIN, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.ends_with(
            "does not offer IPMI 1.5 sessions on this channel (use the ipmi20 handler for it)"
        ),
        "{}",
        e.text
    );
    // A BMC that offers IPMI 1.5 only: Open Session goes unanswered, one Get Channel
    // Authentication Capabilities tells why.
    let bmc = FakeBmc::start(&[0x00, 0x01, 0x16, 0x14, 0x00, 0, 0, 0, 0]);
    let a = call_at("ipmi20", &bmc.endpoint, Func::Status, &ADMIN, FAST_FAIL);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.ends_with(
            "does not offer IPMI 2.0 (RMCP+) sessions on this channel (use the ipmi15 handler for it)"
        ),
        "{}",
        e.text
    );
    assert!(a.elapsed < FAIL_WITHIN, "{:?}", a.elapsed);
}

/// ipmi_sim lists suites 0 to 14 and takes 3 but refuses 17: with no suite pinned, ipmi20 asks the BMC
/// which it offers and takes 3, the strongest it both lists and speaks; pinned to 17, the
/// refusal is named.
#[test]
fn ipmi20_negotiates_suite_3_with_ipmi_sim_and_names_a_refused_pin() {
    let sim = IpmiSim::start();
    let admin = &e2e::ipmi_sim::ADMIN;
    let a = call(
        "ipmi20",
        &sim,
        Func::Status,
        admin,
        &[("RUST_LOG", "ipmi_core=debug")],
    );
    assert_eq!(a.power(), status_of(sim.oracle_power(Lan::V20)));
    assert!(a.stderr.contains("auth=cipher suite 3"), "{}", a.stderr);
    let a = call(
        "ipmi20",
        &sim,
        Func::Status,
        admin,
        &[("DCIH_IPMI_CIPHER", "3")],
    );
    a.power();
    let a = call(
        "ipmi20",
        &sim,
        Func::Status,
        admin,
        &[("DCIH_IPMI_CIPHER", "17")],
    );
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains("refused RMCP+ cipher suite 17"),
        "{}",
        e.text
    );
    let a = call(
        "ipmi20",
        &sim,
        Func::Status,
        admin,
        &[("DCIH_IPMI_CIPHER", "2")],
    );
    assert!(
        a.error()
            .text
            .contains("DCIH_IPMI_CIPHER: expected 17 or 3"),
        "{}",
        a.error().text
    );
}
