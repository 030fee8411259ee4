//! The UPS profile checker: profiles run together over a recording (`.snmprec`), reporting what
//! the handler would answer, what it leaves out and why, and the check that holds in real
//! data: a status rule decides `device_status` (no value falls to `otherwise`).

use crate::check::{Finding, Matched, SYS_OBJECT_ID};
use snmp_core::Value;

use super::format::{UpsProfile, arcs};
use super::read::{self, Answer, Answered};

/// What the profiles read from one recording.
#[derive(Debug, Clone)]
pub struct Report {
    /// Each profile of the family and why it matched.
    pub matched: Vec<(String, Matched)>,
    /// What the handler answers (`None` when no probe answers: matched by sysObjectID only).
    pub answer: Option<Answer>,
    /// The checks.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether every check holds.
    pub fn holds(&self) -> bool {
        self.findings.iter().all(|f| f.holds)
    }
}

/// `profiles`, in order, over one recording's objects; `None` when the recording is of none of
/// their families (neither a probe nor a sysObjectID prefix).
pub fn check(profiles: &[UpsProfile], objects: &[(Vec<u32>, Value)]) -> Option<Report> {
    let got: Answered = objects.iter().cloned().collect();
    let sys = match got.get(SYS_OBJECT_ID) {
        Some(Value::ObjectId(o)) => Some(o.0.clone()),
        _ => None,
    };
    let matched: Vec<(String, Matched)> = profiles
        .iter()
        .filter_map(|p| {
            let by = if p
                .detect
                .probe
                .iter()
                .any(|o| got.contains_key(&arcs(o.get_ref())))
            {
                Matched::Probe
            } else if sys.as_ref().is_some_and(|s| {
                p.detect
                    .sys_object_id
                    .iter()
                    .any(|pre| s.starts_with(&arcs(pre.get_ref())))
            }) {
                Matched::SysObjectId
            } else {
                return None;
            };
            Some((p.profile.id.clone(), by))
        })
        .collect();
    if matched.is_empty() {
        return None;
    }
    let answer = read::answer(profiles, &got);
    let mut findings = Vec::new();
    if let Some(a) = &answer {
        let fallen: Vec<&String> = a
            .notes
            .iter()
            .filter(|n| n.contains("no status rule holds"))
            .collect();
        findings.push(Finding {
            check: "a status rule decides device_status",
            holds: fallen.is_empty() && a.params.first().is_some_and(|p| p.name == "device_status"),
            detail: a
                .params
                .first()
                .filter(|p| p.name == "device_status")
                .map_or_else(
                    || "no device_status".to_owned(),
                    |p| match (&p.value, fallen.first()) {
                        (_, Some(n)) => (*n).clone(),
                        (dci_protocol::EqValue::Str(s), None) => s.clone(),
                        (dci_protocol::EqValue::Float(f), None) => f.to_string(),
                    },
                ),
        });
    }
    Some(Report {
        matched,
        answer,
        findings,
    })
}
