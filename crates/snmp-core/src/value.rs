//! OIDs and values as handlers see them: plain data, no async-snmp types.
//!
//! Handlers declare OIDs as `&[u32]` constants (`const IF_DESCR: &[u32] = &[1, 3, 6, 1, 2, 1,
//! 2, 2, 1, 2];`, the MIB name in a comment) and read [`Value`]s through accessors that say what
//! was expected when the device sent something else.

use std::fmt;

/// An object identifier.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Oid(pub Vec<u32>);

impl Oid {
    /// `base` followed by `index`: a column and a row give an instance.
    pub fn join(base: &[u32], index: &[u32]) -> Oid {
        let mut v = Vec::with_capacity(base.len() + index.len());
        v.extend_from_slice(base);
        v.extend_from_slice(index);
        Oid(v)
    }

    /// The arcs.
    pub fn arcs(&self) -> &[u32] {
        &self.0
    }

    /// The arcs after `prefix`, if this OID lies strictly below it.
    pub fn suffix(&self, prefix: &[u32]) -> Option<&[u32]> {
        if self.0.len() > prefix.len() && self.0.starts_with(prefix) {
            Some(&self.0[prefix.len()..])
        } else {
            None
        }
    }
}

impl From<&[u32]> for Oid {
    fn from(arcs: &[u32]) -> Oid {
        Oid(arcs.to_vec())
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A value an agent returned (exceptions such as noSuchInstance are not values: they are
/// reported as errors or as a missing cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// INTEGER (also enumerations).
    Integer(i64),
    /// OCTET STRING.
    OctetString(Vec<u8>),
    /// OBJECT IDENTIFIER.
    ObjectId(Oid),
    /// IpAddress.
    IpAddress([u8; 4]),
    /// Counter32.
    Counter32(u32),
    /// Gauge32 / Unsigned32.
    Gauge32(u32),
    /// TimeTicks.
    TimeTicks(u32),
    /// Counter64.
    Counter64(u64),
    /// Opaque.
    Opaque(Vec<u8>),
    /// NULL.
    Null,
}

impl Value {
    /// The SMI type name, for error texts.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Integer(_) => "INTEGER",
            Value::OctetString(_) => "OCTET STRING",
            Value::ObjectId(_) => "OBJECT IDENTIFIER",
            Value::IpAddress(_) => "IpAddress",
            Value::Counter32(_) => "Counter32",
            Value::Gauge32(_) => "Gauge32",
            Value::TimeTicks(_) => "TimeTicks",
            Value::Counter64(_) => "Counter64",
            Value::Opaque(_) => "Opaque",
            Value::Null => "NULL",
        }
    }

    /// An INTEGER.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// Any unsigned number: Counter32, Gauge32, TimeTicks, Counter64, or a non-negative
    /// INTEGER (some agents send gauges as INTEGER).
    pub fn as_unsigned(&self) -> Option<u64> {
        match self {
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => Some(u64::from(*v)),
            Value::Counter64(v) => Some(*v),
            Value::Integer(i) if *i >= 0 => Some(*i as u64),
            _ => None,
        }
    }

    /// An OCTET STRING as text (invalid UTF-8 replaced, trailing NULs dropped: some agents
    /// pad names with them).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::OctetString(b) => {
                Some(String::from_utf8_lossy(b).trim_end_matches('\0').to_owned())
            }
            _ => None,
        }
    }

    /// An OCTET STRING's bytes.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::OctetString(b) => Some(b),
            _ => None,
        }
    }

    pub(crate) fn to_wire(&self) -> async_snmp::Value {
        use async_snmp::Value as W;
        match self {
            // Values we send are SET values we built ourselves; integers are enumerations.
            Value::Integer(i) => W::Integer(i32::try_from(*i).unwrap_or(i32::MAX)),
            Value::OctetString(b) => W::OctetString(bytes::Bytes::copy_from_slice(b)),
            Value::ObjectId(o) => W::ObjectIdentifier(async_snmp::Oid::from_slice(&o.0)),
            Value::IpAddress(a) => W::IpAddress(*a),
            Value::Counter32(v) => W::Counter32(*v),
            Value::Gauge32(v) => W::Gauge32(*v),
            Value::TimeTicks(v) => W::TimeTicks(*v),
            Value::Counter64(v) => W::Counter64(*v),
            Value::Opaque(b) => W::Opaque(bytes::Bytes::copy_from_slice(b)),
            Value::Null => W::Null,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Integer(i) => write!(f, "{i}"),
            Value::OctetString(b) => match std::str::from_utf8(b) {
                Ok(s) if !s.chars().any(char::is_control) => write!(f, "{s:?}"),
                _ => {
                    f.write_str("0x")?;
                    b.iter().try_for_each(|x| write!(f, "{x:02x}"))
                }
            },
            Value::ObjectId(o) => write!(f, "{o}"),
            Value::IpAddress(a) => write!(f, "{}.{}.{}.{}", a[0], a[1], a[2], a[3]),
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => write!(f, "{v}"),
            Value::Counter64(v) => write!(f, "{v}"),
            Value::Opaque(b) => write!(f, "opaque({} bytes)", b.len()),
            Value::Null => f.write_str("NULL"),
        }
    }
}

/// What an agent put where a value was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exception {
    NoSuchObject,
    NoSuchInstance,
    EndOfMibView,
}

impl Exception {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Exception::NoSuchObject => "noSuchObject",
            Exception::NoSuchInstance => "noSuchInstance",
            Exception::EndOfMibView => "endOfMibView",
        }
    }
}

/// Converts a received value. `Err` carries an exception, or a type we have no use for.
pub(crate) fn from_wire(v: &async_snmp::Value) -> Result<Value, Option<Exception>> {
    use async_snmp::Value as W;
    Ok(match v {
        W::Integer(i) => Value::Integer(i64::from(*i)),
        W::OctetString(b) | W::Nsap(b) => Value::OctetString(b.to_vec()),
        W::Null => Value::Null,
        W::ObjectIdentifier(o) => Value::ObjectId(Oid(o.arcs().to_vec())),
        W::IpAddress(a) => Value::IpAddress(*a),
        W::Counter32(c) => Value::Counter32(*c),
        W::Gauge32(g) | W::UInteger32(g) => Value::Gauge32(*g),
        W::TimeTicks(t) => Value::TimeTicks(*t),
        W::Opaque(b) => Value::Opaque(b.to_vec()),
        W::Counter64(c) => Value::Counter64(*c),
        W::NoSuchObject => return Err(Some(Exception::NoSuchObject)),
        W::NoSuchInstance => return Err(Some(Exception::NoSuchInstance)),
        W::EndOfMibView => return Err(Some(Exception::EndOfMibView)),
        _ => return Err(None),
    })
}
