//! The runtime through a real process: panics, the deadline, declared-but-missing functions,
//! bad limits, logging to a file, and secrets kept out of every log line.

use std::time::{Duration, Instant};

use dci_protocol::{Document, ErrorType};
use e2e::{bin, run, stderr, stdout};

const V2C: &str = "<ip>127.0.0.1:16100</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>Secr3tCommunity</snmp_community>";

fn port_req(func: &str, identity: &str) -> Vec<u8> {
    format!("<doc><func>{func}</func><device_params>{V2C}</device_params><port><identity>{identity}</identity></port></doc>").into_bytes()
}

fn error_of(out: &std::process::Output) -> dci_protocol::ErrorDoc {
    match Document::parse(&stdout(out)) {
        Ok(Document::Error(e)) => e,
        other => panic!("not an error document: {other:?}\n{}", stdout(out)),
    }
}

#[test]
fn a_panic_becomes_an_error_document() {
    let out = run(
        &bin("echo-handler"),
        &[],
        Some(&port_req("port_on", "panic")),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let e = error_of(&out);
    assert_eq!(e.error_type, ErrorType::UnexpectedData);
    assert_eq!(
        e.text,
        "internal error in the handler (a panic); the log on stderr has the details"
    );
    let log = stderr(&out);
    assert!(
        log.contains("handler panicked") && log.contains("echo-handler was asked to panic"),
        "{log}"
    );
}

#[test]
fn the_deadline_from_the_environment_ends_a_stalled_call() {
    let started = Instant::now();
    let out = run(
        &bin("echo-handler"),
        &[],
        Some(&port_req("port_off", "stall")),
        &[("DCIH_DEADLINE", "0.3")],
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let e = error_of(&out);
    assert_eq!(e.error_type, ErrorType::Connection);
    assert_eq!(e.text, "no result within the overall deadline of 300 ms");
}

#[test]
fn a_declared_function_without_code_is_reported() {
    let req = format!("<doc><func>statistics</func><device_params>{V2C}</device_params></doc>");
    let out = run(&bin("echo-handler"), &[], Some(req.as_bytes()), &[]);
    assert_eq!(
        error_of(&out).text,
        "handler bug: 'statistics' is declared in -info but not implemented"
    );
}

#[test]
fn bad_limits_are_named() {
    let out = run(
        &bin("echo-handler"),
        &[],
        Some(&port_req("port_on", "1")),
        &[("DCIH_TIMEOUT", "forever")],
    );
    assert_eq!(
        error_of(&out).text,
        "environment: environment variable DCIH_TIMEOUT: expected a number of seconds above 0 and at most 3600, got 'forever'"
    );
}

#[test]
fn logs_go_to_stderr_and_the_file_and_never_carry_secrets() {
    let scratch = e2e::Scratch::new("log");
    let log = scratch.path("handler.log");
    let v3 = "<ip>127.0.0.1</ip><snmp_ver>SNMP v3</snmp_ver><snmp_user>ops</snmp_user><snmp_auth_level>authpriv</snmp_auth_level><snmp_auth_phrase>AuthPhr4se!</snmp_auth_phrase><snmp_priv_phrase>PrivPhr4se!</snmp_priv_phrase>";
    for req in [
        port_req("port_speed", "7"),
        format!("<doc><func>port_on</func><device_params>{v3}</device_params><port><identity>1</identity></port></doc>").into_bytes(),
    ] {
        let req = String::from_utf8(req).unwrap().replace("port_speed", "port_duplex").replace("<identity>7</identity>", "<identity>7</identity><duplex>full</duplex>");
        let out = run(&bin("echo-handler"), &[], Some(req.as_bytes()), &[("RUST_LOG", "trace"), ("DCIH_LOG_FILE", log.to_str().unwrap())]);
        assert!(out.status.success(), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains("validated request"), "trace logging reaches stderr: {err}");
        for secret in ["Secr3tCommunity", "AuthPhr4se!", "PrivPhr4se!"] {
            assert!(!err.contains(secret), "secret {secret} in stderr: {err}");
            assert!(!stdout(&out).contains(secret), "secret {secret} in stdout");
        }
    }
    let file = std::fs::read_to_string(&log).unwrap();
    assert!(file.matches("validated request").count() == 2, "{file}");
    for secret in ["Secr3tCommunity", "AuthPhr4se!", "PrivPhr4se!"] {
        assert!(!file.contains(secret), "secret {secret} in the log file");
    }
}

#[test]
fn an_unwritable_log_file_does_not_stop_the_answer() {
    let out = run(
        &bin("echo-handler"),
        &[],
        Some(&port_req("port_on", "1")),
        &[("DCIH_LOG_FILE", "/nonexistent/dir/x.log")],
    );
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("cannot open the log file"),
        "{}",
        stderr(&out)
    );
}
