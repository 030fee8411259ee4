//! The handlers through a bad network (`e2e::faults::FaultProxy` between the real executable
//! and a real agent): seeded loss in each direction, one chosen packet lost, an agent that goes
//! silent after answering, garbage and truncated answers, answers from another address,
//! duplicates, reordering and delay. Each case asserts the answer, or the exact error class and
//! text, inside the deadline; the loss cases run on fixed seeds, so they lose the same packets
//! every run.

use std::time::{Duration, Instant};

use dci_protocol::{ErrorType, Func, SnmpVersion};
use e2e::agents::Snmpsim;
use e2e::faults::{FaultProxy, Faults};
use e2e::fixtures::SwitchRecording;

use crate::cisco_switch::{Answer, Target, call, data_dir};

const SW: &str = "faults48";

fn sim() -> Snmpsim {
    let data = data_dir("faults");
    SwitchRecording::new(48)
        .hostname("faults48")
        .build()
        .recording
        .write(data.dir(), SW);
    Snmpsim::start(data.dir())
}

fn status(proxy: &FaultProxy, env: &[(&str, &str)]) -> Answer {
    call(
        &Target::community(&proxy.endpoint(), SnmpVersion::V2c, SW),
        Func::Status,
        None,
        env,
    )
}

/// 30 % of the datagrams lost in each direction, on six fixed seeds: every `status` of a 48-port
/// switch succeeds with the default limits, inside the default deadline.
#[test]
fn snmp_status_crosses_30_percent_loss_each_way() {
    let s = sim();
    let results: Vec<(u64, Answer)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..=6u64)
            .map(|seed| {
                let port = s.port();
                scope.spawn(move || {
                    let proxy = FaultProxy::start(
                        port,
                        Faults {
                            seed,
                            loss_up: 0.3,
                            loss_down: 0.3,
                            ..Faults::default()
                        },
                    );
                    (seed, status(&proxy, &[("RUST_LOG", "snmp_core=debug")]))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a run"))
            .collect()
    });
    for (seed, a) in results {
        assert_eq!(a.response().ports.len(), 51, "seed {seed}");
        assert!(
            a.elapsed < Duration::from_secs(30),
            "seed {seed}: {:?}",
            a.elapsed
        );
    }
}

/// An agent that answers, then goes silent: the reads are sent again until the deadline, and
/// the error says it answered first.
#[test]
fn an_agent_that_goes_silent_after_answering_is_named() {
    let s = sim();
    let proxy = FaultProxy::start(
        s.port(),
        Faults {
            silent_after: Some(1),
            ..Faults::default()
        },
    );
    let started = Instant::now();
    let a = status(&proxy, &[("DCIH_DEADLINE", "4")]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text
            .contains("answered 1 request(s) of this call, then stopped answering"),
        "{}",
        e.text
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    // It kept asking, well past the three seconds of the first exchange's tries.
    assert!(proxy.requests() > 6, "{} requests", proxy.requests());
}

/// An agent that answers the first request at once and every later one only after 0.6 s,
/// with tries of 0.2 s and one retry: a round of tries (0.4 s) always ends before its answer
/// comes, so only tries that wait longer than the first round's get an answer. With the per-try
/// timeout growing (0.2, 0.4, 0.8 s) the status arrives; with it held at 0.2 s
/// (`DCIH_TIMEOUT_MAX` = `DCIH_TIMEOUT`) the same call only times out again until the deadline.
#[test]
fn later_rounds_wait_longer_for_a_slow_agent() {
    let s = sim();
    let slow = || Faults {
        delay: Duration::from_millis(600),
        delay_after: 1,
        ..Faults::default()
    };
    let env = [
        ("DCIH_TIMEOUT", "0.2"),
        ("DCIH_RETRIES", "1"),
        ("DCIH_DEADLINE", "15"),
        ("RUST_LOG", "snmp_core=debug"),
    ];
    let proxy = FaultProxy::start(s.port(), slow());
    let a = status(&proxy, &env);
    assert_eq!(a.response().ports.len(), 51, "{}", a.stderr);
    assert!(a.stderr.contains("timeout_ms=400"), "{}", a.stderr);
    assert!(a.stderr.contains("rounds_repeated="), "{}", a.stderr);

    let proxy = FaultProxy::start(s.port(), slow());
    let mut flat = env.to_vec();
    flat.extend([("DCIH_TIMEOUT_MAX", "0.2"), ("DCIH_DEADLINE", "4")]);
    let a = status(&proxy, &flat);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection, "{}", e.text);
    assert!(e.text.contains("then stopped answering"), "{}", e.text);
}

/// Garbage, truncated answers, and answers from another address: each named, none taken.
#[test]
fn unreadable_and_foreign_answers_are_named() {
    let s = sim();
    for (what, faults, words) in [
        (
            "garbage",
            Faults {
                garbage: true,
                ..Faults::default()
            },
            "that are not SNMP",
        ),
        (
            "truncated",
            Faults {
                truncate: Some(20),
                ..Faults::default()
            },
            "that are not SNMP",
        ),
        (
            "foreign source",
            Faults {
                foreign_source: true,
                ..Faults::default()
            },
            "from another address",
        ),
    ] {
        let proxy = FaultProxy::start(s.port(), faults);
        let a = status(&proxy, &[("DCIH_TIMEOUT", "0.3"), ("DCIH_RETRIES", "1")]);
        let e = a.error();
        assert_eq!(
            e.error_type,
            ErrorType::UnexpectedData,
            "{what}: {}",
            e.text
        );
        assert!(e.text.contains(words), "{what}: {}", e.text);
        assert!(
            a.elapsed < Duration::from_secs(2),
            "{what}: {:?}",
            a.elapsed
        );
    }
}

/// Duplicated, reordered and delayed answers change nothing.
#[test]
fn duplicates_reordering_and_delay_are_harmless() {
    let s = sim();
    let proxy = FaultProxy::start(
        s.port(),
        Faults {
            duplicate: true,
            reorder: true,
            delay: Duration::from_millis(20),
            ..Faults::default()
        },
    );
    let a = status(&proxy, &[]);
    assert_eq!(a.response().ports.len(), 51);
}

/// A blackhole is reported after the first exchange's tries, as fast as ever (3 s).
#[test]
fn a_blackhole_is_reported_after_the_tries() {
    let s = sim();
    let proxy = FaultProxy::start(
        s.port(),
        Faults {
            blackhole: true,
            ..Faults::default()
        },
    );
    let a = status(&proxy, &[]);
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::Connection);
    assert!(
        e.text.contains("no answer from") && e.text.contains("after 6 tries of 500 ms"),
        "{}",
        e.text
    );
    assert!(
        a.elapsed >= Duration::from_millis(2900) && a.elapsed < Duration::from_secs(4),
        "{:?}",
        a.elapsed
    );
}

mod ipmi {
    use std::time::Duration;

    use dci_protocol::{DeviceParams, Func, IPMI_PORT, PortStatus, Secret};
    use e2e::faults::{FaultProxy, Faults};
    use e2e::ipmi_sim::{ADMIN, IpmiSim};

    use crate::cisco_switch::{Answer, Target, call_bin, port};

    fn call(handler: &str, proxy: &FaultProxy, func: Func, env: &[(&str, &str)]) -> Answer {
        let target = Target {
            device: DeviceParams {
                ip: Some(proxy.endpoint().parse().expect("an endpoint")),
                user: Some(ADMIN.name.to_owned()),
                pass: Some(Secret::new(ADMIN.password)),
                ..DeviceParams::default()
            },
            prefix: Vec::new(),
        };
        let power_port = (func != Func::Status).then(|| port(IPMI_PORT));
        call_bin(handler, &target, func, power_port, env)
    }

    #[track_caller]
    fn power(a: &Answer) -> PortStatus {
        a.response().ports[0].admin_status.expect("admin_status")
    }

    /// The answer to RAKP message 3 (message 4) lost once: the handshake recovers.
    #[test]
    fn ipmi20_survives_a_lost_rakp_4() {
        let sim = IpmiSim::start();
        // ipmi_sim's answers: the cipher suite list (five pages), Open Session, RAKP 2, RAKP 4.
        let proxy = FaultProxy::start(
            sim.port(),
            Faults {
                drop_answer: Some(8),
                ..Faults::default()
            },
        );
        let a = call(
            "ipmi20",
            &proxy,
            Func::Status,
            &[("RUST_LOG", "ipmi_core=trace")],
        );
        assert_eq!(power(&a), PortStatus::Off);
        assert!(a.elapsed < Duration::from_secs(3), "{:?}", a.elapsed);
    }

    /// The answer to Activate Session lost once: the right password is not called wrong.
    #[test]
    fn ipmi15_survives_a_lost_activation_answer() {
        let sim = IpmiSim::start();
        // Get Channel Authentication Capabilities, Get Session Challenge, Activate Session.
        let proxy = FaultProxy::start(
            sim.port(),
            Faults {
                drop_answer: Some(3),
                ..Faults::default()
            },
        );
        let a = call(
            "ipmi15",
            &proxy,
            Func::Status,
            &[("RUST_LOG", "ipmi_core=trace")],
        );
        assert_eq!(power(&a), PortStatus::Off);
    }

    /// A BMC whose answers after the first come 0.6 s late, with tries of 0.2 s and one retry:
    /// each exchange waits longer in its later rounds (0.4, then 0.8 s a try) and the status
    /// comes through on both handlers.
    #[test]
    fn ipmi_later_rounds_wait_longer_for_a_slow_bmc() {
        let sim = IpmiSim::start();
        for handler in ["ipmi15", "ipmi20"] {
            let proxy = FaultProxy::start(
                sim.port(),
                Faults {
                    delay: Duration::from_millis(600),
                    delay_after: 1,
                    ..Faults::default()
                },
            );
            let a = call(
                handler,
                &proxy,
                Func::Status,
                &[
                    ("DCIH_TIMEOUT", "0.2"),
                    ("DCIH_RETRIES", "1"),
                    ("DCIH_DEADLINE", "20"),
                    ("RUST_LOG", "ipmi_core=debug"),
                ],
            );
            assert_eq!(power(&a), PortStatus::Off, "{handler}: {}", a.stderr);
            assert!(
                a.stderr.contains("timeout_ms=400"),
                "{handler}: {}",
                a.stderr
            );
        }
    }

    /// Every answer to Chassis Control lost, though the BMC powers the server up: the command
    /// is not sent blindly again, the power state is read and shows it.
    #[test]
    fn ipmi_an_unanswered_power_command_is_read_back() {
        let sim = IpmiSim::start();
        // Get Channel Authentication Capabilities, Get Session Challenge, Activate Session,
        // Set Session Privilege Level, Get Chassis Status; then Chassis Control's two tries.
        let proxy = FaultProxy::start(
            sim.port(),
            Faults {
                drop_answers: 6..8,
                ..Faults::default()
            },
        );
        let a = call(
            "ipmi15",
            &proxy,
            Func::PortOn,
            &[("DCIH_RETRIES", "1"), ("RUST_LOG", "ipmi_core=debug")],
        );
        assert_eq!(power(&a), PortStatus::On, "{}", a.stderr);
        assert!(
            a.stderr.contains("no answer to the command"),
            "{}",
            a.stderr
        );
    }

    /// The answer to Close Session lost: the status is answered after that one try, not after
    /// further rounds until the deadline.
    #[test]
    fn ipmi_a_lost_close_session_answer_costs_one_try() {
        let sim = IpmiSim::start();
        // ipmi15: Get Channel Authentication Capabilities, Get Session Challenge, Activate
        // Session, Set Session Privilege Level, Get Chassis Status, Close Session. ipmi20: the
        // cipher suite list (five pages), Open Session, RAKP 2, RAKP 4, Set Session Privilege
        // Level, Get Chassis Status, Close Session.
        for (handler, close) in [("ipmi15", 6), ("ipmi20", 11)] {
            let proxy = FaultProxy::start(
                sim.port(),
                Faults {
                    drop_answer: Some(close),
                    ..Faults::default()
                },
            );
            let a = call(
                handler,
                &proxy,
                Func::Status,
                &[("RUST_LOG", "ipmi_core=debug")],
            );
            assert_eq!(power(&a), PortStatus::Off, "{handler}: {}", a.stderr);
            assert!(
                a.stderr.contains("closing the session failed"),
                "{handler}: {}",
                a.stderr
            );
            assert!(
                a.elapsed < Duration::from_secs(2),
                "{handler}: {:?}",
                a.elapsed
            );
        }
    }

    /// Everything ipmi20 hears first lost (the cipher suite list's one try, Open Session's
    /// tries): the question after silence is answered, so the BMC is there and Open Session is
    /// proposed again; the status comes through.
    #[test]
    fn ipmi20_a_silent_start_on_a_lossy_path_is_not_the_end() {
        let sim = IpmiSim::start();
        let proxy = FaultProxy::start(
            sim.port(),
            Faults {
                drop_answers: 1..6,
                ..Faults::default()
            },
        );
        let a = call(
            "ipmi20",
            &proxy,
            Func::Status,
            &[("RUST_LOG", "ipmi_core=debug")],
        );
        assert_eq!(power(&a), PortStatus::Off, "{}", a.stderr);
        assert!(a.stderr.contains("proposing again"), "{}", a.stderr);
    }

    /// 30 % loss each way on six seeds: both IPMI handlers switch and read power.
    #[test]
    fn ipmi_crosses_30_percent_loss_each_way() {
        for handler in ["ipmi15", "ipmi20"] {
            let sim = IpmiSim::start();
            for seed in 1..=6u64 {
                let proxy = FaultProxy::start(
                    sim.port(),
                    Faults {
                        seed,
                        loss_up: 0.3,
                        loss_down: 0.3,
                        ..Faults::default()
                    },
                );
                let a = call(handler, &proxy, Func::Status, &[]);
                assert!(
                    matches!(a.doc, dci_protocol::Document::Response(_)),
                    "{handler} seed {seed}: {:?}",
                    a.doc
                );
            }
        }
    }
}

/// A community too long for one datagram is our request's fault, said before anything is sent.
#[test]
fn an_oversized_request_is_ours_and_never_sent() {
    let s = sim();
    let proxy = FaultProxy::start(s.port(), Faults::default());
    let community = "c".repeat(2000);
    let a = call(
        &Target::community(&proxy.endpoint(), SnmpVersion::V2c, &community),
        Func::Status,
        None,
        &[],
    );
    let e = a.error();
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert!(
        e.text.contains("more than the") && e.text.contains("nothing was sent"),
        "{}",
        e.text
    );
    assert!(!e.text.contains(&community[..50]));
    // At most the session's empty probe datagram went out, no SNMP request.
    assert!(
        proxy.requests() <= 1,
        "{} datagrams were sent",
        proxy.requests()
    );
}

/// A PDU's confirmed switch through 20 % loss each way: the command and its read-back cross.
#[test]
fn a_pdu_switch_is_confirmed_through_loss() {
    use e2e::pdus::{Kind, Pdu, outlets};
    let pdu = Pdu::new(Kind::Eaton { units: 1 }, outlets(Kind::Rpcm, 8));
    let s = crate::pdus::sim("faults-pdu", &[("eaton", &pdu)]);
    for (seed, func, want) in [
        (1, Func::PortOff, dci_protocol::PortStatus::Off),
        (2, Func::PortOn, dci_protocol::PortStatus::On),
    ] {
        let proxy = FaultProxy::start(
            s.port(),
            Faults {
                seed,
                loss_up: 0.2,
                loss_down: 0.2,
                ..Faults::default()
            },
        );
        let a = crate::cisco_switch::call_bin(
            "eaton-pdu",
            &Target::community(&proxy.endpoint(), SnmpVersion::V2c, "eaton"),
            func,
            Some(crate::cisco_switch::port("1")),
            &[],
        );
        let p = a.response();
        assert_eq!(p.ports[0].admin_status, Some(want), "seed {seed}");
    }
    // Every answer to the command lost, though the PDU applies it: the command is not sent
    // blindly again, the outlet is read, and it shows the state.
    let proxy = FaultProxy::start(
        s.port(),
        Faults {
            drop_set_answers: true,
            ..Faults::default()
        },
    );
    let a = crate::cisco_switch::call_bin(
        "eaton-pdu",
        &Target::community(&proxy.endpoint(), SnmpVersion::V2c, "eaton"),
        Func::PortOff,
        Some(crate::cisco_switch::port("2")),
        &[("RUST_LOG", "snmp_core=debug")],
    );
    assert_eq!(
        a.response().ports[0].admin_status,
        Some(dci_protocol::PortStatus::Off),
        "{}",
        a.stderr
    );
    assert!(a.stderr.contains("no answer to the SET"), "{}", a.stderr);
}

/// cisco-switch's port_off and port_on, each a SET and its read-back, through 20 % loss each
/// way: confirmed, never reported as failed while the switch follows.
#[test]
fn a_switch_port_is_switched_through_loss() {
    let sw = SwitchRecording::new(8).hostname("faults-writes").build();
    let data = data_dir("faults-writes");
    sw.recording.write(data.dir(), "writes");
    let s = Snmpsim::start(data.dir());
    for (seed, func, want) in [
        (3, Func::PortOff, dci_protocol::PortStatus::Off),
        (4, Func::PortOn, dci_protocol::PortStatus::On),
    ] {
        let proxy = FaultProxy::start(
            s.port(),
            Faults {
                seed,
                loss_up: 0.2,
                loss_down: 0.2,
                ..Faults::default()
            },
        );
        let a = call(
            &Target::community(&proxy.endpoint(), SnmpVersion::V2c, "writes"),
            func,
            Some(crate::cisco_switch::port("10101")),
            &[],
        );
        assert_eq!(a.port().admin_status, Some(want), "seed {seed}");
    }
    // A slow switch (every answer after the first 0.6 s late, tries of 0.2 s): the reads wait
    // longer in later rounds and the SET, which has only its fixed tries, waits per try as long
    // as the last read needed; the port is switched and confirmed.
    let proxy = FaultProxy::start(
        s.port(),
        Faults {
            delay: Duration::from_millis(600),
            delay_after: 1,
            ..Faults::default()
        },
    );
    let a = call(
        &Target::community(&proxy.endpoint(), SnmpVersion::V2c, "writes"),
        Func::PortOff,
        Some(crate::cisco_switch::port("10102")),
        &[
            ("DCIH_TIMEOUT", "0.2"),
            ("DCIH_RETRIES", "1"),
            ("DCIH_DEADLINE", "20"),
        ],
    );
    assert_eq!(
        a.port().admin_status,
        Some(dci_protocol::PortStatus::Off),
        "{}",
        a.stderr
    );
}
