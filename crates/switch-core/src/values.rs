//! The standard enumerations switch handlers read and write, each a total enum (an `Other` arm
//! keeps what the MIB does not define), with its map onto the protocol's values. Where there is
//! no honest mapping the map says `None` and the element is left out of the answer.

use dci_protocol::{Duplex, PortStatus, Speed};

/// IF-MIB ifAdminStatus and ifOperStatus:
/// `INTEGER { up(1), down(2), testing(3), unknown(4), dormant(5), notPresent(6), lowerLayerDown(7) }`
/// (ifAdminStatus has the first three).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfStatus {
    /// up(1).
    Up,
    /// down(2).
    Down,
    /// Anything else: testing, unknown, dormant, notPresent, lowerLayerDown, or out of range.
    Other(i64),
}

impl IfStatus {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> IfStatus {
        match v {
            1 => IfStatus::Up,
            2 => IfStatus::Down,
            other => IfStatus::Other(other),
        }
    }

    /// To the INTEGER on the wire.
    pub fn to_wire(self) -> i64 {
        match self {
            IfStatus::Up => 1,
            IfStatus::Down => 2,
            IfStatus::Other(v) => v,
        }
    }

    /// up is on, down is off; everything else is `unknown`, never guessed.
    pub fn to_protocol(self) -> PortStatus {
        match self {
            IfStatus::Up => PortStatus::On,
            IfStatus::Down => PortStatus::Off,
            IfStatus::Other(_) => PortStatus::Unknown,
        }
    }
}

/// EtherLike-MIB dot3StatsDuplexStatus: `INTEGER { unknown(1), halfDuplex(2), fullDuplex(3) }`,
/// the duplex the port runs at (not a setting).
pub fn dot3_duplex(v: i64) -> Option<Duplex> {
    match v {
        2 => Some(Duplex::Half),
        3 => Some(Duplex::Full),
        _ => None,
    }
}

/// The speed a port runs at, from ifHighSpeed (Mbit/s), onto the protocol's fixed speeds.
/// 25, 40, 100 Gbit/s and the rest have no protocol value.
pub fn speed_from_mbps(mbps: u64) -> Option<Speed> {
    match mbps {
        10 => Some(Speed::Mbps10),
        100 => Some(Speed::Mbps100),
        1_000 => Some(Speed::Gbps1),
        10_000 => Some(Speed::Gbps10),
        _ => None,
    }
}

/// ifSpeed (bit/s) where ifHighSpeed is missing. 4294967295 means "faster than that", which
/// only ifHighSpeed could tell.
pub fn speed_from_bps(bps: u64) -> Option<Speed> {
    if bps == u64::from(u32::MAX) || !bps.is_multiple_of(1_000_000) {
        return None;
    }
    speed_from_mbps(bps / 1_000_000)
}

#[cfg(test)]
mod tests;
