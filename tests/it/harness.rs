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

/// `profile check` over recordings generated from the MIBs: an ePDU whose outlets add up to its
/// input (every check holds), one with a state value outside the map (the check fails, exit 6),
/// an APC (not of the family); and a wrong profile, named by line and field.
#[test]
fn profile_check_reads_recordings_and_judges_them() {
    use e2e::pdus::{Kind, Pdu, outlets};
    let dir = crate::cisco_switch::data_dir("profile-check");
    let good = Pdu::new(Kind::Eaton { units: 1 }, outlets(Kind::Rpcm, 12));
    good.recording.write(dir.dir(), "eaton");
    let mut odd = Pdu::new(Kind::Eaton { units: 1 }, outlets(Kind::Rpcm, 4));
    // outletControlStatus 9 is not in EATON-EPDU-MIB's enumeration.
    odd.recording.add(
        "1.3.6.1.4.1.534.6.6.7.6.6.1.2.0.5",
        e2e::snmprec::Value::Integer(9),
    );
    odd.recording.write(dir.dir(), "odd");
    Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 4))
        .recording
        .write(dir.dir(), "rpcm");
    let profile = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../handlers/eaton-pdu/eaton-epdu.toml"
    );
    let recordings = dir.dir().to_string_lossy().into_owned();
    let out = harness(
        &["profile", "check", profile, "--recordings", &recordings],
        &[],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(6), "{text}{}", stderr(&out));
    let total: u32 = good.outlets.iter().map(|o| o.load).sum();
    for want in [
        "eaton.snmprec (matched by its tables):",
        "outlets: 12; names: 1 \"srv-1\", 2 \"srv-2\", 3 \"srv-3\", 4 \"srv-4\" and 8 more",
        "states: off 4, on 8",
        &format!("watts: 12 of 12 outlets, sum {total}.0 W"),
        "ok   outlet watts add up to the unit's (within 10%)",
        "odd.snmprec (matched by its tables):",
        "FAIL every state value is in the profile's map: 9 ×1",
        "not of the family: rpcm.snmprec",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
    let bad = dir.file(
        "bad.toml",
        "[profile]\nid = \"x\"\nname = \"X\"\nmib = \"M\"\ncolour = 1\n",
    );
    let out = harness(&["profile", "check", &bad.to_string_lossy()], &[]);
    assert_eq!(out.status.code(), Some(6));
    assert!(
        stdout(&out).contains("line 5, colour: unknown field `colour`"),
        "{}",
        stdout(&out)
    );
}

/// `profile check` of ups-snmp's profiles, together and in the handler's order, over UPS
/// recordings generated from the MIBs: what each answers and why each reading is left out; a
/// status value no rule knows fails the check (exit 6); a PDU is of none of the families.
#[test]
fn profile_check_runs_ups_profiles_together() {
    use e2e::pdus::{Kind, Pdu, outlets};
    let dir = crate::cisco_switch::data_dir("profile-check-ups");
    e2e::upses::single_phase()
        .recording
        .write(dir.dir(), "single");
    let mut odd = e2e::upses::three_phase();
    // upsOutputSource 9 is not in UPS-MIB's enumeration.
    odd.recording
        .add("1.3.6.1.2.1.33.1.4.1.0", e2e::snmprec::Value::Integer(9));
    odd.recording.write(dir.dir(), "odd");
    Pdu::new(Kind::Rpcm, outlets(Kind::Rpcm, 4))
        .recording
        .write(dir.dir(), "rpcm");
    // The order build.rs compiles them in.
    let files: Vec<String> = ["huawei-ups", "ups-mib", "eaton-xups", "apc-powernet"]
        .iter()
        .map(|f| {
            format!(
                "{}/../handlers/ups-snmp/{f}.toml",
                env!("CARGO_MANIFEST_DIR")
            )
        })
        .collect();
    let recordings = dir.dir().to_string_lossy().into_owned();
    let mut args = vec!["profile", "check"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--recordings", &recordings]);
    let out = harness(&args, &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(6), "{text}{}", stderr(&out));
    for want in [
        "UPS profile ",
        "single.snmprec (profiles: ups-mib):",
        "answers: device_status OK, input_voltage_line_A 231, output_load_line_A 37, output_power_line_A 0.62, input_power_line_A 0.65, battary_time_remains 42",
        "input_voltage_line_B left out: 1.3.6.1.2.1.33.1.3.3.1.3.2 did not answer",
        "ok   a status rule decides device_status: OK",
        "odd.snmprec (profiles: ups-mib):",
        "FAIL a status rule decides device_status: ups-mib: no status rule holds for 1.3.6.1.2.1.33.1.2.1.0 = 2, 1.3.6.1.2.1.33.1.4.1.0 = 9, 1.3.6.1.2.1.33.1.6.1.0 = 0: Warning",
        "not of the families: rpcm.snmprec",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
}
