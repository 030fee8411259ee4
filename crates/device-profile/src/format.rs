//! The profile format: a PDU family described in TOML, read into typed structs (unknown fields
//! refused), then checked for what types cannot say. Every error names the profile, the line
//! and the field.
//!
//! ```toml
//! [profile]
//! id = "rpcm"
//! name = "RPCM PDU (SNMP, dcihandlers)"
//! mib = "RPCM (enterprise 46235)"
//!
//! [detect]
//! sys_object_id = ["1.3.6.1.4.1.46235"]
//! probe = ["1.3.6.1.4.1.46235.2.4.2.1.4"]
//!
//! [outlets]
//! index = "N"
//!
//! [[outlets.state]]
//! oid = "1.3.6.1.4.1.46235.2.4.2.1.4"
//! on = [1]
//! off = [0]
//!
//! [outlets.control]
//! on = { oid = "1.3.6.1.4.1.46235.2.4.2.1.4", type = "integer", value = 1 }
//! off = { oid = "1.3.6.1.4.1.46235.2.4.2.1.4", type = "integer", value = 0 }
//! reset = "off-then-on"
//!
//! [outlets.confirm]
//! within_s = 10
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
pub use toml::Spanned;

/// A PDU family.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Who the profile is.
    pub profile: Meta,
    /// How a device of the family is recognised.
    pub detect: Detect,
    /// Its outlets: how they are indexed and named, what state they are in, how they switch.
    pub outlets: Outlets,
    /// Per-outlet readings, where the family meters its outlets.
    #[serde(default)]
    pub metrics: Metrics,
}

/// The profile's identity and provenance.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// A short name (`rpcm`, `apc-rpdu2`).
    pub id: String,
    /// The handler's name in `-info`.
    pub name: String,
    /// The MIB the OIDs come from, with its revision where known.
    pub mib: String,
    /// The family's tables in words, for "has none of the … tables" ("APC outlet"); the name
    /// when absent.
    pub family: Option<String>,
}

impl Meta {
    /// The family's tables in words.
    pub fn family(&self) -> &str {
        self.family.as_deref().unwrap_or(&self.name)
    }
}

/// Detection: sysObjectID prefixes are a hint; the probe columns decide (one APC sysObjectID
/// covers metered and switched-only models whose tables differ).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    /// sysObjectID prefixes of the family.
    #[serde(default)]
    pub sys_object_id: Vec<Spanned<String>>,
    /// Columns that must have a row for a device to be of the family.
    pub probe: Vec<Spanned<String>>,
}

/// How an outlet's index is built, after the column's OID.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum IndexShape {
    /// One arc, the outlet number: the identity is `N`.
    #[serde(rename = "N")]
    Number,
    /// Two arcs, unit then outlet (Eaton's daisy chain, Raritan's pduId): the identity is
    /// `U.N` (or `N`, see [`Outlets::single_unit`]).
    #[serde(rename = "unit.N")]
    UnitNumber,
    /// Three arcs, tower, infeed and outlet (ServerTech Sentry): the identity is `T.I.N`.
    #[serde(rename = "tower.infeed.N")]
    TowerInfeedNumber,
}

impl IndexShape {
    /// How many arcs an outlet's index has.
    pub fn arcs(self) -> usize {
        match self {
            IndexShape::Number => 1,
            IndexShape::UnitNumber => 2,
            IndexShape::TowerInfeedNumber => 3,
        }
    }

    /// The shape in words, for errors.
    pub fn words(self) -> &'static str {
        match self {
            IndexShape::Number => "a number from 1",
            IndexShape::UnitNumber => "unit.number",
            IndexShape::TowerInfeedNumber => "tower.infeed.number",
        }
    }
}

/// The outlets of the family.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Outlets {
    /// The index shape.
    pub index: IndexShape,
    /// What the family calls an outlet, in errors and logs ("outlet", "output", "bay").
    #[serde(default = "Outlets::default_noun")]
    pub noun: String,
    /// The index arcs before the outlet number of a device that is one unit (Eaton's daisy
    /// chain master `"0"`, Raritan's pduId `"1"`): where the device reports no other unit, its
    /// outlets are `N`, not `U.N`; `U.N` names them too.
    pub single_unit: Option<Spanned<String>>,
    /// Name columns, the first non-empty one wins (Raritan PX3: outletName empty, outletLabel
    /// set).
    #[serde(default)]
    pub names: Vec<Spanned<String>>,
    /// A column that says whether an outlet can be switched at all.
    pub switchable: Option<Switchable>,
    /// Where the state is read, in order: the first source with a value for the outlet wins
    /// (PDU2's switching state, else its on/off sensor). None for a metered-only model.
    #[serde(default)]
    pub state: Vec<Spanned<StateSource>>,
    /// A column that says a command is still on its way (APC rPDU2's command pending).
    pub pending: Option<Pending>,
    /// How outlets are switched; absent for a metered-only family.
    pub control: Option<Spanned<Control>>,
    /// How changes are confirmed.
    pub confirm: Confirm,
}

impl Outlets {
    fn default_noun() -> String {
        "outlet".into()
    }
}

/// A column that says whether an outlet can be switched: the INTEGERs that mean it can
/// (`yes`), or those that mean it cannot (`no`), or a bit of a BITS value (`bit`, 0 the first,
/// as the MIB numbers them): exactly one of the three.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Switchable {
    /// The column.
    pub oid: Spanned<String>,
    /// The values that mean it can (Eaton switchable(1), Raritan true(1)).
    #[serde(default)]
    pub yes: Vec<i64>,
    /// The values that mean it cannot (Sentry4 fixedOn, lockedOff, lockedOn).
    #[serde(default)]
    pub no: Vec<i64>,
    /// The BITS position that says it can (Sentry3 outletCapabilities powerControl(2)).
    pub bit: Option<u32>,
}

#[cfg(feature = "engine")]
impl Switchable {
    /// Whether `v`, the column's value, says the outlet can be switched; `None` when `v` is
    /// not of the column's type.
    pub fn allows(&self, v: &snmp_core::Value) -> Option<bool> {
        match self.bit {
            Some(bit) => {
                let bytes = v.as_bytes()?;
                let byte = bytes.get(bit as usize / 8).copied().unwrap_or(0);
                Some(byte & (0x80 >> (bit % 8)) != 0)
            }
            None => {
                let i = v.as_integer()?;
                Some(if self.yes.is_empty() {
                    !self.no.contains(&i)
                } else {
                    self.yes.contains(&i)
                })
            }
        }
    }
}

/// One source of an outlet's state: a column and the map of its INTEGERs. A value in none of
/// the sets is unknown, never guessed.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StateSource {
    /// The column.
    pub oid: String,
    /// Arcs after the outlet index (a sensor-type table: PDU2's onOff sensor is `….N.14`).
    #[serde(default)]
    pub suffix: Option<String>,
    /// Values that mean powered.
    pub on: Vec<i64>,
    /// Values that mean not powered.
    pub off: Vec<i64>,
    /// Values that mean on its way (pending, cycling): "not yet", never an answer.
    #[serde(default)]
    pub transitional: Vec<i64>,
    /// Values that mean the outlet failed (Sentry3 onError/offError): unknown, and said so.
    #[serde(default)]
    pub fault: Vec<i64>,
}

/// A command-pending column: while it reads one of `values`, the outlet is transitional.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// The column.
    pub oid: Spanned<String>,
    /// The values that mean "a command is pending" (APC commandPending(1); Sentry4 pendOn,
    /// pendOff, reboot, shutdown).
    pub values: Vec<i64>,
}

/// How the family switches an outlet.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// The SET that switches it on.
    pub on: Action,
    /// The SET that switches it off.
    pub off: Action,
    /// Reset: the device's own command, or `"off-then-on"` (off, confirmed, then on,
    /// confirmed).
    pub reset: Reset,
}

/// A reset: the device's command, or off then on.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Reset {
    /// The device's own reboot command, confirmed back on.
    Native(Action),
    /// `"off-then-on"`.
    Sequence(ResetSequence),
}

/// The one spelling of a reset done as two switches.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum ResetSequence {
    /// Off, confirmed, then on, confirmed.
    #[serde(rename = "off-then-on")]
    OffThenOn,
}

/// One SET: the column (the outlet index is appended), the type and the value.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The column (a plain string: `reset` is read as either an action or a word, and spans do
    /// not survive that; errors point at the control table).
    pub oid: String,
    /// The SNMP type written.
    #[serde(rename = "type")]
    pub kind: SetType,
    /// The value written.
    pub value: i64,
}

/// SNMP types a command is written as.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SetType {
    /// INTEGER.
    Integer,
    /// Unsigned32 / Gauge32.
    Unsigned,
}

/// How a change is confirmed: read back every `poll_ms` up to `within_s` (never beyond the
/// runtime's confirmation limit).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    /// How often to read back, in ms. Default 1000.
    #[serde(default = "Confirm::default_poll_ms")]
    pub poll_ms: u64,
    /// How long the device may take, in seconds.
    pub within_s: u64,
}

impl Confirm {
    fn default_poll_ms() -> u64 {
        1000
    }
}

/// Per-outlet readings.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Active power (reported as `power`, in W).
    pub power: Option<Spanned<Metric>>,
    /// Energy.
    pub energy: Option<Spanned<Metric>>,
    /// Current.
    pub current: Option<Spanned<Metric>>,
    /// The whole unit's active power (its inputs summed), for the profile checker: the outlets'
    /// watts should add up to it.
    pub unit_power: Option<Spanned<Metric>>,
}

/// One reading: a column, its unit, how it scales, which values mean "not available".
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// The column.
    pub oid: String,
    /// Arcs after the outlet index (PDU2's activePower sensor is `….N.5`).
    #[serde(default)]
    pub suffix: Option<String>,
    /// The unit of the raw value.
    pub unit: Unit,
    /// A column giving the number of decimal digits of the value (PDU2's
    /// outletSensorDecimalDigits): the value is divided by 10 to that power.
    pub scale_from: Option<ScaleFrom>,
    /// Values that mean "not available": `"negative"` or a number (APC and Sentry send -1).
    #[serde(default)]
    pub invalid: Vec<Invalid>,
}

/// The column that gives a metric's decimal digits.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ScaleFrom {
    /// The column.
    pub oid: String,
    /// Arcs after the outlet index.
    #[serde(default)]
    pub suffix: Option<String>,
}

/// A value that means "not available".
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Invalid {
    /// A sentinel.
    Value(i64),
    /// `"negative"`: any value below zero.
    Word(InvalidWord),
}

/// The words an `invalid` list takes.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InvalidWord {
    /// Any value below zero.
    Negative,
}

/// Units of raw readings, each tied to one quantity.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum Unit {
    /// Watts.
    #[serde(rename = "W")]
    Watt,
    /// Tenths of a watt.
    #[serde(rename = "W/10")]
    DeciWatt,
    /// Kilowatts.
    #[serde(rename = "kW")]
    Kilowatt,
    /// Hundredths of a kilowatt (APC rPDU2DeviceStatusPower).
    #[serde(rename = "kW/100")]
    CentiKilowatt,
    /// Watt-hours.
    #[serde(rename = "Wh")]
    WattHour,
    /// Kilowatt-hours.
    #[serde(rename = "kWh")]
    KilowattHour,
    /// Tenths of a kilowatt-hour (Sentry4 cord energy).
    #[serde(rename = "kWh/10")]
    DeciKilowattHour,
    /// Milliamperes.
    #[serde(rename = "mA")]
    Milliampere,
    /// Amperes.
    #[serde(rename = "A")]
    Ampere,
    /// Tenths of an ampere.
    #[serde(rename = "A/10")]
    DeciAmpere,
    /// Hundredths of an ampere.
    #[serde(rename = "A/100")]
    CentiAmpere,
}

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Power (to W).
    Power,
    /// Energy (to kWh).
    Energy,
    /// Current (to A).
    Current,
}

impl Unit {
    /// The quantity, and the factor to the base unit (W, kWh, A).
    pub fn base(self) -> (Quantity, f64) {
        match self {
            Unit::Watt => (Quantity::Power, 1.0),
            Unit::DeciWatt => (Quantity::Power, 0.1),
            Unit::Kilowatt => (Quantity::Power, 1000.0),
            Unit::CentiKilowatt => (Quantity::Power, 10.0),
            Unit::WattHour => (Quantity::Energy, 0.001),
            Unit::KilowattHour => (Quantity::Energy, 1.0),
            Unit::DeciKilowattHour => (Quantity::Energy, 0.1),
            Unit::Milliampere => (Quantity::Current, 0.001),
            Unit::Ampere => (Quantity::Current, 1.0),
            Unit::DeciAmpere => (Quantity::Current, 0.1),
            Unit::CentiAmpere => (Quantity::Current, 0.01),
        }
    }
}

impl Metric {
    /// The reading in the base unit of its quantity (W, kWh, A), or `None` where the device
    /// says "not available". `digits` is the decimal-digits column's value, where there is one.
    pub fn value(&self, raw: i64, digits: Option<i64>) -> Option<f64> {
        let unavailable = self.invalid.iter().any(|i| match i {
            Invalid::Value(v) => *v == raw,
            Invalid::Word(InvalidWord::Negative) => raw < 0,
        });
        if unavailable {
            return None;
        }
        let scale = digits.map_or(1.0, |d| 10f64.powi(-(d.clamp(0, 9) as i32)));
        Some(raw as f64 * scale * self.unit.base().1)
    }
}

/// What is wrong with a profile: which profile, where, which field, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("profile {profile}, line {line}, {field}: {problem}")]
pub struct ProfileError {
    /// The profile's file (or id).
    pub profile: String,
    /// The line, from 1.
    pub line: usize,
    /// The field, as a TOML path (`outlets.state[0].off`).
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl Profile {
    /// Reads and checks the profile in `text`, named `source` in errors (its file name).
    pub fn parse(source: &str, text: &str) -> Result<Profile, ProfileError> {
        parse_checked(source, text, Profile::check)
    }

    /// What types cannot say. Each failure: (byte offset, field, problem).
    fn check(&self, text: &str) -> Result<(), Misplaced> {
        self.detect.check("column")?;
        for (k, s) in self.outlets.names.iter().enumerate() {
            check_oid(s, format!("outlets.names[{k}]"))?;
        }
        if let Some(sw) = &self.outlets.switchable {
            check_oid(&sw.oid, "outlets.switchable.oid")?;
            let given = usize::from(!sw.yes.is_empty())
                + usize::from(!sw.no.is_empty())
                + usize::from(sw.bit.is_some());
            if given != 1 {
                return Err((
                    sw.oid.span().start,
                    "outlets.switchable".into(),
                    "say what the column means with exactly one of yes, no and bit".into(),
                ));
            }
        }
        if let Some(p) = &self.outlets.pending {
            check_oid(&p.oid, "outlets.pending.oid")?;
            if p.values.is_empty() {
                return Err((
                    p.oid.span().start,
                    "outlets.pending.values".into(),
                    "the values that mean a command is pending are missing".into(),
                ));
            }
        }
        if let Some(u) = &self.outlets.single_unit {
            let arcs = u.get_ref().split('.').count();
            if !numeric_oid(u.get_ref()) || arcs + 1 != self.outlets.index.arcs() {
                return Err((
                    u.span().start,
                    "outlets.single_unit".into(),
                    format!(
                        "'{}' is not the arcs before the outlet number of index {}",
                        u.get_ref(),
                        self.outlets.index.words()
                    ),
                ));
            }
        }
        for (k, source) in self.outlets.state.iter().enumerate() {
            let at = source.span().start;
            let s = source.get_ref();
            let field = |f: &str| format!("outlets.state[{k}].{f}");
            if !numeric_oid(&s.oid) {
                return Err((
                    at,
                    field("oid"),
                    format!("'{}' is not a numeric OID", s.oid),
                ));
            }
            if let Some(sfx) = &s.suffix
                && !numeric_oid(sfx)
            {
                return Err((at, field("suffix"), format!("'{sfx}' is not OID arcs")));
            }
            if s.on.is_empty() || s.off.is_empty() {
                return Err((
                    at,
                    field(if s.on.is_empty() { "on" } else { "off" }),
                    "a state source needs the values that mean on and off".into(),
                ));
            }
            let mut seen: BTreeMap<i64, &str> = BTreeMap::new();
            for (name, values) in [
                ("on", &s.on),
                ("off", &s.off),
                ("transitional", &s.transitional),
                ("fault", &s.fault),
            ] {
                for v in values {
                    if let Some(other) = seen.insert(*v, name) {
                        return Err((
                            at,
                            field(name),
                            format!("value {v} is mapped to both {other} and {name}"),
                        ));
                    }
                }
            }
        }
        match (&self.outlets.control, self.outlets.state.is_empty()) {
            (Some(c), true) => {
                return Err((
                    c.span().start,
                    "outlets.control".into(),
                    "a control needs a state to confirm it: add [[outlets.state]]".into(),
                ));
            }
            // A metered-only model: its outlets are the rows of its first name column.
            (None, true) if self.outlets.names.is_empty() => {
                return Err((
                    0,
                    "outlets.state".into(),
                    "outlets need a state source, or a name column to list them".into(),
                ));
            }
            _ => {}
        }
        if let Some(c) = &self.outlets.control {
            let at = c.span().start;
            let c = c.get_ref();
            let mut actions = vec![("on", &c.on), ("off", &c.off)];
            if let Reset::Native(a) = &c.reset {
                actions.push(("reset", a));
            }
            for (name, a) in actions {
                if !numeric_oid(&a.oid) {
                    return Err((
                        key_offset(text, at, name),
                        format!("outlets.control.{name}.oid"),
                        format!("'{}' is not a numeric OID", a.oid),
                    ));
                }
            }
        }
        if self.outlets.confirm.poll_ms == 0 || self.outlets.confirm.within_s == 0 {
            return Err((
                0,
                "outlets.confirm".into(),
                "poll_ms and within_s must be above zero".into(),
            ));
        }
        for (name, metric, quantity) in [
            ("power", &self.metrics.power, Quantity::Power),
            ("energy", &self.metrics.energy, Quantity::Energy),
            ("current", &self.metrics.current, Quantity::Current),
            ("unit_power", &self.metrics.unit_power, Quantity::Power),
        ] {
            let Some(m) = metric else { continue };
            let at = m.span().start;
            let m = m.get_ref();
            if !numeric_oid(&m.oid) {
                return Err((
                    at,
                    format!("metrics.{name}.oid"),
                    format!("'{}' is not a numeric OID", m.oid),
                ));
            }
            if m.unit.base().0 != quantity {
                return Err((
                    at,
                    format!("metrics.{name}.unit"),
                    format!("{:?} does not measure {name}", m.unit),
                ));
            }
        }
        Ok(())
    }
}

/// A problem the checker found: (byte offset in the text, field, what is wrong).
pub type Misplaced = (usize, String, String);

/// Reads a profile of type `T` from `text` (unknown fields refused) and runs `check` on it:
/// every error names `source`, the line and the field.
pub fn parse_checked<T: serde::de::DeserializeOwned>(
    source: &str,
    text: &str,
    check: impl Fn(&T, &str) -> Result<(), Misplaced>,
) -> Result<T, ProfileError> {
    let line_of = |offset: usize| {
        text[..offset.min(text.len())].lines().count().max(1)
            + usize::from(text[..offset.min(text.len())].ends_with('\n'))
    };
    let profile: T = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(s.start));
        ProfileError {
            profile: source.to_owned(),
            line,
            field: key_at(text, line),
            problem: e.message().to_owned(),
        }
    })?;
    check(&profile, text).map_err(|(offset, field, problem)| ProfileError {
        profile: source.to_owned(),
        line: line_of(offset),
        field,
        problem,
    })?;
    Ok(profile)
}

/// The profile in the file the environment variable `var` names, read with `parse`, if the
/// variable is set: how a vendor tries a profile with a built handler.
pub fn from_env_file<T>(
    var: &str,
    parse: fn(&str, &str) -> Result<T, ProfileError>,
) -> Option<Result<Vec<T>, ProfileError>> {
    let path = std::env::var_os(var)?;
    let name = path.to_string_lossy().into_owned();
    Some(
        std::fs::read_to_string(&path)
            .map_err(|e| ProfileError {
                profile: name.clone(),
                line: 0,
                field: var.into(),
                problem: format!("cannot read the file: {e}"),
            })
            .and_then(|t| parse(&name, &t))
            .map(|p| vec![p]),
    )
}

/// `s` as a numeric OID, or the checker's error at its place.
pub fn check_oid(s: &Spanned<String>, field: impl Into<String>) -> Result<(), Misplaced> {
    if numeric_oid(s.get_ref()) {
        Ok(())
    } else {
        Err((
            s.span().start,
            field.into(),
            format!("'{}' is not a numeric OID", s.get_ref()),
        ))
    }
}

impl Detect {
    /// sysObjectID prefixes and probes are numeric OIDs, and there is a probe (`what`: what a
    /// probe is, in the error: "column", "object").
    pub fn check(&self, what: &str) -> Result<(), Misplaced> {
        for (k, s) in self.sys_object_id.iter().enumerate() {
            check_oid(s, format!("detect.sys_object_id[{k}]"))?;
        }
        if self.probe.is_empty() {
            return Err((
                0,
                "detect.probe".into(),
                format!("at least one probe {what} decides whether a device is of the family"),
            ));
        }
        for (k, s) in self.probe.iter().enumerate() {
            check_oid(s, format!("detect.probe[{k}]"))?;
        }
        Ok(())
    }
}

/// Dotted decimal arcs, at least two.
pub fn numeric_oid(s: &str) -> bool {
    let arcs: Vec<&str> = s.split('.').collect();
    !s.is_empty()
        && arcs.iter().all(|a| {
            !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()) && a.parse::<u32>().is_ok()
        })
}

/// Where the line that sets `key` starts, at or after `from` and before the next table header
/// (else `from`): an action's line in its control table, a field's in its array element.
pub(crate) fn key_offset(text: &str, from: usize, key: &str) -> usize {
    let mut offset = from;
    for (k, line) in text[from.min(text.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        let t = line.trim_start();
        if k > 0 && t.starts_with('[') {
            break;
        }
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
        {
            return offset;
        }
        offset += line.len();
    }
    from
}

/// The key written on `line` (1-based), for errors serde reports without a path.
fn key_at(text: &str, line: usize) -> String {
    let l = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim();
    l.split(['=', ']'])
        .next()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim()
        .to_owned()
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests;
