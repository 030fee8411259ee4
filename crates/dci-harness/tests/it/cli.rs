//! The `dci-harness` command against fake handlers: what it prints, where, and the exit code
//! of each kind of ending; secrets reach the handler and nothing else.

use std::process::{Command, Output, Stdio};

use crate::fake::{CONNECTION_ERROR, SWITCH_STATUS, Scratch, UPS_INFO};

const SECRET: &str = "n0t-in-argv";

/// Runs the command with `args`, stdin not a terminal, `COMM` set to the secret and `OUT` to
/// the scratch directory.
fn harness(s: &Scratch, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dci-harness"))
        .args(args)
        .env("COMM", SECRET)
        .env("OUT", s.dir())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn exits(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A handler that keeps its request in `$OUT/request` and answers `doc`, exiting 1 after an
/// `<error>` document as ours do.
fn answering(s: &Scratch, doc: &str) -> String {
    let code = if doc.contains("<error>") { 1 } else { 0 };
    let h = s.script(
        "h",
        &format!("cat > \"$OUT/request\"\nprintf '%s' '{doc}'\nexit {code}"),
    );
    h.to_str().unwrap().to_owned()
}

fn call_status<'a>(h: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "call",
        h,
        "status",
        "--ip",
        "127.0.0.1",
        "--snmp-ver",
        "v2c",
        "--community-env",
        "COMM",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_response_as_a_table() {
    let s = Scratch::new("cli-table");
    let h = answering(&s, SWITCH_STATUS);
    let out = harness(&s, &call_status(&h, &[]));
    exits(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "hostname  sw1\n\
         \n\
         identity  description  admin  oper\n\
         1         Gi0/1        on     on\n\
         2                      off    off\n"
    );
    assert!(
        text(&out.stderr).starts_with("dci-harness: answered in "),
        "{}",
        text(&out.stderr)
    );
    let request = std::fs::read_to_string(s.dir().join("request")).unwrap();
    assert!(request.contains(&format!("<snmp_community>{SECRET}</snmp_community>")));
    assert!(request.contains("<snmp_ver>SNMP v2c</snmp_ver>"));
}

#[test]
fn a_response_as_xml() {
    let s = Scratch::new("cli-xml");
    let h = answering(&s, SWITCH_STATUS);
    let out = harness(&s, &call_status(&h, &["--xml"]));
    exits(&out, 0);
    assert_eq!(text(&out.stdout), format!("{SWITCH_STATUS}\n"));
}

#[test]
fn the_shown_request_hides_secrets() {
    let s = Scratch::new("cli-show");
    let h = answering(&s, "<doc/>");
    let out = harness(&s, &call_status(&h, &["--show-request"]));
    exits(&out, 0);
    let err = text(&out.stderr);
    assert!(
        err.contains("<snmp_community>***</snmp_community>"),
        "{err}"
    );
    assert!(!err.contains(SECRET) && !text(&out.stdout).contains(SECRET));
    assert_eq!(text(&out.stdout), "(empty response)\n");
}

#[test]
fn secrets_from_a_file() {
    let s = Scratch::new("cli-file");
    let h = answering(&s, "<doc/>");
    let file = s.dir().join("community");
    std::fs::write(&file, "from-file\n").unwrap();
    let out = harness(
        &s,
        &[
            "call",
            &h,
            "status",
            "--ip",
            "h",
            "--snmp-ver",
            "v1",
            "--community-file",
            file.to_str().unwrap(),
        ],
    );
    exits(&out, 0);
    let request = std::fs::read_to_string(s.dir().join("request")).unwrap();
    assert!(
        request.contains("<snmp_community>from-file</snmp_community>"),
        "{request}"
    );
}

#[test]
fn a_needed_secret_without_a_terminal_is_a_usage_error() {
    let s = Scratch::new("cli-nosecret");
    let h = answering(&s, "<doc/>");
    let out = harness(
        &s,
        &[
            "call", &h, "port_on", "--ip", "h", "--user", "admin", "--port", "power",
        ],
    );
    exits(&out, 2);
    assert_eq!(
        text(&out.stderr),
        "dci-harness: the IPMI password is needed with --user: give --pass-env VAR or --pass-file PATH (standard input is not a terminal, so it cannot be asked for)\n"
    );
    assert!(!s.dir().join("request").exists(), "the handler ran");
}

#[test]
fn bad_flags_are_usage_errors() {
    let s = Scratch::new("cli-usage");
    let h = answering(&s, "<doc/>");
    for args in [
        vec![
            "call",
            &h,
            "port_speed",
            "--ip",
            "h",
            "--port",
            "1",
            "--speed",
            "fast",
        ],
        vec![
            "call", &h, "set_vlan", "--ip", "h", "--port", "1", "--vlan", "5000",
        ],
        vec!["call", &h, "status", "--ip", "h", "--community", SECRET],
    ] {
        let out = harness(&s, &args);
        exits(&out, 2);
    }
    assert!(!s.dir().join("request").exists(), "the handler ran");
}

#[test]
fn an_error_document() {
    let s = Scratch::new("cli-error");
    let h = answering(&s, CONNECTION_ERROR);
    let out = harness(&s, &call_status(&h, &[]));
    exits(&out, 1);
    assert_eq!(
        text(&out.stdout),
        "error (connection): no answer from 127.0.0.1:161\n"
    );
    let out = harness(&s, &call_status(&h, &["--xml"]));
    exits(&out, 1);
    assert_eq!(text(&out.stdout), format!("{CONNECTION_ERROR}\n"));
}

#[test]
fn protocol_breaks() {
    let s = Scratch::new("cli-break");
    for (name, body, message) in [
        (
            "none",
            "echo 'no module named pysnmp' >&2; exit 3",
            "dci-harness: protocol break: no document on standard output (the handler exited with status 3); standard error ends with: no module named pysnmp",
        ),
        (
            "two",
            "printf '<doc/><doc/>'",
            "dci-harness: protocol break: more than one document on standard output",
        ),
        (
            "invalid",
            "printf '<doc><bogus/></doc>'",
            "dci-harness: protocol break: the document breaks the protocol: doc: unknown element <bogus>",
        ),
        (
            "exit1",
            &format!("printf '%s' '{SWITCH_STATUS}'; exit 1"),
            "dci-harness: protocol break: a valid document, but the handler exited with status 1",
        ),
    ] {
        let h = s.script(name, body);
        let out = harness(&s, &call_status(h.to_str().unwrap(), &[]));
        exits(&out, 3);
        assert!(
            text(&out.stderr).contains(message),
            "{name}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_hang_and_a_handler_that_cannot_start() {
    let s = Scratch::new("cli-hang");
    let h = s.script("h", "exec sleep 1000");
    let out = harness(&s, &call_status(h.to_str().unwrap(), &["--timeout", "0.3"]));
    exits(&out, 4);
    assert_eq!(
        text(&out.stderr),
        "dci-harness: the handler hung: no answer within 300 ms (the handler was killed)\n"
    );
    let missing = s.dir().join("missing");
    let out = harness(&s, &["info", missing.to_str().unwrap()]);
    exits(&out, 5);
    assert!(text(&out.stderr).starts_with("dci-harness: cannot start "));
}

#[test]
fn info_summary_and_xml() {
    let s = Scratch::new("cli-info");
    let h = s.script("h", &format!("printf '%s' '{UPS_INFO}'"));
    let out = harness(&s, &["info", h.to_str().unwrap()]);
    exits(&out, 0);
    assert_eq!(
        text(&out.stdout),
        "type          UPS\n\
         name          Fake UPS\n\
         requirements  snmpv1\n\
         functions     status\n"
    );
    let out = harness(&s, &["info", h.to_str().unwrap(), "--xml"]);
    exits(&out, 0);
    assert_eq!(text(&out.stdout), format!("{UPS_INFO}\n"));
}

#[test]
fn help_documents_the_exit_codes() {
    let s = Scratch::new("cli-help");
    for args in [&["--help"][..], &["call", "--help"], &["info", "--help"]] {
        let out = harness(&s, args);
        exits(&out, 0);
        let help = text(&out.stdout);
        assert!(
            help.contains("Exit codes:") && help.contains("5  the handler could not be started"),
            "{help}"
        );
    }
}
