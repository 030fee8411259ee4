//! The runner against fake handlers: every way a call can end is classified as it should be,
//! the handler gets exactly the arguments and input DCImanager gives, and no process outlives
//! a call.

use std::time::{Duration, Instant};

use dci_harness::{RunError, Runner};
use dci_protocol::{Document, ErrorType, Func, Request};

use crate::fake::{CONNECTION_ERROR, SWITCH_STATUS, Scratch, UPS_INFO};

/// A shell line printing `doc` and a newline, as the seed's `print` does.
fn prints(doc: &str) -> String {
    format!("printf '%s\\n' '{doc}'")
}

fn status_request() -> Request {
    let mut r = Request::new(Func::Status);
    r.device.ip = Some("127.0.0.1".parse().unwrap());
    r
}

/// Runs `body` as a handler answering `status` and returns the failure it must cause.
#[track_caller]
fn breaks(name: &str, body: &str) -> RunError {
    let s = Scratch::new(name);
    let runner = Runner::new(s.script("h", body)).timeout(Duration::from_secs(10));
    match runner.call(&status_request()) {
        Ok(o) => panic!("{name}: expected a failure, got {:?}", o.document),
        Err(e) => e,
    }
}

#[test]
fn a_valid_response() {
    let s = Scratch::new("valid");
    let h = s.script(
        "h",
        &format!("echo 'log line' >&2\n{}", prints(SWITCH_STATUS)),
    );
    let o = Runner::new(h).call(&status_request()).unwrap();
    let Document::Response(resp) = &o.document else {
        panic!("{:?}", o.document)
    };
    assert_eq!(resp.hostname.as_deref(), Some("sw1"));
    assert_eq!(resp.ports.len(), 2);
    assert!(o.transcript.status.success());
    assert_eq!(o.transcript.stderr, "log line\n");
    assert_eq!(o.transcript.stdout, format!("{SWITCH_STATUS}\n"));
    assert!(o.transcript.elapsed < Duration::from_secs(5));
}

#[test]
fn the_request_arrives_on_stdin_with_no_arguments() {
    let s = Scratch::new("stdin");
    let h = s.script(
        "h",
        &format!(
            "[ \"$#\" -eq 0 ] || {{ echo \"arguments: $*\" >&2; exit 9; }}\ncat > \"$OUT/got\"\n{}",
            prints("<doc/>")
        ),
    );
    let mut request = status_request();
    request.device.snmp_community = Some(dci_protocol::Secret::new("c&<mm"));
    let o = Runner::new(h).env("OUT", s.dir()).call(&request).unwrap();
    assert!(o.transcript.status.success(), "{}", o.transcript.stderr);
    let got = std::fs::read_to_string(s.dir().join("got")).unwrap();
    assert_eq!(got, request.to_xml());
    assert_eq!(Request::parse(&got).unwrap(), request);
}

#[test]
fn info_gets_one_argument_and_an_open_unwritten_stdin() {
    let s = Scratch::new("info");
    let h = s.script(
        "h",
        &format!(
            "[ \"$#\" -eq 1 ] && [ \"$1\" = -info ] || exit 9\n{}",
            prints(UPS_INFO)
        ),
    );
    let o = Runner::new(h).info().unwrap();
    assert_eq!(o.document.name, "Fake UPS");
    assert!(o.document.supports(Func::Status));

    // A handler that reads its input on -info hangs, as it would under DCImanager, whose
    // stdin stays open and empty.
    let reader = s.script("reader", &format!("read -r line\n{}", prints(UPS_INFO)));
    let runner = Runner::new(&reader).timeout(Duration::from_millis(300));
    assert!(matches!(runner.info(), Err(RunError::Timeout { .. })));
    // The same handler answers a request: there its stdin is written and closed.
    let runner = Runner::new(&reader).timeout(Duration::from_secs(10));
    assert!(matches!(
        runner.call(&status_request()),
        Err(RunError::InvalidDocument { .. })
    ));
}

#[test]
fn info_breaks() {
    let s = Scratch::new("info-breaks");
    let run = |name: &str, body: &str| Runner::new(s.script(name, body)).info().unwrap_err();
    let e = run("exit2", &format!("{}\nexit 2", prints(UPS_INFO)));
    assert!(
        matches!(e, RunError::NonZeroExit { status, .. } if status.code() == Some(2)),
        "{e}"
    );
    let e = run("error", &prints(CONNECTION_ERROR));
    assert!(matches!(e, RunError::InvalidDocument { .. }), "{e}");
    let e = run(
        "nostatus",
        &prints("<doc><type>UPS</type><name>x</name><supported_funcs/></doc>"),
    );
    assert_eq!(
        e.to_string(),
        "the document breaks the protocol: supported_funcs/status: missing or empty"
    );
    let e = run("empty", "exit 0");
    assert!(matches!(e, RunError::NoDocument { .. }), "{e}");
}

#[test]
fn error_documents_are_answers_whatever_the_exit_status() {
    let s = Scratch::new("errors");
    for (name, code) in [("exit1", 1), ("exit0", 0)] {
        let h = s.script(name, &format!("{}\nexit {code}", prints(CONNECTION_ERROR)));
        let o = Runner::new(h).call(&status_request()).unwrap();
        let Document::Error(doc) = &o.document else {
            panic!("{:?}", o.document)
        };
        assert_eq!(doc.error_type, ErrorType::Connection);
        assert_eq!(o.transcript.status.code(), Some(code));
    }
}

#[test]
fn no_document() {
    let e = breaks("silent", "exit 0");
    assert!(
        matches!(&e, RunError::NoDocument { status, .. } if status.success()),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "no document on standard output (the handler exited with status 0)"
    );

    let e = breaks("blank", "printf '\\n  \\n'");
    assert!(matches!(e, RunError::NoDocument { .. }), "{e}");

    let e = breaks(
        "exit3",
        "echo 'starting' >&2\necho 'cannot load libsnmp.so' >&2\nexit 3",
    );
    let RunError::NoDocument {
        status,
        stderr_tail,
        transcript,
    } = &e
    else {
        panic!("{e}")
    };
    assert_eq!(status.code(), Some(3));
    assert_eq!(stderr_tail, "cannot load libsnmp.so");
    assert_eq!(transcript.stderr, "starting\ncannot load libsnmp.so\n");
    assert_eq!(
        e.to_string(),
        "no document on standard output (the handler exited with status 3); standard error ends with: cannot load libsnmp.so"
    );

    let e = breaks("killed", "kill -9 $$");
    assert!(
        e.to_string().contains("the handler was killed by signal 9"),
        "{e}"
    );
}

#[test]
fn several_documents_and_trailing_text() {
    let e = breaks(
        "two",
        &format!("{}\n{}", prints(SWITCH_STATUS), prints("<doc/>")),
    );
    assert!(matches!(e, RunError::SeveralDocuments { .. }), "{e}");
    let e = breaks(
        "two-decl",
        &prints("<?xml version=\"1.0\"?><doc/><?xml version=\"1.0\"?><doc/>"),
    );
    assert!(matches!(e, RunError::SeveralDocuments { .. }), "{e}");
    let e = breaks(
        "error-then-doc",
        &format!("{}\n{}", prints(CONNECTION_ERROR), prints(SWITCH_STATUS)),
    );
    assert!(matches!(e, RunError::SeveralDocuments { .. }), "{e}");

    let e = breaks("trailing", &format!("{}\necho done", prints("<doc/>")));
    assert!(
        matches!(&e, RunError::TrailingText { text, .. } if text == "done"),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "text after the document on standard output: 'done'"
    );
}

#[test]
fn not_xml() {
    for (name, body) in [
        ("text", "echo 'Traceback (most recent call last):'"),
        ("truncated", "printf '<doc><port><identity>1</identity>'"),
        ("before", &format!("echo connecting\n{}", prints("<doc/>"))),
        ("entity", &prints("<doc><hostname>a&b</hostname></doc>")),
    ] {
        let e = breaks(name, body);
        assert!(matches!(e, RunError::NotXml { .. }), "{name}: {e}");
        assert!(
            e.to_string()
                .starts_with("standard output is not an XML document: ")
        );
    }
    let e = breaks("binary", "printf '<doc>\\377</doc>'");
    assert_eq!(
        e.to_string(),
        "standard output is not an XML document: not valid UTF-8 (first bad byte at offset 5)"
    );
}

#[test]
fn invalid_documents() {
    for (name, doc, message) in [
        (
            "element",
            "<doc><bogus/></doc>",
            "doc: unknown element <bogus>",
        ),
        (
            "root",
            "<response/>",
            "root element is <response>, expected <doc>",
        ),
        (
            "identity",
            "<doc><port><admin_status>on</admin_status></port></doc>",
            "port/identity: missing or empty",
        ),
        (
            "status",
            "<doc><port><identity>1</identity><admin_status>up</admin_status></port></doc>",
            "port/admin_status: expected on, off or unknown, got 'up'",
        ),
        (
            "error-type",
            "<doc><error><type>timeout</type><text>x</text></error></doc>",
            "error/type: expected connection or unexpected_data, got 'timeout'",
        ),
    ] {
        let e = breaks(name, &prints(doc));
        let RunError::InvalidDocument { error, .. } = &e else {
            panic!("{name}: {e}")
        };
        assert!(error.to_string().ends_with(message), "{name}: {error}");
    }
}

#[test]
fn a_response_with_a_failing_exit_status() {
    let e = breaks("exit1", &format!("{}\nexit 1", prints(SWITCH_STATUS)));
    assert!(
        matches!(&e, RunError::NonZeroExit { status, .. } if status.code() == Some(1)),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "a valid document, but the handler exited with status 1"
    );
}

#[test]
fn a_hung_handler_is_killed_and_reaped() {
    let s = Scratch::new("hang");
    let h = s.script(
        "h",
        "echo $$ > \"$OUT/pid\"\necho 'waiting for the device' >&2\nexec sleep 1000",
    );
    let started = Instant::now();
    let e = Runner::new(h)
        .timeout(Duration::from_millis(300))
        .env("OUT", s.dir())
        .call(&status_request())
        .unwrap_err();
    let RunError::Timeout { after, transcript } = &e else {
        panic!("{e}")
    };
    assert_eq!(*after, Duration::from_millis(300));
    assert!(transcript.elapsed >= Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(transcript.stderr, "waiting for the device\n");
    assert_eq!(
        e.to_string(),
        "no answer within 300 ms (the handler was killed)"
    );
    let pid = std::fs::read_to_string(s.dir().join("pid")).unwrap();
    assert!(
        !std::path::Path::new(&format!("/proc/{}", pid.trim())).exists(),
        "the handler (pid {pid}) is still there"
    );
}

#[test]
fn input_the_handler_never_reads_does_not_block() {
    let s = Scratch::new("unread");
    let big = vec![b' '; 1 << 20];
    let quick = Runner::new(s.script("quick", &prints("<doc/>")));
    assert!(quick.call_raw(&big).is_ok());
    let stuck =
        Runner::new(s.script("stuck", "exec sleep 1000")).timeout(Duration::from_millis(200));
    assert!(matches!(
        stuck.call_raw(&big),
        Err(RunError::Timeout { .. })
    ));
}

#[test]
fn output_is_bounded() {
    let e = breaks("flood", "head -c 17000000 /dev/zero | tr '\\0' x");
    assert!(
        matches!(&e, RunError::TooMuchOutput { limit, .. } if *limit == dci_harness::MAX_STDOUT),
        "{e}"
    );
    let s = Scratch::new("stderr-flood");
    let h = s.script(
        "h",
        &format!(
            "head -c 1000000 /dev/zero | tr '\\0' e >&2\n{}",
            prints("<doc/>")
        ),
    );
    let o = Runner::new(h).call(&status_request()).unwrap();
    assert!(o.transcript.stderr.starts_with('…'));
    assert!(o.transcript.stderr.len() <= dci_harness::MAX_STDERR + '…'.len_utf8());
}

#[test]
fn a_process_left_behind_does_not_hold_the_call() {
    let s = Scratch::new("left-behind");
    // The helper inherits the pipes and outlives the handler; the call ends all the same.
    let h = s.script(
        "h",
        &format!("sleep 30 &\necho $! > \"$OUT/pid\"\n{}", prints("<doc/>")),
    );
    let started = Instant::now();
    let result = Runner::new(h).env("OUT", s.dir()).call(&status_request());
    let pid = std::fs::read_to_string(s.dir().join("pid")).unwrap();
    let _ = std::process::Command::new("kill").arg(pid.trim()).status();
    assert!(result.is_ok(), "{:?}", result.err());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn handlers_that_cannot_start() {
    let s = Scratch::new("spawn");
    let missing = s.dir().join("no-such-handler");
    let e = Runner::new(&missing).call(&status_request()).unwrap_err();
    assert!(
        matches!(&e, RunError::Spawn { path, .. } if *path == missing),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with(&format!("cannot start {}: ", missing.display()))
    );

    let plain = s.dir().join("not-executable");
    std::fs::write(&plain, "#!/bin/sh\n").unwrap();
    assert!(matches!(
        Runner::new(&plain).info(),
        Err(RunError::Spawn { .. })
    ));

    let bad_interpreter = s.script("python2", "");
    std::fs::write(&bad_interpreter, "#!/no/such/python2.7\n").unwrap();
    assert!(matches!(
        Runner::new(&bad_interpreter).info(),
        Err(RunError::Spawn { .. })
    ));
}

#[test]
fn a_bare_name_is_a_file_here_never_a_path_search() {
    assert_eq!(
        Runner::new("ups-sim").program(),
        std::path::Path::new("./ups-sim")
    );
    assert_eq!(
        Runner::new("./ups-sim").program(),
        std::path::Path::new("./ups-sim")
    );
    assert_eq!(
        Runner::new("/opt/h/ups-sim").program(),
        std::path::Path::new("/opt/h/ups-sim")
    );
    // `sh` is on PATH, but not in this directory.
    assert!(matches!(
        Runner::new("sh").info(),
        Err(RunError::Spawn { .. })
    ));
}
