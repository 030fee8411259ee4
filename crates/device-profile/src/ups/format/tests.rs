//! The UPS format: every kind of wrong profile with the line and field its error names, and
//! the units and conditions a reading is taken with.

use super::*;

/// A small valid UPS profile; tests replace one line to make it wrong.
const BASE: &str = r#"[profile]
id = "t"
name = "Test UPS"
mib = "TEST-MIB"

[detect]
probe = ["1.3.6.1.4.1.9999.1.0"]

[lines.input]
count = "1.3.6.1.4.1.9999.2.0"

[[readings.input_voltage]]
oid = "1.3.6.1.4.1.9999.3"
index = "L"
lines = "input"
unit = "V"
range = [0, 500]

[[readings.runtime]]
oid = "1.3.6.1.4.1.9999.4.0"
unit = "s"
invalid = [65535, { value = 0, when = { oid = "1.3.6.1.4.1.9999.5.0", in = [100] } }]

[status]
otherwise = "Warning"

[[status.rules]]
level = "OK"
why = "on mains"
all = [{ oid = "1.3.6.1.4.1.9999.1.0", in = [3] }]
"#;

#[track_caller]
fn wrong(from: &str, to: &str, line: usize, field: &str, problem: &str) {
    assert!(BASE.contains(from), "{from:?} not in the base profile");
    let text = BASE.replacen(from, to, 1);
    let e = UpsProfile::parse("t.toml", &text).expect_err("a wrong profile");
    assert_eq!(
        (e.line, e.field.as_str()),
        (line, field),
        "{e}\n--- profile:\n{text}"
    );
    assert!(e.problem.contains(problem), "{e}");
}

#[test]
fn the_base_profile_reads() {
    let p = UpsProfile::parse("t.toml", BASE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.readings.input_voltage.len(), 1);
    let objects: Vec<String> = p
        .objects()
        .iter()
        .map(|o| o.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
        .collect();
    // Probe, count, the voltage at lines 1 and 2, runtime, its condition; the rule's object
    // is the probe, not asked twice.
    assert_eq!(
        objects,
        [
            "1.3.6.1.4.1.9999.1.0",
            "1.3.6.1.4.1.9999.2.0",
            "1.3.6.1.4.1.9999.3.1",
            "1.3.6.1.4.1.9999.3.2",
            "1.3.6.1.4.1.9999.4.0",
            "1.3.6.1.4.1.9999.5.0",
        ]
    );
}

#[test]
fn wrong_profiles_name_their_line_and_field() {
    let voltage = "readings.input_voltage[0]";
    wrong(
        "unit = \"V\"",
        "unit = \"W\"",
        16,
        &format!("{voltage}.unit"),
        "does not measure input_voltage",
    );
    wrong(
        "unit = \"V\"",
        "unit = \"volts\"",
        16,
        "unit",
        "unknown variant",
    );
    wrong(
        "lines = \"input\"",
        "lines = \"output\"",
        15,
        &format!("{voltage}.lines"),
        "no [lines.output]",
    );
    wrong(
        "lines = \"input\"\n",
        "",
        12,
        &format!("{voltage}.lines"),
        "needs the line set",
    );
    wrong(
        "index = \"L\"",
        "index = \"x.L\"",
        14,
        &format!("{voltage}.index"),
        "not index arcs",
    );
    wrong(
        "range = [0, 500]",
        "range = [500, 0]",
        17,
        &format!("{voltage}.range"),
        "is empty",
    );
    wrong(
        "oid = \"1.3.6.1.4.1.9999.4.0\"",
        "oid = \"1.3.6.1.4.1.9999.4.1\"",
        20,
        "readings.runtime[0].oid",
        "not a scalar instance",
    );
    wrong(
        "in = [100] }",
        "in = [100], gt = 1 }",
        22,
        "readings.runtime[0].invalid",
        "exactly one of in and gt",
    );
    wrong(
        "unit = \"s\"",
        "unit = \"s\"\nline = \"B\"",
        22,
        "readings.runtime[0].line",
        "line A's",
    );
    wrong(
        "all = [{ oid = \"1.3.6.1.4.1.9999.1.0\", in = [3] }]",
        "",
        27,
        "status.rules[0]",
        "needs conditions",
    );
    wrong(
        "level = \"OK\"",
        "level = \"Fine\"",
        28,
        "level",
        "unknown variant",
    );
    wrong(
        "probe = [\"1.3.6.1.4.1.9999.1.0\"]",
        "probe = [\"iso.3\"]",
        7,
        "detect.probe[0]",
        "not a numeric OID",
    );
    wrong(
        "[status]",
        "[status]\nmood = 1",
        25,
        "mood",
        "unknown field",
    );
}

#[test]
fn units_convert_to_what_dcimanager_shows() {
    assert_eq!(Unit::DeciVolt.convert(2476), 247.6);
    assert_eq!(Unit::Watt.convert(169), 0.169);
    assert_eq!(Unit::DeciKilowatt.convert(21), 2.1);
    assert_eq!(Unit::Ticks.convert(456_000), 76.0);
    assert_eq!(Unit::Second.convert(8620), 143.667);
    assert_eq!(Unit::DeciPercent.convert(219), 21.9);
}

#[test]
fn a_source_knows_its_lines_and_what_is_not_available() {
    let p = UpsProfile::parse("t.toml", BASE).unwrap_or_else(|e| panic!("{e}"));
    let v = p.readings.input_voltage[0].get_ref();
    assert!(v.gives(Line::A) && v.gives(Line::B));
    assert_eq!(v.instance(Line::B), arcs("1.3.6.1.4.1.9999.3.2"));
    let r = p.readings.runtime[0].get_ref();
    assert!(r.gives(Line::A) && !r.gives(Line::B));
    let charge = arcs("1.3.6.1.4.1.9999.5.0");
    let full = |o: &[u32]| (o == charge.as_slice()).then_some(100);
    let unknown = |_: &[u32]| None;
    assert!(r.invalid(65535, unknown).is_some());
    assert!(r.invalid(0, full).is_some());
    assert_eq!(
        r.invalid(0, unknown),
        None,
        "0 s is true when the charge is not full"
    );
    assert_eq!(r.invalid(600, full), None);
}
