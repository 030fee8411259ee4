//! Reading a PDU from walked columns: the outlets, their names and states, their watts, the
//! unit's watts. Pure: the engine gives it what it walked, the profile checker what a recording
//! holds, so both read a device the same way.

use std::collections::BTreeMap;

use dci_protocol::{PortState, Readings};
use snmp_core::Value;
use snmp_core::power::Decode;

use crate::format::{Metric, Outlets, Profile, StateSource};

/// One column's rows: each row's index (the arcs after the column) and value.
pub type Column = Vec<(Vec<u32>, Value)>;

/// Columns, looked up by OID.
#[derive(Debug, Default)]
pub struct Walked {
    columns: BTreeMap<Vec<u32>, Column>,
}

impl Walked {
    /// The columns `oids` with the rows walked for each, in the same order.
    pub fn new(oids: Vec<Vec<u32>>, rows: Vec<Column>) -> Walked {
        Walked {
            columns: oids.into_iter().zip(rows).collect(),
        }
    }

    /// Every column of `oids` cut out of `objects` (OID, value pairs in any order: a
    /// recording).
    pub fn from_objects(oids: &[Vec<u32>], objects: &[(Vec<u32>, Value)]) -> Walked {
        let mut columns: BTreeMap<Vec<u32>, Column> = BTreeMap::new();
        for c in oids {
            let mut rows: Column = objects
                .iter()
                .filter_map(|(oid, v)| Some((oid.strip_prefix(c.as_slice())?.to_vec(), v.clone())))
                .filter(|(i, _)| !i.is_empty())
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            columns.insert(c.clone(), rows);
        }
        Walked { columns }
    }

    /// The rows of `oid`'s column (none if it was not walked).
    pub fn column(&self, oid: &str) -> &[(Vec<u32>, Value)] {
        self.columns.get(&arcs(oid)).map_or(&[], Vec::as_slice)
    }
}

/// Every column status reads for `ps`, each once: the state sources and name columns.
pub fn status_columns(ps: &[Profile]) -> Vec<Vec<u32>> {
    let mut cols = Vec::new();
    for p in ps {
        let o = &p.outlets;
        let oids = o
            .state
            .iter()
            .map(|s| s.get_ref().oid.as_str())
            .chain(o.names.iter().map(|n| n.get_ref().as_str()));
        for oid in oids {
            push_once(&mut cols, arcs(oid));
        }
    }
    cols
}

/// Every column statistics reads for `ps`: the power readings and their digits columns.
pub fn power_columns(ps: &[Profile]) -> Vec<Vec<u32>> {
    metric_columns(ps, Readings::NONE)
}

/// The columns `statistics` walks: every profile's power reading, and the current and energy
/// readings where `asked` (and each one's decimal-digits column).
pub fn metric_columns(ps: &[Profile], asked: Readings) -> Vec<Vec<u32>> {
    let mut cols = Vec::new();
    for p in ps {
        for (m, _) in wanted(p, asked) {
            push_once(&mut cols, arcs(&m.oid));
            if let Some(sc) = &m.scale_from {
                push_once(&mut cols, arcs(&sc.oid));
            }
        }
    }
    cols
}

/// Which of a port's fields a reading fills.
type Field = fn(&mut PortState) -> &mut Option<f64>;

/// A profile's readings that `statistics` reports: power always, current and energy where
/// `asked`; each with the port field it fills.
fn wanted(p: &Profile, asked: Readings) -> Vec<(&Metric, Field)> {
    let m = &p.metrics;
    let all: [(Option<&Metric>, bool, Field); 3] = [
        (m.power.as_ref().map(|x| x.get_ref()), true, |p| {
            &mut p.power
        }),
        (
            m.current.as_ref().map(|x| x.get_ref()),
            asked.current,
            |p| &mut p.current,
        ),
        (m.energy.as_ref().map(|x| x.get_ref()), asked.energy, |p| {
            &mut p.energy
        }),
    ];
    all.into_iter()
        .filter_map(|(metric, on, field)| Some((metric.filter(|_| on)?, field)))
        .collect()
}

/// The readings a handler of these profiles can add to `statistics` when asked.
pub fn offered(ps: &[Profile]) -> Readings {
    Readings {
        current: ps.iter().any(|p| p.metrics.current.is_some()),
        energy: ps.iter().any(|p| p.metrics.energy.is_some()),
    }
}

fn push_once(cols: &mut Vec<Vec<u32>>, c: Vec<u32>) {
    if !cols.contains(&c) {
        cols.push(c);
    }
}

/// Every outlet with its admin status (the first state source with a value for it) and its
/// name (the first non-empty name column), from the first profile whose tables have rows, and
/// that profile. A profile without a state (a metered-only model) lists the outlets of its
/// first name column, their admin status unknown. `None`: no profile's tables have rows.
pub fn outlets<'p>(ps: &'p [Profile], w: &Walked) -> Option<(&'p Profile, Vec<PortState>)> {
    for p in ps {
        let o = &p.outlets;
        let mut ports: BTreeMap<Vec<u32>, PortState> = BTreeMap::new();
        for st in &o.state {
            let st = st.get_ref();
            let decode = decode(st);
            for (i, v) in w.column(&st.oid) {
                let (Some(k), Some(v)) = (key(o, i, st.suffix.as_deref()), v.as_integer()) else {
                    continue;
                };
                let port = ports
                    .entry(k)
                    .or_insert_with(|| PortState::new(String::new()));
                if port.admin_status.is_none() {
                    port.admin_status = Some(decode.apply(v).to_protocol());
                }
            }
        }
        if o.state.is_empty()
            && let Some(first) = o.names.first()
        {
            for (i, _) in w.column(first.get_ref()) {
                if let Some(k) = key(o, i, None) {
                    let mut port = PortState::new(String::new());
                    port.admin_status = Some(dci_protocol::PortStatus::Unknown);
                    ports.insert(k, port);
                }
            }
        }
        if ports.is_empty() {
            continue;
        }
        for n in &o.names {
            for (i, v) in w.column(n.get_ref()) {
                let Some(k) = key(o, i, None) else {
                    continue;
                };
                if let (Some(port), Some(name)) = (ports.get_mut(&k), v.as_text())
                    && port.description.is_none()
                    && !name.trim().is_empty()
                {
                    port.description = Some(name);
                }
            }
        }
        return Some((p, identified(o, ports)));
    }
    None
}

/// Every outlet's watts from the first profile whose power reading has rows (an outlet whose
/// reading means "not available" without `power`). `None`: no profile's reading has rows.
pub fn power(ps: &[Profile], w: &Walked) -> Option<Vec<PortState>> {
    metered(ps, w, Readings::NONE)
}

/// [`power`], with the current and energy readings `asked` beside the watts: the outlets of the
/// first profile any of whose readings has rows, each with the readings it has.
pub fn metered(ps: &[Profile], w: &Walked, asked: Readings) -> Option<Vec<PortState>> {
    for p in ps {
        let o = &p.outlets;
        let mut ports: BTreeMap<Vec<u32>, PortState> = BTreeMap::new();
        for (metric, field) in wanted(p, asked) {
            for (k, value) in readings(metric, w, |i, sfx| key(o, i, sfx)) {
                let port = ports
                    .entry(k)
                    .or_insert_with(|| PortState::new(String::new()));
                *field(port) = value;
            }
        }
        if !ports.is_empty() {
            return Some(identified(o, ports));
        }
    }
    None
}

/// A metric's rows keyed by `key` (given the row index and the suffix to strip), each in its
/// quantity's base unit, `None` where the device says "not available".
pub fn readings(
    metric: &Metric,
    w: &Walked,
    key: impl Fn(&[u32], Option<&str>) -> Option<Vec<u32>>,
) -> BTreeMap<Vec<u32>, Option<f64>> {
    let digits: BTreeMap<Vec<u32>, i64> = metric
        .scale_from
        .iter()
        .flat_map(|sc| {
            w.column(&sc.oid)
                .iter()
                .filter_map(|(i, v)| Some((key(i, sc.suffix.as_deref())?, number(v)?)))
        })
        .collect();
    w.column(&metric.oid)
        .iter()
        .filter_map(|(i, v)| {
            let k = key(i, metric.suffix.as_deref())?;
            let raw = number(v)?;
            let value = metric.value(raw, digits.get(&k).copied());
            Some((k, value))
        })
        .collect()
}

/// The power helper's map of a state source.
pub fn decode(st: &StateSource) -> Decode {
    Decode::Sets {
        on: st.on.clone(),
        off: st.off.clone(),
        transitional: st.transitional.clone(),
    }
}

/// A checked dotted OID's arcs (the checker refused any other).
pub fn arcs(oid: &str) -> Vec<u32> {
    oid.split('.').filter_map(|a| a.parse().ok()).collect()
}

/// The outlet key of a row index: its arcs, by shape, once the suffix is stripped.
pub fn key(o: &Outlets, index: &[u32], suffix: Option<&str>) -> Option<Vec<u32>> {
    let index = match suffix {
        Some(sfx) => index.strip_suffix(arcs(sfx).as_slice())?,
        None => index,
    };
    (index.len() == o.index.arcs()).then(|| index.to_vec())
}

/// The identities DCImanager sees for `keys`: the index arcs joined (`N`, `U.N`, `T.I.N`), the
/// unit left out where the device reports only the profile's single unit.
fn identities<'k>(o: &Outlets, keys: impl Iterator<Item = &'k Vec<u32>> + Clone) -> Vec<String> {
    let single = o.single_unit.as_ref().map(|u| arcs(u.get_ref()));
    let short = single.is_some_and(|u| keys.clone().all(|k| k.starts_with(&u)));
    keys.map(|k| {
        let arcs = if short { &k[k.len() - 1..] } else { &k[..] };
        arcs.iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".")
    })
    .collect()
}

/// The outlets of `ports`, in index order, each with its identity.
pub fn identified(o: &Outlets, ports: BTreeMap<Vec<u32>, PortState>) -> Vec<PortState> {
    let names = identities(o, ports.keys());
    ports
        .into_values()
        .zip(names)
        .map(|(mut port, identity)| {
            port.identity = identity;
            port
        })
        .collect()
}

/// The key an identity names: the index arcs, or the outlet number alone for a profile with a
/// single unit. The outlet number counts from 1.
pub fn parse_identity(o: &Outlets, s: &str) -> Option<Vec<u32>> {
    let given: Vec<u32> = s
        .split('.')
        .map(|a| a.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    if *given.last()? == 0 {
        return None;
    }
    match &o.single_unit {
        Some(u) if given.len() == 1 => Some([arcs(u.get_ref()), given].concat()),
        _ => key(o, &given, None),
    }
}

/// A reading as a number: an INTEGER, or an unsigned type (PDU2's sensor values and decimal
/// digits are Unsigned32).
pub fn number(v: &Value) -> Option<i64> {
    v.as_integer()
        .or_else(|| v.as_unsigned().and_then(|u| i64::try_from(u).ok()))
}
