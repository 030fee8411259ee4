//! CISCO-STACK-MIB's enumerations, each a total enum (an `Other` arm keeps what the MIB does not
//! define), with its map onto the protocol's values. Where there is no honest mapping the map
//! says `None` and the element is left out of the answer.

use dci_protocol::{Duplex, Speed};

/// CISCO-STACK-MIB portAdminSpeed. The protocol's six speeds map onto
/// `autoDetect(1)`, `autoDetect10100(2)`, `s10000000(10000000)`, `s100000000(100000000)`,
/// `s1000000000(1000000000)` and `s10G(10)`; every other speed the MIB lists (4, 16, 45 Mbit/s
/// and the like) is kept as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortAdminSpeed {
    /// autoDetect(1).
    AutoDetect,
    /// autoDetect10100(2).
    AutoDetect10100,
    /// s10000000(10000000).
    S10Mbps,
    /// s100000000(100000000).
    S100Mbps,
    /// s1000000000(1000000000).
    S1Gbps,
    /// s10G(10).
    S10Gbps,
    /// Any other value.
    Other(i64),
}

impl PortAdminSpeed {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> PortAdminSpeed {
        match v {
            1 => PortAdminSpeed::AutoDetect,
            2 => PortAdminSpeed::AutoDetect10100,
            10_000_000 => PortAdminSpeed::S10Mbps,
            100_000_000 => PortAdminSpeed::S100Mbps,
            1_000_000_000 => PortAdminSpeed::S1Gbps,
            10 => PortAdminSpeed::S10Gbps,
            other => PortAdminSpeed::Other(other),
        }
    }

    /// To the INTEGER on the wire.
    pub fn to_wire(self) -> i64 {
        match self {
            PortAdminSpeed::AutoDetect => 1,
            PortAdminSpeed::AutoDetect10100 => 2,
            PortAdminSpeed::S10Mbps => 10_000_000,
            PortAdminSpeed::S100Mbps => 100_000_000,
            PortAdminSpeed::S1Gbps => 1_000_000_000,
            PortAdminSpeed::S10Gbps => 10,
            PortAdminSpeed::Other(v) => v,
        }
    }

    /// The protocol's speed, when there is one.
    pub fn to_protocol(self) -> Option<Speed> {
        Some(match self {
            PortAdminSpeed::AutoDetect => Speed::Auto,
            PortAdminSpeed::AutoDetect10100 => Speed::Auto10100,
            PortAdminSpeed::S10Mbps => Speed::Mbps10,
            PortAdminSpeed::S100Mbps => Speed::Mbps100,
            PortAdminSpeed::S1Gbps => Speed::Gbps1,
            PortAdminSpeed::S10Gbps => Speed::Gbps10,
            PortAdminSpeed::Other(_) => return None,
        })
    }

    /// The value that sets `speed`.
    pub fn from_protocol(speed: Speed) -> PortAdminSpeed {
        match speed {
            Speed::Auto => PortAdminSpeed::AutoDetect,
            Speed::Auto10100 => PortAdminSpeed::AutoDetect10100,
            Speed::Mbps10 => PortAdminSpeed::S10Mbps,
            Speed::Mbps100 => PortAdminSpeed::S100Mbps,
            Speed::Gbps1 => PortAdminSpeed::S1Gbps,
            Speed::Gbps10 => PortAdminSpeed::S10Gbps,
        }
    }
}

/// CISCO-STACK-MIB portDuplex: `INTEGER { half(1), full(2), disagree(3), auto(4) }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortDuplex {
    /// half(1).
    Half,
    /// full(2).
    Full,
    /// disagree(3): the two ends do not agree; no protocol value says that.
    Disagree,
    /// auto(4).
    Auto,
    /// Out of range.
    Other(i64),
}

impl PortDuplex {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> PortDuplex {
        match v {
            1 => PortDuplex::Half,
            2 => PortDuplex::Full,
            3 => PortDuplex::Disagree,
            4 => PortDuplex::Auto,
            other => PortDuplex::Other(other),
        }
    }

    /// To the INTEGER on the wire.
    pub fn to_wire(self) -> i64 {
        match self {
            PortDuplex::Half => 1,
            PortDuplex::Full => 2,
            PortDuplex::Disagree => 3,
            PortDuplex::Auto => 4,
            PortDuplex::Other(v) => v,
        }
    }

    /// The protocol's duplex, when there is one.
    pub fn to_protocol(self) -> Option<Duplex> {
        match self {
            PortDuplex::Half => Some(Duplex::Half),
            PortDuplex::Full => Some(Duplex::Full),
            PortDuplex::Auto => Some(Duplex::Auto),
            PortDuplex::Disagree | PortDuplex::Other(_) => None,
        }
    }

    /// The value that sets `duplex`.
    pub fn from_protocol(duplex: Duplex) -> PortDuplex {
        match duplex {
            Duplex::Half => PortDuplex::Half,
            Duplex::Full => PortDuplex::Full,
            Duplex::Auto => PortDuplex::Auto,
        }
    }
}

#[cfg(test)]
mod tests;
