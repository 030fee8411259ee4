//! The format on the shipped profiles, and every kind of wrong profile with the line and field
//! its error names.

use super::*;

/// A small valid profile; tests replace one line to make it wrong.
const BASE: &str = r#"[profile]
id = "t"
name = "Test PDU"
mib = "TEST-MIB"

[detect]
probe = ["1.3.6.1.4.1.9999.1.1"]

[outlets]
index = "N"

[[outlets.state]]
oid = "1.3.6.1.4.1.9999.1.1"
on = [1]
off = [2]
transitional = [3]

[outlets.control]
on = { oid = "1.3.6.1.4.1.9999.1.2", type = "integer", value = 1 }
off = { oid = "1.3.6.1.4.1.9999.1.2", type = "integer", value = 2 }
reset = "off-then-on"

[outlets.confirm]
within_s = 5

[metrics.power]
oid = "1.3.6.1.4.1.9999.1.3"
unit = "W"
invalid = ["negative"]
"#;

#[track_caller]
fn wrong(from: &str, to: &str, line: usize, field: &str, problem: &str) {
    assert!(BASE.contains(from), "{from:?} not in the base profile");
    let text = BASE.replacen(from, to, 1);
    let e = Profile::parse("t.toml", &text).expect_err("a wrong profile");
    assert_eq!((e.line, e.field.as_str()), (line, field), "{e}");
    assert!(e.problem.contains(problem), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("profile t.toml, line {line}, {field}: ")),
        "{e}"
    );
}

#[test]
fn a_profile_reads() {
    let p = Profile::parse("base", BASE).unwrap();
    assert_eq!(p.outlets.index, IndexShape::Number);
    assert_eq!(p.outlets.noun, "outlet");
    assert_eq!(p.profile.family(), "Test PDU");
    assert_eq!(
        p.outlets
            .control
            .as_ref()
            .map(|c| c.get_ref().reset.clone()),
        Some(Reset::Sequence(ResetSequence::OffThenOn))
    );
    let native = BASE.replace(
        "reset = \"off-then-on\"",
        "reset = { oid = \"1.3.6.1.4.1.9999.1.2\", type = \"integer\", value = 3 }",
    );
    let p = Profile::parse("native", &native).unwrap();
    let reset = p.outlets.control.unwrap().into_inner().reset;
    assert!(
        matches!(reset, Reset::Native(Action { value: 3, .. })),
        "{reset:?}"
    );
}

#[test]
fn wrong_profiles_name_the_line_and_the_field() {
    wrong(
        "index = \"N\"",
        "index = \"N\"\ncolour = \"red\"",
        11,
        "colour",
        "unknown field `colour`",
    );
    wrong(
        "unit = \"W\"",
        "unit = \"horsepower\"",
        28,
        "unit",
        "unknown variant `horsepower`",
    );
    wrong(
        "unit = \"W\"",
        "unit = \"mA\"",
        26,
        "metrics.power.unit",
        "Milliampere does not measure power",
    );
    wrong(
        "transitional = [3]",
        "transitional = [1]",
        12,
        "outlets.state[0].transitional",
        "value 1 is mapped to both on and transitional",
    );
    wrong(
        "off = [2]\n",
        "off = []\n",
        12,
        "outlets.state[0].off",
        "needs the values that mean on and off",
    );
    wrong(
        "probe = [\"1.3.6.1.4.1.9999.1.1\"]",
        "probe = [\"ifTable\"]",
        7,
        "detect.probe[0]",
        "not a numeric OID",
    );
    wrong(
        "[[outlets.state]]\noid = \"1.3.6.1.4.1.9999.1.1\"\non = [1]\noff = [2]\ntransitional = [3]\n",
        "state = []\n",
        14,
        "outlets.control",
        "a control needs a state to confirm it",
    );
    wrong(
        "type = \"integer\", value = 1",
        "type = \"string\", value = 1",
        19,
        "on",
        "unknown variant `string`",
    );
    wrong(
        "oid = \"1.3.6.1.4.1.9999.1.2\", type = \"integer\", value = 2",
        "oid = \"off\", type = \"integer\", value = 2",
        20,
        "outlets.control.off.oid",
        "not a numeric OID",
    );
}

#[test]
fn metrics_scale_and_leave_out_what_is_not_available() {
    let m = |unit, invalid: Vec<Invalid>| Metric {
        oid: "1.3".into(),
        suffix: None,
        unit,
        scale_from: None,
        invalid,
    };
    let w = m(Unit::Watt, vec![Invalid::Word(InvalidWord::Negative)]);
    assert_eq!(w.value(120, None), Some(120.0));
    assert_eq!(w.value(-1, None), None);
    // PDU2: 1234 with 1 decimal digit is 123.4 W.
    assert_eq!(w.value(1234, Some(1)), Some(123.4));
    let ma = m(Unit::Milliampere, vec![Invalid::Value(65535)]);
    assert_eq!(ma.value(1500, None), Some(1.5));
    assert_eq!(ma.value(65535, None), None);
    assert_eq!(m(Unit::DeciKilowattHour, vec![]).value(25, None), Some(2.5));
}

#[test]
fn switchable_pending_and_single_unit_are_checked() {
    wrong(
        "index = \"N\"",
        "index = \"N\"\nswitchable = { oid = \"1.3.6.1.4.1.9999.1.9\", yes = [1], no = [2] }",
        11,
        "outlets.switchable",
        "exactly one of yes, no and bit",
    );
    wrong(
        "index = \"N\"",
        "index = \"N\"\npending = { oid = \"1.3.6.1.4.1.9999.1.6\", values = [] }",
        11,
        "outlets.pending.values",
        "a command is pending are missing",
    );
    wrong(
        "index = \"N\"",
        "index = \"N\"\nsingle_unit = \"0\"",
        11,
        "outlets.single_unit",
        "not the arcs before the outlet number of index a number from 1",
    );
    let text = BASE.replacen(
        "index = \"N\"",
        "index = \"unit.N\"\nsingle_unit = \"0\"",
        1,
    );
    let p = Profile::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.outlets.index.arcs(), 2);
}

#[test]
fn switchable_reads_integers_and_bits() {
    use snmp_core::Value;
    let sw = |yes: Vec<i64>, no: Vec<i64>, bit: Option<u32>| Switchable {
        oid: Spanned::new(0..0, "1.3".to_owned()),
        yes,
        no,
        bit,
    };
    assert_eq!(
        sw(vec![1], vec![], None).allows(&Value::Integer(1)),
        Some(true)
    );
    assert_eq!(
        sw(vec![1], vec![], None).allows(&Value::Integer(2)),
        Some(false)
    );
    let st4 = sw(vec![], vec![1, 14, 15], None);
    assert_eq!(st4.allows(&Value::Integer(11)), Some(true));
    assert_eq!(st4.allows(&Value::Integer(14)), Some(false));
    // Sentry3 outletCapabilities: onSense(0) and powerControl(2) are 0xA0.
    let st3 = sw(vec![], vec![], Some(2));
    assert_eq!(st3.allows(&Value::OctetString(vec![0xA0, 0])), Some(true));
    assert_eq!(st3.allows(&Value::OctetString(vec![0x80])), Some(false));
    assert_eq!(st3.allows(&Value::Integer(1)), None);
}
