//! What the objects a UPS answered mean, by its profiles: DCImanager's readings and
//! `device_status`, and for everything left out, why. Pure (no SNMP), so the engine and the
//! checker (over recordings) read the same way.
//!
//! Readings: the profiles whose probe answered are used in the order given; for each reading
//! and line, the first source with an available value gives it. A line the UPS does not have
//! (its count says so) is left out, never sent as 0 (DCImanager warns under 100 V). Status:
//! each used profile's first rule that holds (else its `otherwise`, when the agent answered an
//! object its rules read); where two profiles disagree the more severe level wins, because an
//! operator would rather check a false alarm than miss a UPS on battery.

use std::collections::BTreeMap;

use dci_protocol::{EqParam, EqValue};
use snmp_core::Value;

use super::format::{CountMissing, Level, Line, Reading, Source, UpsProfile};

/// The answered objects, by OID.
pub type Answered = BTreeMap<Vec<u32>, Value>;

/// What a UPS reports, by its profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The ids of the profiles used (their probes answered), in order.
    pub profiles: Vec<String>,
    /// `device_status` first, then the readings in the guide's order; what is not available is
    /// not there.
    pub params: Vec<EqParam>,
    /// For each parameter left out, and each value passed over, why.
    pub notes: Vec<String>,
}

/// A number the agent sent, whatever its type (Ingrasys sends upsEstimatedMinutesRemaining as
/// TimeTicks, Huawei the UPS-MIB table as Gauge32).
pub fn number(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(*i),
        Value::Counter32(u) | Value::Gauge32(u) | Value::TimeTicks(u) => Some(i64::from(*u)),
        Value::Counter64(u) => i64::try_from(*u).ok(),
        _ => None,
    }
}

/// The readings of a UPS whose agent answered `got`, by `profiles` (tried in order); `None`
/// when no profile's probe answered.
pub fn answer(profiles: &[UpsProfile], got: &Answered) -> Option<Answer> {
    let used: Vec<&UpsProfile> = profiles
        .iter()
        .filter(|p| {
            p.detect
                .probe
                .iter()
                .any(|o| got.contains_key(&super::format::arcs(o.get_ref())))
        })
        .collect();
    if used.is_empty() {
        return None;
    }
    let value_of = |oid: &[u32]| got.get(oid).and_then(number);
    let mut notes = Vec::new();
    let mut params = Vec::new();
    match status(&used, &value_of, &mut notes) {
        Some(level) => params.push(EqParam {
            name: "device_status".into(),
            value: EqValue::Str(level.as_str().into()),
        }),
        None => notes.push(
            "device_status left out: the UPS answered none of the objects the status rules read"
                .into(),
        ),
    }
    for r in Reading::ALL {
        for line in Line::BOTH {
            let Some(name) = r.param(line) else { continue };
            let mut why = Vec::new();
            let found = used.iter().find_map(|p| {
                p.readings.of(r).iter().find_map(|s| {
                    let s = s.get_ref();
                    if !s.gives(line) {
                        return None;
                    }
                    read(p, s, line, got, &value_of)
                        .map_err(|w| why.push(w))
                        .ok()
                })
            });
            match found {
                Some(v) => params.push(EqParam {
                    name,
                    value: EqValue::Float(v),
                }),
                None if why.is_empty() => notes.push(format!("{name} left out: no source has it")),
                None => notes.push(format!("{name} left out: {}", why.join("; "))),
            }
        }
    }
    Some(Answer {
        profiles: used.iter().map(|p| p.profile.id.clone()).collect(),
        params,
        notes,
    })
}

/// `device_status`: each profile's level, the most severe winning.
fn status(
    used: &[&UpsProfile],
    value_of: &impl Fn(&[u32]) -> Option<i64>,
    notes: &mut Vec<String>,
) -> Option<Level> {
    let mut worst: Option<Level> = None;
    for p in used {
        let rules = &p.status.rules;
        let level = match rules
            .iter()
            .map(|r| r.get_ref())
            .find(|r| r.holds(value_of))
        {
            Some(rule) => Some(rule.level),
            None => {
                let read: Vec<String> = rules
                    .iter()
                    .flat_map(|r| r.get_ref().all.iter().chain(&r.get_ref().any))
                    .filter_map(|c| value_of(&super::format::arcs(&c.oid)).map(|v| (c, v)))
                    .map(|(c, v)| format!("{} = {v}", c.oid))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                (!read.is_empty()).then(|| {
                    notes.push(format!(
                        "{}: no status rule holds for {}: {}",
                        p.profile.id,
                        read.join(", "),
                        p.status.otherwise.as_str()
                    ));
                    p.status.otherwise
                })
            }
        };
        worst = worst.max(level);
    }
    worst
}

/// `s`'s value for `line`, in DCImanager's unit, or why not.
fn read(
    p: &UpsProfile,
    s: &Source,
    line: Line,
    got: &Answered,
    value_of: &impl Fn(&[u32]) -> Option<i64>,
) -> Result<f64, String> {
    let oid = s.instance(line);
    let name = oid.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
    let Some(v) = got.get(&oid) else {
        return Err(format!("{name} did not answer"));
    };
    if s.per_line() {
        let set_name = s.lines.as_deref().unwrap_or("");
        if let Some(set) = p.lines.get(set_name)
            && let Some(count_oid) = &set.count
        {
            match value_of(&super::format::arcs(count_oid.get_ref())) {
                Some(n) if i64::from(line.number()) > n => {
                    return Err(format!(
                        "{name}: the UPS has {n} {set_name} line{} ({})",
                        if n == 1 { "" } else { "s" },
                        count_oid.get_ref()
                    ));
                }
                Some(_) => {}
                None if set.if_count_missing == Some(CountMissing::Rows) => {}
                None => {
                    return Err(format!(
                        "{name}: the {set_name} line count ({}) did not answer",
                        count_oid.get_ref()
                    ));
                }
            }
        }
    }
    let Some(raw) = number(v) else {
        return Err(format!("{name} is a {}, not a number", v.type_name()));
    };
    if let Some(why) = s.invalid(raw, value_of) {
        return Err(format!("{name} not available ({why})"));
    }
    let value = s.unit.convert(raw);
    if let Some([lo, hi]) = s.range
        && !(lo..=hi).contains(&value)
    {
        return Err(format!(
            "{name} = {raw} {:?} is outside [{lo}, {hi}]",
            s.unit
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ups::format::arcs;

    const PROFILE: &str = r#"[profile]
id = "t"
name = "T"
mib = "T-MIB"

[detect]
probe = ["1.3.6.1.4.1.9999.1.0"]

[lines.input]
count = "1.3.6.1.4.1.9999.2.0"

[[readings.input_voltage]]
oid = "1.3.6.1.4.1.9999.3"
index = "L"
lines = "input"
unit = "V/10"
range = [0, 500]

[status]
otherwise = "Warning"

[[status.rules]]
level = "Critical"
why = "off"
all = [{ oid = "1.3.6.1.4.1.9999.1.0", in = [2] }]

[[status.rules]]
level = "OK"
why = "on"
all = [{ oid = "1.3.6.1.4.1.9999.1.0", in = [3] }]
"#;

    fn answered(objects: &[(&str, Value)]) -> Answered {
        objects.iter().map(|(o, v)| (arcs(o), v.clone())).collect()
    }

    fn profile(text: &str) -> UpsProfile {
        UpsProfile::parse("t.toml", text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_count_decides_the_lines_and_its_absence_is_said() {
        let p = profile(PROFILE);
        let mut got = answered(&[
            ("1.3.6.1.4.1.9999.1.0", Value::Integer(3)),
            ("1.3.6.1.4.1.9999.2.0", Value::Integer(1)),
            ("1.3.6.1.4.1.9999.3.1", Value::Gauge32(2301)),
            ("1.3.6.1.4.1.9999.3.2", Value::Gauge32(2302)),
        ]);
        let a = answer(std::slice::from_ref(&p), &got).expect("the probe answers");
        assert_eq!(a.params.len(), 2, "{a:?}");
        assert_eq!(a.params[1].value, EqValue::Float(230.1));
        assert!(a.notes[0].contains("the UPS has 1 input line"), "{a:?}");
        // No count, and the profile does not take the rows as lines: left out, and said.
        got.remove(&arcs("1.3.6.1.4.1.9999.2.0"));
        let a = answer(std::slice::from_ref(&p), &got).expect("the probe answers");
        assert_eq!(a.params.len(), 1, "{a:?}");
        assert!(a.notes[0].contains("the input line count (1.3.6.1.4.1.9999.2.0) did not answer"));
        // With `if_count_missing = "rows"`, the rows are the lines.
        let rows = profile(&PROFILE.replace(
            "count = \"1.3.6.1.4.1.9999.2.0\"",
            "count = \"1.3.6.1.4.1.9999.2.0\"\nif_count_missing = \"rows\"",
        ));
        let a = answer(std::slice::from_ref(&rows), &got).expect("the probe answers");
        assert_eq!(a.params.len(), 3, "{a:?}");
    }

    #[test]
    fn status_takes_the_first_rule_else_otherwise_and_the_worst_of_two() {
        let p = profile(PROFILE);
        let level = |ps: &[UpsProfile], v: i64| {
            let got = answered(&[("1.3.6.1.4.1.9999.1.0", Value::Integer(v))]);
            answer(ps, &got).expect("the probe answers").params[0]
                .value
                .clone()
        };
        let s = |l: &str| EqValue::Str(l.into());
        assert_eq!(level(std::slice::from_ref(&p), 3), s("OK"));
        assert_eq!(level(std::slice::from_ref(&p), 2), s("Critical"));
        assert_eq!(
            level(std::slice::from_ref(&p), 7),
            s("Warning"),
            "otherwise"
        );
        // A second MIB on the same object that calls 3 Critical: the worse wins.
        let other = profile(
            &PROFILE
                .replace("in = [2]", "in = [3]")
                .replace("id = \"t\"", "id = \"u\""),
        );
        assert_eq!(level(&[p, other], 3), s("Critical"));
    }

    #[test]
    fn nothing_answered_is_no_ups() {
        let p = profile(PROFILE);
        assert!(answer(&[p], &Answered::new()).is_none());
    }
}
