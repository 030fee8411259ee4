//! `ups-sim` as DCImanager runs it: `-info`, `status` with the seed's readings, and readings
//! from the operator's file.

use std::time::{Duration, Instant};

use dci_protocol::{DeviceType, Document, EqValue, Func, Info, Requirement};
use e2e::{Scratch, bin, run, stderr, stdout};

const STATUS: &str = "<doc><func>status</func><device_params><ip>127.0.0.1</ip><snmp_ver>SNMP v1</snmp_ver><snmp_community>public</snmp_community></device_params></doc>";

#[test]
fn info_answers_without_reading_stdin() {
    // stdin stays open and unwritten, as DCImanager leaves it: a handler that waited on it
    // would hang here instead of answering.
    let exe = bin("ups-sim");
    let mut child = std::process::Command::new(&exe)
        .arg("-info")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "-info waited on stdin"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    let info = Info::parse(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert_eq!(info.device_type, DeviceType::Ups);
    assert_eq!(&*info.funcs, &[Func::Status]);
    assert_eq!(&*info.requirements, &[Requirement::Snmpv1]);
}

#[test]
fn status_reports_the_seed_readings() {
    let out = run(&bin("ups-sim"), &[], Some(STATUS.as_bytes()), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let Document::Response(r) = Document::parse(&stdout(&out)).unwrap() else {
        panic!("not a response: {}", stdout(&out))
    };
    let names: Vec<&str> = r.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "device_status",
            "input_voltage_line_A",
            "input_voltage_line_B",
            "output_load_line_A",
            "output_load_line_B",
            "output_power_line_A",
            "output_power_line_B",
            "input_power_line_A",
            "input_power_line_B",
            "battary_time_remains",
        ]
    );
    assert_eq!(r.params[0].value, EqValue::Str("OK".into()));
    assert_eq!(r.params[5].value, EqValue::Float(49.23));
    assert_eq!(r.params[9].value, EqValue::Float(24.0));
    assert!(r.ports.is_empty());
    assert!(
        stderr(&out).is_empty(),
        "quiet by default: {}",
        stderr(&out)
    );
}

#[test]
fn status_reports_the_operators_readings() {
    let scratch = Scratch::new("ups-warning");
    let file = scratch.file(
        "ups-warning.conf",
        "# line A lost\ndevice_status = Critical\ninput_voltage_line_A = 0\nbattary_time_remains = 3.5\n",
    );
    let out = run(
        &bin("ups-sim"),
        &[],
        Some(STATUS.as_bytes()),
        &[("DCIH_UPS_SIM_FILE", file.to_str().unwrap())],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let Document::Response(r) = Document::parse(&stdout(&out)).unwrap() else {
        panic!()
    };
    assert_eq!(r.params[0].value, EqValue::Str("Critical".into()));
    assert_eq!(r.params[1].value, EqValue::Float(0.0));
    assert_eq!(r.params[2].value, EqValue::Float(220.0));
    assert_eq!(r.params[9].value, EqValue::Float(3.5));
}

#[test]
fn a_bad_readings_file_is_an_error_document() {
    let scratch = Scratch::new("ups-bad");
    let file = scratch.file(
        "ups-bad.conf",
        "device_status = OK\noutput_load_line_C = 5\n",
    );
    let out = run(
        &bin("ups-sim"),
        &[],
        Some(STATUS.as_bytes()),
        &[("DCIH_UPS_SIM_FILE", file.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    let Document::Error(e) = Document::parse(&stdout(&out)).unwrap() else {
        panic!()
    };
    assert!(
        e.text
            .contains("line 2: unknown reading 'output_load_line_C'"),
        "{}",
        e.text
    );
    let out = run(
        &bin("ups-sim"),
        &[],
        Some(STATUS.as_bytes()),
        &[("DCIH_UPS_SIM_FILE", "/nonexistent/ups.conf")],
    );
    let Document::Error(e) = Document::parse(&stdout(&out)).unwrap() else {
        panic!()
    };
    assert!(
        e.text.starts_with(
            "cannot read the UPS readings file /nonexistent/ups.conf (DCIH_UPS_SIM_FILE): "
        ),
        "{}",
        e.text
    );
}
