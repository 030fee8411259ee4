//! VLANs through Cisco's own MIBs (CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB), read with the
//! `status` walk.
//!
//! A port's access VLAN is vmVlan. A port is a trunk when vlanTrunkPortDynamicState says on or
//! onNoNegotiate (configured: a trunk whose link is down still is one) or DynamicStatus says
//! trunking (negotiated: desirable and auto ports); five of the seven shared Cisco recordings
//! carry neither column, and there EncapsulationOperType isl or dot1Q (anything but
//! notApplicable) says it. A trunk's VLAN is its native VLAN and its members the four
//! VlansEnabled bitmaps (agents trim trailing zero octets) among the VLANs vtpVlanTable lists,
//! the native VLAN left out (it crosses untagged). The walk carries vmVlan, DynamicState and the
//! VLAN names; DynamicStatus, native VLAN and bitmaps are read after it only for the ports that
//! trunk or may (one GET for a few, a walk of those columns for many), which keeps a 48-port
//! `status` within a request or two of what it costs without VLANs.

use std::collections::{BTreeMap, BTreeSet};

use snmp_core::{Session, SnmpError, Table, Value};
use switch_core::bits;
use switch_core::{PortVlan, Vlans};

use crate::oids::{VM_VLAN, trunk, vtp_vlan};

/// The Cisco VLAN columns a `status` walk carries: the access VLAN, the configured trunk mode,
/// and the VLAN names. The rest is read after the walk, only for the ports that need it.
pub const STATUS_COLUMNS: &[&[u32]] = &[VM_VLAN, trunk::DYNAMIC_STATE, vtp_vlan::NAME];
const V_VM: usize = 0;
const V_STATE: usize = 1;
const V_NAME: usize = 2;

/// Read per trunk (or port that may trunk) after the walk: what it negotiated, the native VLAN
/// and the four bitmaps.
const TRUNK_COLUMNS: [&[u32]; 6] = [
    trunk::DYNAMIC_STATUS,
    trunk::NATIVE_VLAN,
    trunk::VLANS_ENABLED,
    trunk::VLANS_ENABLED_2K,
    trunk::VLANS_ENABLED_3K,
    trunk::VLANS_ENABLED_4K,
];

/// Up to this many ports, their trunk objects come in one GET (6 objects each, up to 128
/// octets per bitmap: well inside any agent's message size); beyond, a walk.
const TRUNKS_BY_GET: usize = 8;

/// Whether a port is a trunk, from vlanTrunkPortDynamicState (on(1), onNoNegotiate(5)),
/// DynamicStatus (trunking(1)) and, where neither column answers, EncapsulationOperType (isl(1),
/// dot1Q(4)).
pub fn is_trunk(state: Option<i64>, status: Option<i64>, encap_oper: Option<i64>) -> bool {
    match (state, status) {
        (None, None) => matches!(encap_oper, Some(1 | 4)),
        _ => matches!(state, Some(1 | 5)) || status == Some(1),
    }
}

/// Whether a port in DynamicState `state` may trunk: on(1), desirable(3), auto(4) and
/// onNoNegotiate(5) (the last two negotiate); off(2) never does.
fn may_trunk(state: i64) -> bool {
    matches!(state, 1 | 3 | 4 | 5)
}

/// The VLANs of the four allowed-VLAN bitmaps (block k starts at VLAN 1024·k).
pub fn allowed(blocks: &[Option<&[u8]>]) -> BTreeSet<u16> {
    let mut out = BTreeSet::new();
    for (k, block) in blocks.iter().enumerate() {
        if let Some(b) = block {
            out.extend(
                bits::decode(b, 1024 * k as u32)
                    .into_iter()
                    .filter_map(|v| u16::try_from(v).ok()),
            );
        }
    }
    out
}

/// The Cisco VLAN state from a walk holding [`STATUS_COLUMNS`] at column `at`; `None` when the
/// switch has none of those objects (a Cisco that uses Q-BRIDGE instead). Costs one GET (or a
/// walk) more for the ports that trunk or may, and on switches without DynamicState (five of
/// the seven shared Cisco recordings) a walk of EncapsulationOperType first.
pub async fn read(s: &Session, t: &Table, at: usize) -> Result<Option<Vlans>, SnmpError> {
    let mut vlans = Vlans::default();
    for row in t.rows().filter(|r| r.index.len() == 2) {
        if let Some(name) = row.text(at + V_NAME)?
            && let Ok(vlan) = u16::try_from(row.index[1])
        {
            vlans.exist.insert(vlan, Some(name));
        }
    }
    let mut ports: BTreeMap<u32, (Option<i64>, Option<i64>)> = BTreeMap::new();
    for row in t.rows().filter(|r| r.index.len() == 1) {
        let (vm, state) = (row.integer(at + V_VM)?, row.integer(at + V_STATE)?);
        if vm.is_some() || state.is_some() {
            ports.insert(row.index[0], (vm, state));
        }
    }
    let any_state = ports.values().any(|(_, state)| state.is_some());
    // Without DynamicState, EncapsulationOperType says which ports trunk (and lists the
    // trunk ports that have no vmVlan).
    let mut encap: BTreeMap<u32, i64> = BTreeMap::new();
    let cisco = !vlans.exist.is_empty() || !ports.is_empty();
    if cisco && !any_state {
        for (index, v) in s.walk(&[trunk::ENCAPSULATION_OPER]).await?.remove(0) {
            if let ([i], Some(v)) = (index.as_slice(), v.as_integer()) {
                encap.insert(*i, v);
                ports.entry(*i).or_insert((None, None));
            }
        }
    }
    if vlans.exist.is_empty() && ports.is_empty() {
        return Ok(None);
    }
    let candidates: Vec<u32> = ports
        .iter()
        .filter(|(i, (_, state))| match state {
            Some(st) => may_trunk(*st),
            None => is_trunk(None, None, encap.get(i).copied()),
        })
        .map(|(i, _)| *i)
        .collect();
    let details = trunk_details(s, &candidates).await?;
    for (&if_index, &(vm, state)) in &ports {
        let d = details.get(&if_index);
        let trunk = is_trunk(
            state,
            d.and_then(|d| d.status),
            encap.get(&if_index).copied(),
        );
        vlans.ports.insert(
            if_index,
            port_vlan(vm, trunk, d.cloned().unwrap_or_default()),
        );
    }
    Ok(Some(vlans))
}

/// A port's VLAN state from its vmVlan, whether it trunks, and its trunk objects: an access
/// port's VLAN is vmVlan; a trunk's is its native VLAN, and its members the allowed VLANs but
/// the native one (which crosses untagged).
pub fn port_vlan(vm: Option<i64>, trunk: bool, d: TrunkDetails) -> PortVlan {
    if !trunk {
        return PortVlan {
            vlan: vm.and_then(vlan_number),
            trunk,
            members: BTreeSet::new(),
        };
    }
    let mut members = d.allowed;
    if let Some(n) = d.native {
        members.remove(&n);
    }
    PortVlan {
        vlan: d.native,
        trunk,
        members,
    }
}

/// A VLAN number from an INTEGER cell: 1..4094, anything else none.
pub fn vlan_number(v: i64) -> Option<u16> {
    u16::try_from(v).ok().filter(|v| (1..=4094).contains(v))
}

/// What a port that trunks (or may) says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrunkDetails {
    /// vlanTrunkPortDynamicStatus.
    pub status: Option<i64>,
    /// vlanTrunkPortNativeVlan.
    pub native: Option<u16>,
    /// The VLANs of its four bitmaps.
    pub allowed: BTreeSet<u16>,
}

/// The [`TrunkDetails`] of each of `ports`: one GET for a few, a walk for many.
pub async fn trunk_details(
    s: &Session,
    ports: &[u32],
) -> Result<BTreeMap<u32, TrunkDetails>, SnmpError> {
    let mut out = BTreeMap::new();
    if ports.is_empty() {
        return Ok(out);
    }
    let mut add = |if_index: u32, cells: [Option<&Value>; 6]| {
        let blocks: Vec<Option<&[u8]>> = cells[2..]
            .iter()
            .map(|c| c.and_then(Value::as_bytes))
            .collect();
        out.insert(
            if_index,
            TrunkDetails {
                status: cells[0].and_then(Value::as_integer),
                native: cells[1].and_then(Value::as_integer).and_then(vlan_number),
                allowed: allowed(&blocks),
            },
        );
    };
    if ports.len() <= TRUNKS_BY_GET {
        let oids: Vec<Vec<u32>> = ports
            .iter()
            .flat_map(|&i| TRUNK_COLUMNS.iter().map(move |c| [c, &[i][..]].concat()))
            .collect();
        let refs: Vec<&[u32]> = oids.iter().map(Vec::as_slice).collect();
        let got = s.get_optional(&refs).await?;
        for (k, &if_index) in ports.iter().enumerate() {
            let cell = |c: usize| got[k * TRUNK_COLUMNS.len() + c].as_ref().ok();
            add(if_index, std::array::from_fn(cell));
        }
    } else {
        let t = s.table(&TRUNK_COLUMNS).await?;
        for &if_index in ports {
            let row = t.row(&[if_index]);
            let cell = |c: usize| row.as_ref().and_then(|r| r.value(c));
            add(if_index, std::array::from_fn(cell));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_by_state_status_then_encapsulation() {
        // DynamicState on / onNoNegotiate: a trunk even when not trunking (link down).
        assert!(is_trunk(Some(1), Some(2), None));
        assert!(is_trunk(Some(5), None, None));
        // desirable / auto: what was negotiated.
        assert!(is_trunk(Some(3), Some(1), Some(4)));
        assert!(!is_trunk(Some(4), Some(2), Some(4)));
        assert!(!is_trunk(Some(2), None, Some(4)));
        // Neither column (five of the seven shared Cisco recordings): EncapsulationOperType.
        assert!(is_trunk(None, None, Some(4)));
        assert!(is_trunk(None, None, Some(1)));
        assert!(!is_trunk(None, None, Some(6)));
        assert!(!is_trunk(None, None, None));
    }

    #[test]
    fn bitmaps_are_read_past_their_trimmed_end_and_per_block() {
        // VLANs 1 and 10 in a 16-octet bitmap (trailing zeros trimmed), 1025 in the 2k block.
        let mut b1 = vec![0u8; 16];
        b1[0] = 0x40;
        b1[1] = 0x20;
        let b2 = [0x40u8];
        let got = allowed(&[Some(&b1), Some(&b2), None, Some(&[])]);
        assert_eq!(got, BTreeSet::from([1, 10, 1025]));
    }
}
