//! The profile checker: a profile run over recordings of real devices (`.snmprec`, as snmpsim
//! serves them), for `dci-harness profile check`. For each recording the profile matches, what
//! the handler would report (outlets, names, states, watts) and the checks that hold in real
//! data: no state value outside the profile's map, no negative watts reported, and the outlets'
//! watts within 10% of the unit's where the recording has both.

use std::collections::BTreeMap;

use dci_protocol::{PortState, PortStatus};
use snmp_core::Value;

use crate::format::Profile;
use crate::read::{self, Walked};

/// sysObjectID.0.
pub const SYS_OBJECT_ID: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 2, 0];

/// How far the outlets' watts may be from the unit's.
pub const WATTS_TOLERANCE: f64 = 0.10;

/// The objects of a `.snmprec` recording (`OID|TYPE|VALUE` lines). A value served by a
/// variation module (`TYPE:module|settings`) is its `initial=` (else `value=`) setting, where it
/// has one; other variation lines are left out.
pub fn parse_snmprec(text: &str) -> Vec<(Vec<u32>, Value)> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '|');
            let (oid, tag, value) = (parts.next()?, parts.next()?, parts.next()?);
            let oid: Vec<u32> = oid
                .split('.')
                .map(|a| a.parse().ok())
                .collect::<Option<_>>()?;
            let (tag, value) = match tag.split_once(':') {
                Some((tag, _module)) => (tag, setting(value)?),
                None => (tag, value.to_owned()),
            };
            Some((oid, typed(tag, &value)?))
        })
        .collect()
}

fn setting(settings: &str) -> Option<String> {
    let get = |key: &str| {
        settings.split(',').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_owned())
        })
    };
    get("initial").or_else(|| get("value"))
}

fn typed(tag: &str, value: &str) -> Option<Value> {
    let hex = |s: &str| -> Option<Vec<u8>> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
            .collect()
    };
    Some(match tag {
        "2" => Value::Integer(value.parse().ok()?),
        "4" => Value::OctetString(value.as_bytes().to_vec()),
        "4x" => Value::OctetString(hex(value)?),
        "6" => Value::ObjectId(snmp_core::Oid(
            value
                .split('.')
                .map(|a| a.parse().ok())
                .collect::<Option<_>>()?,
        )),
        "65" => Value::Counter32(value.parse().ok()?),
        "66" => Value::Gauge32(value.parse().ok()?),
        "67" => Value::TimeTicks(value.parse().ok()?),
        "70" => Value::Counter64(value.parse().ok()?),
        _ => return None,
    })
}

/// Why a profile was run over a recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// Its sysObjectID is under one of the profile's prefixes.
    SysObjectId,
    /// A probe column has rows.
    Probe,
}

/// One check and what it found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What was checked.
    pub check: &'static str,
    /// Whether it holds.
    pub holds: bool,
    /// The figures.
    pub detail: String,
}

/// What the profile reads from one recording.
#[derive(Debug, Clone)]
pub struct Report {
    /// Why it was run.
    pub matched: Matched,
    /// The outlets status would report (empty when none of the tables has rows).
    pub outlets: Vec<PortState>,
    /// Watts per outlet, where the recording has the power reading.
    pub power: Option<Vec<PortState>>,
    /// The unit's watts, where the recording has them.
    pub unit_watts: Option<f64>,
    /// The checks.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether every check holds.
    pub fn holds(&self) -> bool {
        self.findings.iter().all(|f| f.holds)
    }
}

/// The profile over one recording's objects; `None` when the recording is not of its family
/// (neither its sysObjectID nor a probe column).
pub fn check(p: &Profile, objects: &[(Vec<u32>, Value)]) -> Option<Report> {
    let sys = objects
        .iter()
        .find(|(o, _)| o == SYS_OBJECT_ID)
        .and_then(|(_, v)| match v {
            Value::ObjectId(o) => Some(o.0.clone()),
            _ => None,
        });
    let probes: Vec<Vec<u32>> = p
        .detect
        .probe
        .iter()
        .map(|c| read::arcs(c.get_ref()))
        .collect();
    let probed = Walked::from_objects(&probes, objects);
    let matched = if p
        .detect
        .probe
        .iter()
        .any(|c| !probed.column(c.get_ref()).is_empty())
    {
        Matched::Probe
    } else if sys.as_ref().is_some_and(|s| {
        p.detect
            .sys_object_id
            .iter()
            .any(|pre| s.starts_with(&read::arcs(pre.get_ref())))
    }) {
        Matched::SysObjectId
    } else {
        return None;
    };
    let ps = std::slice::from_ref(p);
    let mut cols = read::status_columns(ps);
    cols.extend(read::power_columns(ps));
    if let Some(u) = &p.metrics.unit_power {
        let u = u.get_ref();
        cols.push(read::arcs(&u.oid));
        cols.extend(u.scale_from.iter().map(|sc| read::arcs(&sc.oid)));
    }
    let w = Walked::from_objects(&cols, objects);
    let outlets = read::outlets(ps, &w).map(|(_, o)| o).unwrap_or_default();
    let power = read::power(ps, &w);
    let unit_watts = p.metrics.unit_power.as_ref().and_then(|u| {
        let u = u.get_ref();
        let rows = read::readings(u, &w, |i, sfx| match sfx {
            Some(sfx) => i
                .strip_suffix(read::arcs(sfx).as_slice())
                .map(<[u32]>::to_vec),
            None => Some(i.to_vec()),
        });
        let watts: Vec<f64> = rows.into_values().flatten().collect();
        (!watts.is_empty()).then(|| watts.iter().sum::<f64>())
    });
    let mut findings = vec![states_in_map(p, &w)];
    if let Some(power) = &power {
        let negative: Vec<&str> = power
            .iter()
            .filter(|o| o.power.is_some_and(|w| w < 0.0))
            .map(|o| o.identity.as_str())
            .collect();
        findings.push(Finding {
            check: "no negative watts reported",
            holds: negative.is_empty(),
            detail: if negative.is_empty() {
                "none".into()
            } else {
                format!("outlets {}", negative.join(", "))
            },
        });
        if let Some(unit) = unit_watts {
            let sum: f64 = power.iter().filter_map(|o| o.power).sum::<f64>();
            let off = if unit > 0.0 {
                (sum - unit).abs() / unit
            } else {
                f64::from(u8::from(sum != 0.0))
            };
            findings.push(Finding {
                check: "outlet watts add up to the unit's (within 10%)",
                holds: off <= WATTS_TOLERANCE,
                detail: format!(
                    "outlets {sum:.1} W, unit {unit:.1} W ({:.1}% apart)",
                    off * 100.0
                ),
            });
        }
    }
    Some(Report {
        matched,
        outlets,
        power,
        unit_watts,
        findings,
    })
}

/// Every value of the profile's state sources is in its map (on, off, transitional, fault).
fn states_in_map(p: &Profile, w: &Walked) -> Finding {
    let mut outside: BTreeMap<i64, usize> = BTreeMap::new();
    let mut rows = 0;
    for st in &p.outlets.state {
        let st = st.get_ref();
        let mapped = |v: &i64| {
            st.on.contains(v)
                || st.off.contains(v)
                || st.transitional.contains(v)
                || st.fault.contains(v)
        };
        for (i, v) in w.column(&st.oid) {
            if read::key(&p.outlets, i, st.suffix.as_deref()).is_none() {
                continue;
            }
            rows += 1;
            if let Some(v) = v.as_integer()
                && !mapped(&v)
            {
                *outside.entry(v).or_default() += 1;
            }
        }
    }
    Finding {
        check: "every state value is in the profile's map",
        holds: outside.is_empty(),
        detail: if outside.is_empty() {
            format!("{rows} values read")
        } else {
            outside
                .iter()
                .map(|(v, n)| format!("{v} ×{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    }
}

/// States counted: "on 15, off 9".
pub fn count_states(outlets: &[PortState]) -> String {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for o in outlets {
        let s = match o.admin_status {
            Some(PortStatus::On) => "on",
            Some(PortStatus::Off) => "off",
            _ => "unknown",
        };
        *n.entry(s).or_default() += 1;
    }
    n.iter()
        .map(|(s, k)| format!("{s} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = r#"[profile]
id = "t"
name = "T"
mib = "T-MIB"

[detect]
sys_object_id = ["1.3.6.1.4.1.9999"]
probe = ["1.3.6.1.4.1.9999.1.1"]

[outlets]
index = "N"
names = ["1.3.6.1.4.1.9999.1.2"]

[[outlets.state]]
oid = "1.3.6.1.4.1.9999.1.1"
on = [1]
off = [2]

[outlets.confirm]
within_s = 5

[metrics.power]
oid = "1.3.6.1.4.1.9999.1.3"
unit = "W"
invalid = [-1]

[metrics.unit_power]
oid = "1.3.6.1.4.1.9999.2"
unit = "W"
"#;

    fn report(rec: &str) -> Option<Report> {
        let p = Profile::parse("t.toml", PROFILE).unwrap_or_else(|e| panic!("{e}"));
        check(&p, &parse_snmprec(rec))
    }

    #[test]
    fn a_recording_is_read_and_checked() {
        let r = report(
            "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9999.5\n\
             1.3.6.1.4.1.9999.1.1.1|2|1\n\
             1.3.6.1.4.1.9999.1.1.2|2:numeric|min=1,max=2,initial=2\n\
             1.3.6.1.4.1.9999.1.1.3|2|7\n\
             1.3.6.1.4.1.9999.1.2.1|4|web\n\
             1.3.6.1.4.1.9999.1.2.2|4x|6462\n\
             1.3.6.1.4.1.9999.1.3.1|2|100\n\
             1.3.6.1.4.1.9999.1.3.2|2|-1\n\
             1.3.6.1.4.1.9999.1.3.3|66|50\n\
             1.3.6.1.4.1.9999.2.0|2|160\n",
        )
        .expect("a matching recording");
        assert_eq!(r.matched, Matched::Probe);
        assert_eq!(r.outlets.len(), 3);
        assert_eq!(r.outlets[1].description.as_deref(), Some("db"));
        assert_eq!(count_states(&r.outlets), "off 1, on 1, unknown 1");
        let power: Vec<Option<f64>> = r.power.unwrap().iter().map(|o| o.power).collect();
        assert_eq!(power, [Some(100.0), None, Some(50.0)]);
        assert_eq!(r.unit_watts, Some(160.0));
        let f: Vec<(&str, bool)> = r.findings.iter().map(|f| (f.check, f.holds)).collect();
        assert_eq!(
            f,
            [
                ("every state value is in the profile's map", false),
                ("no negative watts reported", true),
                ("outlet watts add up to the unit's (within 10%)", true),
            ]
        );
        assert_eq!(r.findings[0].detail, "7 ×1");
    }

    #[test]
    fn another_family_does_not_match() {
        assert!(report("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1\n1.3.6.1.4.1.318.1|2|1\n").is_none());
        let r = report("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9999.5\n").expect("by sysObjectID");
        assert_eq!(r.matched, Matched::SysObjectId);
        assert!(r.outlets.is_empty());
    }
}
