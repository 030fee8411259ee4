//! The UPS profile format: where a UPS MIB keeps each of DCImanager's readings, in what unit,
//! which values mean "not available", and the rules that make `device_status`. Read into typed
//! structs (unknown fields refused), then checked for what types cannot say; every error names
//! the profile, the line and the field.
//!
//! ```toml
//! [profile]
//! id = "ups-mib"
//! name = "UPS (SNMP, dcihandlers)"
//! mib = "UPS-MIB (RFC 1628)"
//!
//! [detect]
//! probe = ["1.3.6.1.2.1.33.1.4.1.0"]          # upsOutputSource: one answers, the MIB is there
//!
//! [lines.input]
//! count = "1.3.6.1.2.1.33.1.3.2.0"            # upsInputNumLines
//! if_count_missing = "rows"                    # the rows that answer are the lines
//!
//! [[readings.input_voltage]]
//! oid = "1.3.6.1.2.1.33.1.3.3.1.3"            # upsInputVoltage
//! index = "L"                                  # line L's row
//! lines = "input"
//! unit = "V"
//! range = [0, 500]
//!
//! [[readings.runtime]]
//! oid = "1.3.6.1.2.1.33.1.2.3.0"              # upsEstimatedMinutesRemaining
//! unit = "min"
//! invalid = ["negative", { value = 0, when = { oid = "1.3.6.1.2.1.33.1.2.4.0", in = [100] } }]
//!
//! [status]
//! otherwise = "Warning"
//! [[status.rules]]
//! level = "Critical"
//! why = "output off"
//! all = [{ oid = "1.3.6.1.2.1.33.1.4.1.0", in = [2] }]
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::format::{Detect, Meta, Misplaced, ProfileError, check_oid, key_offset, numeric_oid};

/// A UPS MIB (or a device family's use of one): what it answers and how to read it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UpsProfile {
    /// Who the profile is.
    pub profile: Meta,
    /// How the MIB is recognised: any probe object (a full instance, read by GET) answering.
    pub detect: Detect,
    /// The line sets its per-line tables are indexed by, by name.
    #[serde(default)]
    pub lines: BTreeMap<String, LineSet>,
    /// Where each reading comes from.
    pub readings: Readings,
    /// How `device_status` is decided.
    pub status: Status,
}

/// The lines (phases) of one side of the UPS, as one table counts them.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LineSet {
    /// The object that says how many lines there are (upsInputNumLines.0); without one, the
    /// rows that answer are the lines.
    pub count: Option<Spanned<String>>,
    /// What the lines are when the agent does not answer `count` (Generex CS141 sends the
    /// table and no count): `"rows"`, the rows that answer. Absent, the set's readings are left
    /// out on such an agent.
    pub if_count_missing: Option<CountMissing>,
}

/// The one rule for a missing line count.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum CountMissing {
    /// The rows that answer are the lines.
    #[serde(rename = "rows")]
    Rows,
}

/// The readings, each a list of sources tried in order: for each line, the first source with
/// a value that is available gives it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Readings {
    /// `input_voltage_line_A/B`, V.
    #[serde(default)]
    pub input_voltage: Vec<Spanned<Source>>,
    /// `output_load_line_A/B`, %.
    #[serde(default)]
    pub output_load: Vec<Spanned<Source>>,
    /// `output_power_line_A/B`, kW.
    #[serde(default)]
    pub output_power: Vec<Spanned<Source>>,
    /// `input_power_line_A/B`, kW.
    #[serde(default)]
    pub input_power: Vec<Spanned<Source>>,
    /// `battary_time_remains`, minutes (one value, line A).
    #[serde(default)]
    pub runtime: Vec<Spanned<Source>>,
}

/// A reading DCImanager shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Input voltage.
    InputVoltage,
    /// Output load.
    OutputLoad,
    /// Output active power.
    OutputPower,
    /// Input active power.
    InputPower,
    /// Battery runtime left.
    Runtime,
}

impl Reading {
    /// Every reading, in the order DCImanager's guide writes them.
    pub const ALL: [Reading; 5] = [
        Reading::InputVoltage,
        Reading::OutputLoad,
        Reading::OutputPower,
        Reading::InputPower,
        Reading::Runtime,
    ];

    /// The key in `[readings]`.
    pub fn key(self) -> &'static str {
        match self {
            Reading::InputVoltage => "input_voltage",
            Reading::OutputLoad => "output_load",
            Reading::OutputPower => "output_power",
            Reading::InputPower => "input_power",
            Reading::Runtime => "runtime",
        }
    }

    /// DCImanager's parameter for `line` (the runtime has one, spelled as DCImanager reads it).
    pub fn param(self, line: Line) -> Option<String> {
        match (self, line) {
            (Reading::Runtime, Line::A) => Some("battary_time_remains".into()),
            (Reading::Runtime, Line::B) => None,
            (r, l) => Some(format!("{}_line_{}", r.key(), l.letter())),
        }
    }

    /// What it measures.
    pub fn quantity(self) -> Quantity {
        match self {
            Reading::InputVoltage => Quantity::Voltage,
            Reading::OutputLoad => Quantity::Load,
            Reading::OutputPower | Reading::InputPower => Quantity::Power,
            Reading::Runtime => Quantity::Time,
        }
    }
}

impl Readings {
    /// The sources of `r`.
    pub fn of(&self, r: Reading) -> &[Spanned<Source>] {
        match r {
            Reading::InputVoltage => &self.input_voltage,
            Reading::OutputLoad => &self.output_load,
            Reading::OutputPower => &self.output_power,
            Reading::InputPower => &self.input_power,
            Reading::Runtime => &self.runtime,
        }
    }
}

/// DCImanager's two lines.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum Line {
    /// Line A: line (phase) 1.
    A,
    /// Line B: line (phase) 2.
    B,
}

impl Line {
    /// Both.
    pub const BOTH: [Line; 2] = [Line::A, Line::B];

    /// `A` or `B`.
    pub fn letter(self) -> char {
        match self {
            Line::A => 'A',
            Line::B => 'B',
        }
    }

    /// The UPS's line number: 1 or 2.
    pub fn number(self) -> u32 {
        match self {
            Line::A => 1,
            Line::B => 2,
        }
    }
}

/// One place a reading is read from.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A scalar instance (`….0`), or a column when `index` is given.
    pub oid: String,
    /// The row of the column: `"L"` (the line number), `"1.L"` (APC's table.phase), or a
    /// fixed row (`"1"`: Huawei's per-phase columns).
    pub index: Option<String>,
    /// The line set that counts the lines of an index with `L`.
    pub lines: Option<String>,
    /// The line a source without `L` gives; A when absent (a UPS-wide value such as XUPS's
    /// one output load is line A's).
    pub line: Option<Line>,
    /// The unit of the raw value.
    pub unit: Unit,
    /// The values that can be true, in the reading's unit (V, %, kW, minutes): a value outside
    /// is not used (a UPS-MIB voltage sent in tenths reads 2369 V).
    pub range: Option<[f64; 2]>,
    /// Raw values that mean "not available".
    #[serde(default)]
    pub invalid: Vec<Invalid>,
}

impl Source {
    /// Whether the index has the line number in it.
    pub fn per_line(&self) -> bool {
        self.index
            .as_deref()
            .is_some_and(|i| i.split('.').any(|a| a == "L"))
    }

    /// The lines the source can give.
    pub fn gives(&self, line: Line) -> bool {
        self.per_line() || self.line.unwrap_or(Line::A) == line
    }

    /// The instance OID for `line` (the index's `L` replaced by its number).
    pub fn instance(&self, line: Line) -> Vec<u32> {
        let mut oid = arcs(&self.oid);
        if let Some(index) = &self.index {
            oid.extend(index.split('.').map(|a| {
                if a == "L" {
                    line.number()
                } else {
                    a.parse().unwrap_or(0)
                }
            }));
        }
        oid
    }

    /// Whether `raw` means "not available" here; `values` answers a condition's objects.
    pub fn invalid(&self, raw: i64, value_of: impl Fn(&[u32]) -> Option<i64>) -> Option<String> {
        self.invalid.iter().find_map(|i| match i {
            Invalid::Word(InvalidWord::Negative) if raw < 0 => Some("negative".to_owned()),
            Invalid::Value(v) if *v == raw => Some(format!("{raw} is the MIB's 'not available'")),
            Invalid::When { value, when } if *value == raw && when.holds(&value_of) => {
                Some(format!("{raw} while {} {}", when.oid, when.words()))
            }
            _ => None,
        })
    }
}

/// A raw value that means "not available".
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Invalid {
    /// A sentinel (XUPS's 65535 s).
    Value(i64),
    /// `"negative"`.
    Word(InvalidWord),
    /// A value that cannot be true while a condition holds (runtime 0 with a full battery;
    /// input power 0 while the UPS runs from the mains).
    When {
        /// The raw value.
        value: i64,
        /// The condition.
        when: Condition,
    },
}

/// The words an `invalid` list takes.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InvalidWord {
    /// Any value below zero.
    Negative,
}

/// A fact about one object: it is one of some values, or above one. An object the agent does
/// not answer makes every condition on it false.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// A full instance OID.
    pub oid: String,
    /// The values for which it holds.
    #[serde(rename = "in", default)]
    pub values: Vec<i64>,
    /// It holds above this.
    pub gt: Option<i64>,
}

impl Condition {
    /// Whether it holds, with `value_of` reading the object.
    pub fn holds(&self, value_of: &impl Fn(&[u32]) -> Option<i64>) -> bool {
        value_of(&arcs(&self.oid))
            .is_some_and(|v| self.values.contains(&v) || self.gt.is_some_and(|g| v > g))
    }

    /// "in [2, 3]", "> 0".
    pub fn words(&self) -> String {
        match self.gt {
            Some(g) => format!("> {g}"),
            None => format!("in {:?}", self.values),
        }
    }
}

/// Units of raw UPS readings.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum Unit {
    /// Volts.
    #[serde(rename = "V")]
    Volt,
    /// Tenths of a volt (APC upsHighPrecInputLineVoltage, Huawei).
    #[serde(rename = "V/10")]
    DeciVolt,
    /// Percent.
    #[serde(rename = "%")]
    Percent,
    /// Tenths of a percent.
    #[serde(rename = "%/10")]
    DeciPercent,
    /// Watts.
    #[serde(rename = "W")]
    Watt,
    /// Kilowatts.
    #[serde(rename = "kW")]
    Kilowatt,
    /// Tenths of a kilowatt (Huawei).
    #[serde(rename = "kW/10")]
    DeciKilowatt,
    /// Minutes.
    #[serde(rename = "min")]
    Minute,
    /// Seconds.
    #[serde(rename = "s")]
    Second,
    /// TimeTicks, hundredths of a second (APC upsAdvBatteryRunTimeRemaining).
    #[serde(rename = "ticks")]
    Ticks,
}

/// What a reading measures, and the unit DCImanager shows it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// V.
    Voltage,
    /// %.
    Load,
    /// kW.
    Power,
    /// Minutes.
    Time,
}

impl Unit {
    /// The quantity, and the divisor from the raw value to DCImanager's unit.
    pub fn base(self) -> (Quantity, f64) {
        match self {
            Unit::Volt => (Quantity::Voltage, 1.0),
            Unit::DeciVolt => (Quantity::Voltage, 10.0),
            Unit::Percent => (Quantity::Load, 1.0),
            Unit::DeciPercent => (Quantity::Load, 10.0),
            Unit::Watt => (Quantity::Power, 1000.0),
            Unit::Kilowatt => (Quantity::Power, 1.0),
            Unit::DeciKilowatt => (Quantity::Power, 10.0),
            Unit::Minute => (Quantity::Time, 1.0),
            Unit::Second => (Quantity::Time, 60.0),
            Unit::Ticks => (Quantity::Time, 6000.0),
        }
    }

    /// `raw` in DCImanager's unit, to a thousandth (so that tenths stay tenths: 2476 V/10 is
    /// 247.6, never 247.60000000000002).
    pub fn convert(self, raw: i64) -> f64 {
        let v = raw as f64 / self.base().1;
        (v * 1000.0).round() / 1000.0
    }
}

/// How `device_status` is decided: the first rule that holds gives the level; when none does
/// but the agent answered an object the rules read, `otherwise` (and the values are logged).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Status {
    /// The rules, in order.
    pub rules: Vec<Spanned<Rule>>,
    /// The level when no rule holds.
    pub otherwise: Level,
}

/// One status rule.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The level it gives.
    pub level: Level,
    /// Why, in words, for the log ("on battery, battery low").
    pub why: String,
    /// Conditions that must all hold.
    #[serde(default)]
    pub all: Vec<Condition>,
    /// Conditions of which one must hold.
    #[serde(default)]
    pub any: Vec<Condition>,
}

impl Rule {
    /// Whether it holds.
    pub fn holds(&self, value_of: &impl Fn(&[u32]) -> Option<i64>) -> bool {
        self.all.iter().all(|c| c.holds(value_of))
            && (self.any.is_empty() || self.any.iter().any(|c| c.holds(value_of)))
    }
}

/// `device_status` as DCImanager shows it, least severe first.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// All is well.
    #[serde(rename = "OK")]
    Ok,
    /// Something needs attention.
    Warning,
    /// The load is at risk.
    Critical,
}

impl Level {
    /// The word DCImanager reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "OK",
            Level::Warning => "Warning",
            Level::Critical => "Critical",
        }
    }
}

/// The arcs of a checked numeric OID.
pub fn arcs(oid: &str) -> Vec<u32> {
    oid.split('.').filter_map(|a| a.parse().ok()).collect()
}

impl UpsProfile {
    /// Reads and checks the UPS profile in `text`, named `source` in errors.
    pub fn parse(source: &str, text: &str) -> Result<UpsProfile, ProfileError> {
        crate::format::parse_checked(source, text, UpsProfile::check)
    }

    /// Every object the profile reads: probes, line counts, each source at lines 1 and 2,
    /// the conditions' objects. In order, without repeats.
    pub fn objects(&self) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = Vec::new();
        let mut add = |o: Vec<u32>| {
            if !out.contains(&o) {
                out.push(o);
            }
        };
        for p in &self.detect.probe {
            add(arcs(p.get_ref()));
        }
        for set in self.lines.values() {
            if let Some(c) = &set.count {
                add(arcs(c.get_ref()));
            }
        }
        for r in Reading::ALL {
            for s in self.readings.of(r) {
                let s = s.get_ref();
                for line in Line::BOTH.into_iter().filter(|l| s.gives(*l)) {
                    add(s.instance(line));
                }
                for i in &s.invalid {
                    if let Invalid::When { when, .. } = i {
                        add(arcs(&when.oid));
                    }
                }
            }
        }
        for rule in &self.status.rules {
            let rule = rule.get_ref();
            for c in rule.all.iter().chain(&rule.any) {
                add(arcs(&c.oid));
            }
        }
        out
    }

    fn check(&self, text: &str) -> Result<(), Misplaced> {
        self.detect.check("object")?;
        for (name, set) in &self.lines {
            if let Some(c) = &set.count {
                check_oid(c, format!("lines.{name}.count"))?;
            }
        }
        for r in Reading::ALL {
            for (k, source) in self.readings.of(r).iter().enumerate() {
                let at = source.span().start;
                let s = source.get_ref();
                let field = |f: &str| format!("readings.{}[{k}].{f}", r.key());
                let err =
                    |f: &str, problem: String| Err((key_offset(text, at, f), field(f), problem));
                if !numeric_oid(&s.oid) {
                    return err("oid", format!("'{}' is not a numeric OID", s.oid));
                }
                if s.unit.base().0 != r.quantity() {
                    return err("unit", format!("{:?} does not measure {}", s.unit, r.key()));
                }
                match (&s.index, s.per_line()) {
                    (None, _) if !s.oid.ends_with(".0") => {
                        return err(
                            "oid",
                            format!(
                                "'{}' is not a scalar instance (….0): give the column and its index",
                                s.oid
                            ),
                        );
                    }
                    (Some(i), _) if !i.split('.').all(|a| a == "L" || a.parse::<u32>().is_ok()) => {
                        return err(
                            "index",
                            format!("'{i}' is not index arcs (numbers, and L for the line)"),
                        );
                    }
                    (Some(_), true) => {
                        if r == Reading::Runtime {
                            return err("index", "the runtime is one value, not per line".into());
                        }
                        if s.line.is_some() {
                            return err(
                                "line",
                                "a source indexed by the line gives both lines".into(),
                            );
                        }
                        match &s.lines {
                            Some(set) if self.lines.contains_key(set) => {}
                            Some(set) => {
                                return err("lines", format!("no [lines.{set}] in the profile"));
                            }
                            None => {
                                return err(
                                    "lines",
                                    "an index with L needs the line set that counts the lines"
                                        .into(),
                                );
                            }
                        }
                    }
                    _ if s.lines.is_some() => {
                        return err("lines", "only an index with L has lines".into());
                    }
                    _ if r == Reading::Runtime && s.line == Some(Line::B) => {
                        return err("line", "the runtime is line A's".into());
                    }
                    _ => {}
                }
                if let Some([lo, hi]) = s.range
                    && lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less)
                {
                    return err("range", format!("[{lo}, {hi}] is empty"));
                }
                for i in &s.invalid {
                    if let Invalid::When { when, .. } = i {
                        check_condition(when, key_offset(text, at, "invalid"), field("invalid"))?;
                    }
                }
            }
        }
        if self.status.rules.is_empty() {
            return Err((0, "status.rules".into(), "at least one status rule".into()));
        }
        for (k, rule) in self.status.rules.iter().enumerate() {
            let at = rule.span().start;
            let rule = rule.get_ref();
            if rule.all.is_empty() && rule.any.is_empty() {
                return Err((
                    at,
                    format!("status.rules[{k}]"),
                    "a rule needs conditions (all, any)".into(),
                ));
            }
            for c in rule.all.iter().chain(&rule.any) {
                check_condition(c, at, format!("status.rules[{k}]"))?;
            }
        }
        Ok(())
    }
}

fn check_condition(c: &Condition, at: usize, field: String) -> Result<(), Misplaced> {
    if !numeric_oid(&c.oid) {
        return Err((at, field, format!("'{}' is not a numeric OID", c.oid)));
    }
    if c.values.is_empty() == c.gt.is_none() {
        return Err((
            at,
            field,
            format!("the condition on {} needs exactly one of in and gt", c.oid),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
