//! `dci-harness` against the real handlers: the CLI as an operator uses it, and the library's
//! runner and shape checks on real answers.

use std::process::Output;
use std::time::Duration;

use dci_harness::{Runner, shape};
use dci_protocol::{Document, Func, PortParams, Request, Secret, SnmpVersion};
use e2e::{bin, run, stderr, stdout};

fn harness(args: &[&str], env: &[(&str, &str)]) -> Output {
    run(&bin("dci-harness"), args, None, env)
}

fn path(name: &str) -> String {
    bin(name).to_string_lossy().into_owned()
}

#[test]
fn info_of_ups_sim() {
    let out = harness(&["info", &path("ups-sim")], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("UPS") && text.contains("Simulated UPS (dcihandlers)"),
        "{text}"
    );
    assert!(text.contains("snmpv1") && text.contains("status"), "{text}");
}

#[test]
fn call_ups_sim_status_as_a_table_and_as_xml() {
    let ups = path("ups-sim");
    let args = [
        "call",
        &ups,
        "status",
        "--ip",
        "127.0.0.1",
        "--snmp-ver",
        "v1",
        "--community-env",
        "COMM",
    ];
    let out = harness(&args, &[("COMM", "public")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["battary_time_remains", "24"]),
        "{table}"
    );
    let mut xml_args = args.to_vec();
    xml_args.push("--xml");
    let out = harness(&xml_args, &[("COMM", "public")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        matches!(Document::parse(&stdout(&out)), Ok(Document::Response(r)) if r.params.len() == 10)
    );
}

#[test]
fn call_reports_error_documents_hangs_and_usage() {
    let echo = path("echo-handler");
    let base = ["call", &echo];
    let cred = [
        "--ip",
        "127.0.0.1",
        "--snmp-ver",
        "v2c",
        "--community-env",
        "COMM",
    ];
    let env = [("COMM", "public")];
    // A declared function the handler lacks: its error document, exit 1.
    let out = harness(&[&base[..], &["statistics"], &cred[..]].concat(), &env);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("error (unexpected_data): handler bug: 'statistics' is declared in -info but not implemented"), "{}", stdout(&out));
    // A handler that stalls past the harness's timeout: exit 4.
    let out = harness(
        &[
            &base[..],
            &["port_on", "--port", "stall", "--timeout", "0.5"],
            &cred[..],
        ]
        .concat(),
        &env,
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    // A bad flag value is refused before the handler runs: exit 2.
    let out = harness(
        &[
            &base[..],
            &["port_speed", "--port", "1", "--speed", "100gbps"],
            &cred[..],
        ]
        .concat(),
        &env,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // No community and no terminal: a usage error that names the flags.
    let out = harness(
        &[
            &base[..],
            &["status", "--ip", "127.0.0.1", "--snmp-ver", "v2c"],
        ]
        .concat(),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--community-env"), "{}", stderr(&out));
}

fn v2c(func: Func) -> Request {
    let mut r = Request::new(func);
    r.device.ip = Some("127.0.0.1".parse().unwrap());
    r.device.snmp_ver = Some(SnmpVersion::V2c);
    r.device.snmp_community = Some(Secret::new("public"));
    r
}

#[test]
fn real_answers_have_the_right_shape() {
    let runner = Runner::new(bin("echo-handler")).timeout(Duration::from_secs(20));
    let info = runner.info().unwrap().document;
    let status = v2c(Func::Status);
    let Document::Response(resp) = runner.call(&status).unwrap().document else {
        panic!()
    };
    assert_eq!(shape::check(&info, &status, &resp), vec![]);
    let mut speed = v2c(Func::PortSpeed);
    speed.port = Some(PortParams {
        identity: Some("9".into()),
        speed: Some("1gbps".parse().unwrap()),
        ..PortParams::default()
    });
    let Document::Response(resp) = runner.call(&speed).unwrap().document else {
        panic!()
    };
    assert_eq!(shape::check(&info, &speed, &resp), vec![]);
    assert_eq!(shape::check_effect(&speed, &resp), vec![]);

    let ups = Runner::new(bin("ups-sim"));
    let info = ups.info().unwrap().document;
    let mut req = v2c(Func::Status);
    req.device.snmp_ver = Some(SnmpVersion::V1);
    let Document::Response(resp) = ups.call(&req).unwrap().document else {
        panic!()
    };
    assert_eq!(shape::check(&info, &req, &resp), vec![]);
}
