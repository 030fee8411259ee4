//! The readings the simulated UPS reports, and the file that overrides them.
//!
//! The names are DCImanager's, spelled exactly as it expects them, including the seed's
//! `battary_time_remains`. The file holds `name = value` lines; `#` starts a comment; a name left
//! out keeps its default:
//!
//! ```text
//! # on battery, line A lost
//! device_status = Warning
//! input_voltage_line_A = 0
//! battary_time_remains = 7.5
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use dci_protocol::{EqParam, EqValue};

/// The environment variable that names the readings file.
pub const FILE_VAR: &str = "DCIH_UPS_SIM_FILE";

/// `device_status` as DCImanager shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    /// All is well.
    Ok,
    /// Something needs attention.
    Warning,
    /// The UPS is failing.
    Critical,
}

impl DeviceStatus {
    const fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Ok => "OK",
            DeviceStatus::Warning => "Warning",
            DeviceStatus::Critical => "Critical",
        }
    }
}

/// The float readings, in the order the seed writes them, with their units.
pub const FLOATS: &[(&str, &str)] = &[
    ("input_voltage_line_A", "V"),
    ("input_voltage_line_B", "V"),
    ("output_load_line_A", "%"),
    ("output_load_line_B", "%"),
    ("output_power_line_A", "kW"),
    ("output_power_line_B", "kW"),
    ("input_power_line_A", "kW"),
    ("input_power_line_B", "kW"),
    ("battary_time_remains", "min"),
];

/// The seed's values, in the order of [`FLOATS`].
const SEED_FLOATS: [f64; 9] = [220.0, 220.0, 60.0, 60.0, 49.23, 40.7, 49.23, 40.7, 24.0];

/// Everything the simulated UPS reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Readings {
    /// `device_status`.
    pub status: DeviceStatus,
    /// The float readings, in the order of [`FLOATS`].
    pub floats: [f64; 9],
}

impl Default for Readings {
    fn default() -> Readings {
        Readings {
            status: DeviceStatus::Ok,
            floats: SEED_FLOATS,
        }
    }
}

/// A readings file that cannot be used, with the place and the reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadingsError {
    /// The file cannot be read.
    #[error("cannot read the UPS readings file {path} ({FILE_VAR}): {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is wrong.
    #[error("UPS readings file {path}, line {line}: {problem}")]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: LineProblem,
    },
}

/// What is wrong with one line of the readings file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LineProblem {
    /// No `=`.
    NoEquals,
    /// A name DCImanager does not know.
    UnknownName(String),
    /// A name given twice.
    Repeated(String),
    /// A `device_status` other than OK, Warning, Critical.
    BadStatus(String),
    /// A float reading that is not a finite number.
    BadNumber(String, String),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::NoEquals => f.write_str("expected 'name = value'"),
            LineProblem::UnknownName(n) => {
                write!(f, "unknown reading '{n}' (known: device_status")?;
                for (name, _) in FLOATS {
                    write!(f, ", {name}")?;
                }
                f.write_str(")")
            }
            LineProblem::Repeated(n) => write!(f, "'{n}' is given twice"),
            LineProblem::BadStatus(v) => {
                write!(
                    f,
                    "device_status must be OK, Warning or Critical, got '{v}'"
                )
            }
            LineProblem::BadNumber(n, v) => write!(f, "{n} must be a number, got '{v}'"),
        }
    }
}

impl Readings {
    /// The defaults overridden by the file at `path`.
    pub fn from_file(path: &Path) -> Result<Readings, ReadingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ReadingsError::Read {
            path: path.to_owned(),
            source,
        })?;
        Readings::parse(&text).map_err(|(line, problem)| ReadingsError::Line {
            path: path.to_owned(),
            line,
            problem,
        })
    }

    /// The defaults overridden by `text`; on failure, the 1-based line and what is wrong.
    pub fn parse(text: &str) -> Result<Readings, (usize, LineProblem)> {
        let mut r = Readings::default();
        let mut seen: Vec<&str> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let at = |p| (i + 1, p);
            let (name, value) = line.split_once('=').ok_or(at(LineProblem::NoEquals))?;
            let (name, value) = (name.trim(), value.trim());
            if seen.contains(&name) {
                return Err(at(LineProblem::Repeated(name.to_owned())));
            }
            if name == "device_status" {
                r.status = match value {
                    "OK" => DeviceStatus::Ok,
                    "Warning" => DeviceStatus::Warning,
                    "Critical" => DeviceStatus::Critical,
                    _ => return Err(at(LineProblem::BadStatus(value.to_owned()))),
                };
            } else {
                let idx = FLOATS
                    .iter()
                    .position(|(n, _)| *n == name)
                    .ok_or_else(|| at(LineProblem::UnknownName(name.to_owned())))?;
                r.floats[idx] = value
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| at(LineProblem::BadNumber(name.to_owned(), value.to_owned())))?;
            }
            seen.push(name);
        }
        Ok(r)
    }

    /// The `eq_param` list DCImanager reads, in the seed's order.
    pub fn to_params(&self) -> Vec<EqParam> {
        let mut out = vec![EqParam {
            name: "device_status".to_owned(),
            value: EqValue::Str(self.status.as_str().to_owned()),
        }];
        out.extend(
            FLOATS
                .iter()
                .zip(self.floats)
                .map(|((name, _), v)| EqParam {
                    name: (*name).to_owned(),
                    value: EqValue::Float(v),
                }),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_err(text: &str, line: usize, expected: &str) {
        let (l, p) = Readings::parse(text).unwrap_err();
        assert_eq!((l, p.to_string().as_str()), (line, expected));
    }

    #[test]
    fn defaults_are_the_seed_values() {
        let p = Readings::default().to_params();
        assert_eq!(p.len(), 10);
        assert_eq!(p[0].value, EqValue::Str("OK".into()));
        assert_eq!(p[5].name, "output_power_line_A");
        assert_eq!(p[5].value, EqValue::Float(49.23));
        assert_eq!(p[9].name, "battary_time_remains");
        assert_eq!(p[9].value, EqValue::Float(24.0));
    }

    #[test]
    fn file_overrides_some_values() {
        let r = Readings::parse(
            "# on battery\n device_status = Warning \ninput_voltage_line_A=0\n\nbattary_time_remains = 7.5 # low\n",
        )
        .unwrap();
        assert_eq!(r.status, DeviceStatus::Warning);
        assert_eq!(r.floats[0], 0.0);
        assert_eq!(r.floats[1], 220.0);
        assert_eq!(r.floats[8], 7.5);
    }

    #[test]
    fn bad_lines_are_named() {
        check_err("x", 1, "expected 'name = value'");
        check_err(
            "\ndevice_status = fine",
            2,
            "device_status must be OK, Warning or Critical, got 'fine'",
        );
        check_err(
            "output_load_line_A = lots",
            1,
            "output_load_line_A must be a number, got 'lots'",
        );
        check_err(
            "output_load_line_A = inf",
            1,
            "output_load_line_A must be a number, got 'inf'",
        );
        check_err(
            "a=1\n",
            1,
            "unknown reading 'a' (known: device_status, input_voltage_line_A, input_voltage_line_B, output_load_line_A, output_load_line_B, output_power_line_A, output_power_line_B, input_power_line_A, input_power_line_B, battary_time_remains)",
        );
        check_err(
            "battary_time_remains=1\nbattary_time_remains=2",
            2,
            "'battary_time_remains' is given twice",
        );
    }
}
