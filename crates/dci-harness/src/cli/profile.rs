//! `dci-harness profile check FILE [--recordings DIR]`: a PDU device profile validated, then run
//! over every `.snmprec` recording of its family in DIR (pdu-profile's checker), printing per
//! recording the outlets, names, states and watts it reads and the checks that hold in real
//! data.

use std::path::{Path, PathBuf};

use pdu_profile::Profile;
use pdu_profile::check::{self, Matched};

use super::{Exit, note, out};

/// How many outlet names a recording's line shows.
const NAMES_SHOWN: usize = 4;

/// Validates `file`, then runs it over the recordings in `dir`.
pub(crate) fn check(file: &Path, dir: Option<&PathBuf>) -> Exit {
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            note(&format!("dci-harness: cannot read {name}: {e}"));
            return Exit::Usage;
        }
    };
    let profile = match Profile::parse(&name, &text) {
        Ok(p) => p,
        Err(e) => {
            out(&format!("invalid: {e}"));
            return Exit::CheckFailed;
        }
    };
    out(&format!(
        "profile {name}: valid ({}, {})",
        profile.profile.id, profile.profile.mib
    ));
    let Some(dir) = dir else {
        return Exit::Answered;
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "snmprec"))
            .collect(),
        Err(e) => {
            note(&format!("dci-harness: cannot read {}: {e}", dir.display()));
            return Exit::Usage;
        }
    };
    files.sort();
    let (mut failed, mut others) = (false, Vec::new());
    for path in &files {
        let short = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let Ok(text) = std::fs::read_to_string(path) else {
            note(&format!("dci-harness: cannot read {}", path.display()));
            failed = true;
            continue;
        };
        let Some(r) = check::check(&profile, &check::parse_snmprec(&text)) else {
            others.push(short);
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
        for f in &r.findings {
            let mark = if f.holds { "ok  " } else { "FAIL" };
            out(&format!("  {mark} {}: {}", f.check, f.detail));
        }
        failed |= !r.holds();
    }
    if !others.is_empty() {
        out(&format!("not of the family: {}", others.join(", ")));
    }
    if failed {
        Exit::CheckFailed
    } else {
        Exit::Answered
    }
}
