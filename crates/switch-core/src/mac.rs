//! MAC tables for `mac_list`: the addresses a switch has learned on each port, from one bridge
//! instance's forwarding table.
//!
//! Q-BRIDGE-MIB's dot1qTpFdbTable first (index: FDB id, then the MAC's six octets), walked in one
//! go with dot1qTpFdbStatus, BRIDGE-MIB's bridge port map and dot1qVlanFdbId (which ties FDB ids
//! to VLANs where they differ: HP, Juniper); where the agent has none, BRIDGE-MIB's
//! dot1dTpFdbTable (index: the MAC). Only learned entries count: self, mgmt, invalid and other
//! are the switch's own or not forwarding, and bridge port 0 is "learned, port unknown" (325 of
//! Juniper's 328 entries in the shared recording). MACs are reported once per port.

use std::collections::{BTreeMap, BTreeSet};

use dci_protocol::{MacAddr, PortState};
use snmp_core::{Session, SnmpError};

use crate::oids::{BASE_PORT_IF_INDEX, if_table, qbridge};

/// BRIDGE-MIB and Q-BRIDGE-MIB forwarding-table objects.
pub mod oids {
    /// Q-BRIDGE-MIB dot1qTpFdbPort (1.3.6.1.2.1.17.7.1.2.2.1.2), index fdbId.MAC.
    pub const Q_FDB_PORT: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2];
    /// Q-BRIDGE-MIB dot1qTpFdbStatus (…2.2.1.3): other(1) invalid(2) learned(3) self(4) mgmt(5).
    pub const Q_FDB_STATUS: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 3];
    /// BRIDGE-MIB dot1dTpFdbPort (1.3.6.1.2.1.17.4.3.1.2), index MAC.
    pub const D_FDB_PORT: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 2];
    /// BRIDGE-MIB dot1dTpFdbStatus (…4.3.1.3), the same values.
    pub const D_FDB_STATUS: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 4, 3, 1, 3];
}

/// dot1dTpFdbStatus / dot1qTpFdbStatus learned(3).
const LEARNED: i64 = 3;

/// The forwarding table's columns walked together: the bridge port map, Q-BRIDGE's entries and
/// their status, and the FDB id of each VLAN.
const Q_COLUMNS: &[&[u32]] = &[
    BASE_PORT_IF_INDEX,
    oids::Q_FDB_PORT,
    oids::Q_FDB_STATUS,
    qbridge::CURRENT_FDB_ID,
];
/// BRIDGE-MIB's table with the bridge port map (the first column, skipped where the Q-BRIDGE
/// walk already read the map).
const D_COLUMNS: &[&[u32]] = &[BASE_PORT_IF_INDEX, oids::D_FDB_PORT, oids::D_FDB_STATUS];

/// What one bridge instance has learned: MACs by ifIndex, and by VLAN where the table says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learned {
    /// MACs by ifIndex.
    pub by_port: BTreeMap<u32, BTreeSet<[u8; 6]>>,
    /// How many entries each VLAN held (`None`: a table without VLANs).
    pub per_vlan: BTreeMap<Option<u16>, usize>,
}

impl Learned {
    /// Adds `other`'s MACs (another VLAN instance of the same switch).
    pub fn merge(&mut self, other: Learned) {
        for (port, macs) in other.by_port {
            self.by_port.entry(port).or_default().extend(macs);
        }
        for (vlan, n) in other.per_vlan {
            *self.per_vlan.entry(vlan).or_default() += n;
        }
    }

    /// The `mac_list` answer: every interface of `interfaces` in ifIndex order, with its MACs
    /// (none: a port without `mac` elements).
    pub fn ports(&self, interfaces: &BTreeSet<u32>) -> Vec<PortState> {
        interfaces
            .iter()
            .map(|i| {
                let mut p = PortState::new(i.to_string());
                p.macs = self
                    .by_port
                    .get(i)
                    .map(|m| m.iter().map(|b| MacAddr(*b)).collect())
                    .unwrap_or_default();
                p
            })
            .collect()
    }
}

/// One bridge instance's learned MACs, read through `s` (the default instance, or one VLAN's on
/// a Cisco): Q-BRIDGE's table, else BRIDGE-MIB's. `vlan` is the VLAN of the instance when it
/// has one (Cisco), for the entries whose table does not say. With `interfaces`, ifDescr
/// travels in the same walk and the ifIndex of every interface comes back too (the ports of the
/// answer); without, the set is empty.
pub async fn read(
    s: &Session,
    vlan: Option<u16>,
    interfaces: bool,
) -> Result<(Learned, BTreeSet<u32>), SnmpError> {
    read_from(s, vlan, interfaces, Q_COLUMNS).await
}

/// [`read`] of a bridge that has only BRIDGE-MIB's table (a Cisco VLAN's instance): its
/// columns and the bridge port map in one walk, no Q-BRIDGE attempt first.
pub async fn read_bridge_mib(s: &Session, vlan: Option<u16>) -> Result<Learned, SnmpError> {
    Ok(read_from(s, vlan, false, D_COLUMNS).await?.0)
}

/// The walk of `table` ([`Q_COLUMNS`], falling back to BRIDGE-MIB's when empty, or
/// [`D_COLUMNS`]), and the entries it found.
async fn read_from(
    s: &Session,
    vlan: Option<u16>,
    interfaces: bool,
    table: &[&[u32]],
) -> Result<(Learned, BTreeSet<u32>), SnmpError> {
    let mut columns = table.to_vec();
    if interfaces {
        columns.push(if_table::DESCR);
    }
    let mut walked = s.walk(&columns).await?;
    let ifs: BTreeSet<u32> = if interfaces {
        walked
            .pop()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(i, _)| (i.len() == 1).then_some(i[0]))
            .collect()
    } else {
        BTreeSet::new()
    };
    let mut walked = walked.into_iter();
    let mut next = || walked.next().unwrap_or_default();
    let bases = next();
    let (entries, statuses, fdb_ids, key) = if table == D_COLUMNS {
        (next(), next(), Vec::new(), 0)
    } else {
        let (ports, statuses, fdb_ids) = (next(), next(), next());
        if ports.is_empty() {
            let mut d = s.walk(&D_COLUMNS[1..]).await?.into_iter();
            let mut next = || d.next().unwrap_or_default();
            (next(), next(), fdb_ids, 0)
        } else {
            (ports, statuses, fdb_ids, 1)
        }
    };
    let bridge: BTreeMap<u32, u32> = bases
        .iter()
        .filter_map(|(i, v)| {
            let if_index = u32::try_from(v.as_integer()?).ok().filter(|v| *v > 0)?;
            Some((*i.first()?, if_index))
        })
        .collect();
    // FDB id → VLAN (dot1qVlanFdbId, index timeMark.vlan).
    let vlan_of: BTreeMap<u64, u16> = fdb_ids
        .iter()
        .filter_map(|(i, v)| match (i.as_slice(), v.as_unsigned()) {
            ([_, vlan], Some(fdb)) => Some((fdb, u16::try_from(*vlan).ok()?)),
            _ => None,
        })
        .collect();
    let status: BTreeMap<&[u32], i64> = statuses
        .iter()
        .filter_map(|(i, v)| Some((i.as_slice(), v.as_integer()?)))
        .collect();
    // BRIDGE-MIB absent: bridge port numbers taken for ifIndexes (LibreNMS, OpenL2M).
    let identity = bridge.is_empty();
    let mut learned = Learned::default();
    for (index, port) in &entries {
        if status.get(index.as_slice()).is_some_and(|s| *s != LEARNED) {
            continue;
        }
        let Some(bp) = port.as_unsigned().and_then(|p| u32::try_from(p).ok()) else {
            continue;
        };
        let Some(mac) = mac(&index[key.min(index.len())..]) else {
            continue;
        };
        let if_index = match bridge.get(&bp) {
            Some(i) => *i,
            None if identity && bp > 0 => bp,
            None => continue,
        };
        let entry_vlan = match key {
            1 => index.first().map(|fdb| {
                vlan_of
                    .get(&u64::from(*fdb))
                    .copied()
                    .unwrap_or(*fdb as u16)
            }),
            _ => vlan,
        };
        learned.by_port.entry(if_index).or_default().insert(mac);
        *learned.per_vlan.entry(entry_vlan.or(vlan)).or_default() += 1;
    }
    Ok((learned, ifs))
}

/// A MAC from an index's last arcs: six octets, or seven with a leading 6 (a length some
/// agents put in front, as Netdisco repairs).
fn mac(arcs: &[u32]) -> Option<[u8; 6]> {
    let arcs = match arcs {
        [6, rest @ ..] if rest.len() == 6 => rest,
        a if a.len() == 6 => a,
        _ => return None,
    };
    let mut out = [0u8; 6];
    for (o, a) in out.iter_mut().zip(arcs) {
        *o = u8::try_from(*a).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_from_index_arcs() {
        assert_eq!(mac(&[0, 30, 189, 1, 2, 255]), Some([0, 30, 189, 1, 2, 255]));
        assert_eq!(
            mac(&[6, 0, 30, 189, 1, 2, 255]),
            Some([0, 30, 189, 1, 2, 255])
        );
        assert_eq!(mac(&[0, 30, 189, 1, 2]), None);
        assert_eq!(mac(&[0, 30, 189, 1, 2, 256]), None);
    }

    #[test]
    fn ports_without_macs_are_listed_empty_in_if_index_order() {
        let mut l = Learned::default();
        l.by_port
            .insert(7, BTreeSet::from([[1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 1]]));
        let ports = l.ports(&BTreeSet::from([9, 7, 1]));
        let ids: Vec<&str> = ports.iter().map(|p| p.identity.as_str()).collect();
        assert_eq!(ids, ["1", "7", "9"]);
        assert!(ports[0].macs.is_empty());
        assert_eq!(ports[1].macs[0].to_string(), "00:00:00:00:00:01");
    }
}
