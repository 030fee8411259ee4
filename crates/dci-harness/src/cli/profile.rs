//! `dci-harness profile check FILE... [--recordings DIR]`: device profiles validated, then run
//! over every `.snmprec` recording of their families in DIR (device-profile's checkers). A PDU
//! profile, each on its own: per recording the outlets, names, states and watts it reads and
//! the checks that hold in real data. UPS profiles, together in the order given (as the
//! handler uses them): per recording the readings answered, what is left out and why, and
//! whether a status rule decides device_status.

use std::path::{Path, PathBuf};

use device_profile::check::{self, Matched};
use device_profile::ups::UpsProfile;
use device_profile::{AnyProfile, Profile};

use super::{Exit, note, out};

/// How many outlet names a recording's line shows.
const NAMES_SHOWN: usize = 4;

/// Validates `files`, then runs them over the recordings in `dir`.
pub(crate) fn check(files: &[PathBuf], dir: Option<&PathBuf>) -> Exit {
    let (mut pdus, mut upses) = (Vec::new(), Vec::new());
    for file in files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                note(&format!("dci-harness: cannot read {name}: {e}"));
                return Exit::Usage;
            }
        };
        match AnyProfile::parse(&name, &text) {
            Ok(AnyProfile::Pdu(p)) => {
                out(&format!(
                    "profile {name}: valid ({}, {})",
                    p.profile.id, p.profile.mib
                ));
                pdus.push(*p);
            }
            Ok(AnyProfile::Ups(p)) => {
                out(&format!(
                    "UPS profile {name}: valid ({}, {})",
                    p.profile.id, p.profile.mib
                ));
                upses.push(*p);
            }
            Err(e) => {
                out(&format!("invalid: {e}"));
                return Exit::CheckFailed;
            }
        }
    }
    let Some(dir) = dir else {
        return Exit::Answered;
    };
    let recordings = match recordings(dir) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let mut exit = Exit::Answered;
    for p in &pdus {
        if !matches!(pdu(p, &recordings), Exit::Answered) {
            exit = Exit::CheckFailed;
        }
    }
    if !upses.is_empty() && !matches!(ups(&upses, &recordings), Exit::Answered) {
        exit = Exit::CheckFailed;
    }
    exit
}

/// The `.snmprec` files in `dir`, by name, with their texts.
fn recordings(dir: &Path) -> Result<Vec<(String, String)>, Exit> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "snmprec"))
            .collect(),
        Err(e) => {
            note(&format!("dci-harness: cannot read {}: {e}", dir.display()));
            return Err(Exit::Usage);
        }
    };
    files.sort();
    files
        .iter()
        .map(|path| {
            let short = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            std::fs::read_to_string(path)
                .map(|t| (short, t))
                .map_err(|_| {
                    note(&format!("dci-harness: cannot read {}", path.display()));
                    Exit::Usage
                })
        })
        .collect()
}

/// The UPS profiles, together, over every recording of their families.
fn ups(profiles: &[UpsProfile], recordings: &[(String, String)]) -> Exit {
    let (mut failed, mut others) = (false, Vec::new());
    for (short, text) in recordings {
        let Some(r) = device_profile::ups::check::check(profiles, &check::parse_snmprec(text))
        else {
            others.push(short.as_str());
            continue;
        };
        let by: Vec<String> = r
            .matched
            .iter()
            .map(|(id, m)| match m {
                Matched::Probe => id.clone(),
                Matched::SysObjectId => format!("{id} (sysObjectID only)"),
            })
            .collect();
        out(&format!("{short} (profiles: {}):", by.join(", ")));
        match &r.answer {
            None => out("  no probe answers: the handler does not drive it"),
            Some(a) => {
                let params: Vec<String> = a
                    .params
                    .iter()
                    .map(|p| match &p.value {
                        dci_protocol::EqValue::Str(s) => format!("{} {s}", p.name),
                        dci_protocol::EqValue::Float(f) => format!("{} {f}", p.name),
                    })
                    .collect();
                out(&format!("  answers: {}", params.join(", ")));
                for n in &a.notes {
                    out(&format!("  {n}"));
                }
            }
        }
        findings(&r.findings);
        failed |= !r.holds();
    }
    verdict(failed, &others, "not of the families")
}

/// Each check, marked ok or FAIL.
fn findings(fs: &[check::Finding]) {
    for f in fs {
        let mark = if f.holds { "ok  " } else { "FAIL" };
        out(&format!("  {mark} {}: {}", f.check, f.detail));
    }
}

/// The recordings of no profile's family, and the exit: a check failed, or every one held.
fn verdict(failed: bool, others: &[&str], words: &str) -> Exit {
    if !others.is_empty() {
        out(&format!("{words}: {}", others.join(", ")));
    }
    if failed {
        Exit::CheckFailed
    } else {
        Exit::Answered
    }
}

/// A PDU profile over every recording of its family.
fn pdu(profile: &Profile, recordings: &[(String, String)]) -> Exit {
    let (mut failed, mut others) = (false, Vec::new());
    for (short, text) in recordings {
        let Some(r) = check::check(profile, &check::parse_snmprec(text)) else {
            others.push(short.as_str());
            continue;
        };
        let by = match r.matched {
            Matched::Probe => "its tables",
            Matched::SysObjectId => "sysObjectID only",
        };
        out(&format!("{short} (matched by {by}):"));
        if r.outlets.is_empty() {
            out("  no outlets: none of the profile's state (or name) columns has rows");
        } else {
            let names: Vec<String> = r
                .outlets
                .iter()
                .take(NAMES_SHOWN)
                .map(|o| match &o.description {
                    Some(d) => format!("{} \"{d}\"", o.identity),
                    None => format!("{} (no name)", o.identity),
                })
                .collect();
            let more = r.outlets.len().saturating_sub(NAMES_SHOWN);
            out(&format!(
                "  outlets: {}; names: {}{}",
                r.outlets.len(),
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
            out(&format!("  states: {}", check::count_states(&r.outlets)));
        }
        match &r.power {
            Some(p) => {
                let given: Vec<f64> = p.iter().filter_map(|o| o.power).collect();
                out(&format!(
                    "  watts: {} of {} outlets, sum {:.1} W",
                    given.len(),
                    p.len(),
                    given.iter().sum::<f64>()
                ));
            }
            None => out("  watts: no per-outlet power reading in the recording"),
        }
        if let Some(u) = r.unit_watts {
            out(&format!("  unit: {u:.1} W"));
        }
        findings(&r.findings);
        failed |= !r.holds();
    }
    verdict(failed, &others, "not of the family")
}
