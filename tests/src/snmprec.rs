//! Writes recordings for snmpsim: `.snmprec` text, one `OID|TAG|VALUE` line per object, sorted
//! by OID the way SNMP orders them (arc by arc, numerically).
//!
//! The order matters: snmpsim answers GETNEXT by bisecting the file, so `…8.10` written before
//! `…8.2` (string order) makes it skip or repeat objects. Entries are kept in a map keyed by the
//! numeric arcs, so adding them in any order gives the right file.
//!
//! Tags are the BER tag numbers snmpsim uses: 2 INTEGER, 4 OCTET STRING (`4x`: the value in hex),
//! 6 OBJECT IDENTIFIER, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64.
//! A writable entry uses snmpsim's `writecache` variation module (checked against Debian's
//! snmpsim 0.4.5 in `tests/it/testbed.rs`): `OID|2:writecache|value=5`, and for OCTET STRING
//! `OID|4:writecache|hexvalue=414243`, so that any bytes survive the module's own `,`/`=`
//! splitting. A SET of the recorded type is then answered by every later read; see
//! `crate::agents` for what snmpsim does with other SETs.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// A value with its SNMP type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// INTEGER (Integer32).
    Integer(i32),
    /// OCTET STRING: any bytes.
    OctetString(Vec<u8>),
    /// OBJECT IDENTIFIER, dotted (`1.3.6.1.4.1.9`).
    Oid(String),
    /// IpAddress.
    IpAddress(Ipv4Addr),
    /// Counter32.
    Counter32(u32),
    /// Gauge32 (Unsigned32).
    Gauge32(u32),
    /// TimeTicks, in hundredths of a second.
    TimeTicks(u32),
    /// Counter64.
    Counter64(u64),
}

impl Value {
    /// An OCTET STRING from text.
    pub fn string(s: &str) -> Value {
        Value::OctetString(s.as_bytes().to_vec())
    }

    /// snmpsim's type tag.
    pub fn tag(&self) -> u8 {
        match self {
            Value::Integer(_) => 2,
            Value::OctetString(_) => 4,
            Value::Oid(_) => 6,
            Value::IpAddress(_) => 64,
            Value::Counter32(_) => 65,
            Value::Gauge32(_) => 66,
            Value::TimeTicks(_) => 67,
            Value::Counter64(_) => 70,
        }
    }

    /// The `TAG|VALUE` part of a read-only line.
    fn plain(&self) -> String {
        match self {
            // snmpsim strips whitespace around the line and reads it as text: anything that
            // would not survive that goes in hex.
            Value::OctetString(b) if !plain_text(b) => format!("4x|{}", hex(b)),
            Value::OctetString(b) => {
                format!("4|{}", std::str::from_utf8(b).expect("checked ASCII"))
            }
            other => format!("{}|{}", other.tag(), other.text()),
        }
    }

    /// The `TAG:writecache|SETTINGS` part of a writable line.
    fn writable(&self) -> String {
        match self {
            Value::OctetString(b) => format!("4:writecache|hexvalue={}", hex(b)),
            other => format!("{}:writecache|value={}", other.tag(), other.text()),
        }
    }

    /// The value as snmpsim reads it, for every type but OCTET STRING.
    fn text(&self) -> String {
        match self {
            Value::Integer(n) => n.to_string(),
            Value::OctetString(b) => hex(b),
            Value::Oid(o) => o.clone(),
            Value::IpAddress(a) => a.to_string(),
            Value::Counter32(n) | Value::Gauge32(n) | Value::TimeTicks(n) => n.to_string(),
            Value::Counter64(n) => n.to_string(),
        }
    }
}

/// Printable ASCII that does not end in a space (which snmpsim would strip).
fn plain_text(b: &[u8]) -> bool {
    b.iter().all(|c| (0x20..0x7f).contains(c)) && b.last() != Some(&b' ')
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

/// Parses a dotted OID (a leading dot is allowed) into its arcs; panics on anything else, since
/// a recording with a broken OID is a bug in the test that builds it.
#[track_caller]
fn arcs(oid: &str) -> Vec<u32> {
    let digits = oid.strip_prefix('.').unwrap_or(oid);
    let arcs: Vec<u32> = digits
        .split('.')
        .map(|a| {
            a.parse()
                .unwrap_or_else(|_| panic!("not an OID: {oid:?} (arc {a:?})"))
        })
        .collect();
    assert!(arcs.len() >= 2, "not an OID: {oid:?} (fewer than two arcs)");
    arcs
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    value: Value,
    writable: bool,
    /// A `TAG:MODULE|SETTINGS` line part given as is ([`Snmprec::variation`]).
    raw: Option<String>,
}

/// A recording being built. Adding an OID a second time replaces its entry, so a template can
/// be built first and single values overridden after.
///
/// ```
/// use e2e::snmprec::{Snmprec, Value};
/// let mut rec = Snmprec::new();
/// rec.add("1.3.6.1.2.1.2.2.1.7.10", Value::Integer(1))
///     .add("1.3.6.1.2.1.2.2.1.7.2", Value::Integer(2))
///     .writable("1.3.6.1.2.1.2.2.1.7.2", Value::Integer(1));
/// assert_eq!(
///     rec.to_string(),
///     "1.3.6.1.2.1.2.2.1.7.2|2:writecache|value=1\n1.3.6.1.2.1.2.2.1.7.10|2|1\n"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snmprec {
    entries: BTreeMap<Vec<u32>, Entry>,
}

impl Snmprec {
    /// An empty recording.
    pub fn new() -> Snmprec {
        Snmprec::default()
    }

    /// Adds a read-only object.
    #[track_caller]
    pub fn add(&mut self, oid: &str, value: Value) -> &mut Snmprec {
        self.insert(oid, value, false)
    }

    /// Adds an object that a SET of the same type changes for every later read (snmpsim's
    /// `writecache`). The cache is keyed by the OID alone: every recording served by one
    /// snmpsim shares it.
    #[track_caller]
    pub fn writable(&mut self, oid: &str, value: Value) -> &mut Snmprec {
        self.insert(oid, value, true)
    }

    #[track_caller]
    fn insert(&mut self, oid: &str, value: Value, writable: bool) -> &mut Snmprec {
        if let Value::Oid(o) = &value {
            arcs(o);
        }
        self.entries.insert(
            arcs(oid),
            Entry {
                value,
                writable,
                raw: None,
            },
        );
        self
    }

    /// Adds an object served by a snmpsim variation module: `spec` is the line after the OID,
    /// `TAG:MODULE|SETTINGS` (e.g. `2:follow|role=command,group=o1,value=1`).
    #[track_caller]
    pub fn variation(&mut self, oid: &str, spec: &str) -> &mut Snmprec {
        assert!(
            spec.contains(':') && spec.contains('|') && !spec.contains('\n'),
            "not a TAG:MODULE|SETTINGS spec: {spec:?}"
        );
        self.entries.insert(
            arcs(oid),
            Entry {
                value: Value::Integer(0),
                writable: false,
                raw: Some(spec.to_owned()),
            },
        );
        self
    }

    /// Removes the object at `oid` (an agent that does not answer for it), if there is one.
    #[track_caller]
    pub fn remove(&mut self, oid: &str) -> &mut Snmprec {
        self.entries.remove(&arcs(oid));
        self
    }

    /// Adds every entry of `other`, replacing those with the same OID.
    pub fn extend(&mut self, other: &Snmprec) -> &mut Snmprec {
        self.entries
            .extend(other.entries.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }

    /// The number of objects.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no object.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes `DIR/COMMUNITY.snmprec` (snmpsim serves it under that community) and returns the
    /// path. `community` may name a subfolder (`a/b`), which is created.
    #[track_caller]
    pub fn write(&self, dir: &Path, community: &str) -> PathBuf {
        assert!(
            !community.is_empty() && !community.split('/').any(|p| p.is_empty() || p == ".."),
            "not a community for a recording: {community:?}"
        );
        let path = dir.join(format!("{community}.snmprec"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
        }
        std::fs::write(&path, self.to_string())
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }
}

/// The `.snmprec` text, sorted by OID.
impl fmt::Display for Snmprec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (arcs, entry) in &self.entries {
            let mut first = true;
            for a in arcs {
                if !first {
                    f.write_str(".")?;
                }
                write!(f, "{a}")?;
                first = false;
            }
            let rest = if let Some(raw) = &entry.raw {
                raw.clone()
            } else if entry.writable {
                entry.value.writable()
            } else {
                entry.value.plain()
            };
            writeln!(f, "|{rest}")?;
        }
        Ok(())
    }
}
