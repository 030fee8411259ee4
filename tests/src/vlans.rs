//! Switch VLAN recordings generated from the MIBs, each with the VLAN state a handler must
//! report about it: a Q-BRIDGE switch ([`QBridge`]) built on a generated IF-MIB switch
//! ([`crate::fixtures::SwitchRecording`]).
//!
//! The model is independent of handler code: it comes from the generator's knobs and from the
//! MIBs' and the protocol's definitions, written again here. Choices that catch real bugs:
//! - bridge port p is interface `if_index(1, p)` (10101, …), never p itself, so a handler that
//!   reads PortList bits as ifIndexes reports nothing right;
//! - PortLists are trimmed of trailing zero octets, as agents send them, and carry a set bit
//!   past the last bridge port (corrupted octets in two shared recordings), which no port may
//!   pick up;
//! - one VLAN has no name, VLAN 1 is every access port's old home, some ports are tagged in
//!   several VLANs (trunks) and one trunk's PVID is a VLAN it is also listed untagged in;
//! - the current table, beside the static one (or alone), puts a non-zero time mark first in the
//!   index (D-Link) and gives FDB ids that are not the VLAN ids (HP).
//!
//! Writable copies serve the membership through the test bed's `switch` variation module:
//! untagged lists move the PVID of the ports they add, rows of creatable VLANs appear on
//! createAndGo, and a `frozen` switch accepts every SET and never shows it.

use std::collections::{BTreeMap, BTreeSet};

use dci_protocol::{PortState, VlanId, VlanList};

use crate::fixtures::{Switch, SwitchRecording, if_index, oid};
use crate::snmprec::{Snmprec, Value};

/// BRIDGE-MIB dot1dBasePortIfIndex (`dot1dBasePortEntry` .2), by bridge port.
pub const BASE_PORT_IF_INDEX: &str = "1.3.6.1.2.1.17.1.4.1.2";
/// Q-BRIDGE-MIB dot1qVlanStaticEntry (name .1, egress .2, untagged .4, row status .5), by VLAN.
pub const STATIC_ENTRY: &str = "1.3.6.1.2.1.17.7.1.4.3.1";
/// Q-BRIDGE-MIB dot1qVlanCurrentEntry (FDB id .3, egress .4, untagged .5), by time mark and
/// VLAN.
pub const CURRENT_ENTRY: &str = "1.3.6.1.2.1.17.7.1.4.2.1";
/// Q-BRIDGE-MIB dot1qPvid (`dot1qPortVlanEntry` .1), by bridge port.
pub const PVID: &str = "1.3.6.1.2.1.17.7.1.4.5.1.1";

/// One port's VLAN state in the model: access VLAN (native on a trunk) and tagged VLANs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortVlans {
    /// dot1qPvid.
    pub pvid: u16,
    /// VLANs the port is tagged in; non-empty makes it a trunk.
    pub tagged: BTreeSet<u16>,
}

/// A Q-BRIDGE switch to generate: `ports` Ethernet ports, VLANs with names, access ports
/// spread over them and every sixth port a trunk.
#[derive(Debug, Clone)]
pub struct QBridge {
    ports: u32,
    /// VLAN → name ("" for none).
    vlans: BTreeMap<u16, String>,
    /// VLANs a writable copy can create (rows absent until createAndGo).
    creatable: BTreeSet<u16>,
    current_only: bool,
    writable: bool,
    frozen: bool,
    single: bool,
    pvid_follows: bool,
    macs_per_port: u32,
    dot1d_fdb: bool,
    object_id: String,
    hostname: String,
}

impl QBridge {
    /// A switch with `ports` ports and VLANs 1 (default), 10, 20, 30, 40 (unnamed) and 100.
    pub fn new(ports: u32) -> QBridge {
        let vlans = [
            (1, "default"),
            (10, "servers"),
            (20, "storage"),
            (30, "backup"),
            (40, ""),
            (100, "mgmt"),
        ];
        QBridge {
            ports,
            vlans: vlans.iter().map(|(v, n)| (*v, (*n).to_owned())).collect(),
            creatable: BTreeSet::new(),
            current_only: false,
            writable: false,
            frozen: false,
            single: false,
            pvid_follows: true,
            macs_per_port: 2,
            dot1d_fdb: false,
            // An HP ProCurve (hpe-procurve-516733-b21).
            object_id: "1.3.6.1.4.1.11.2.3.7.11.107".into(),
            hostname: format!("qb-{ports}"),
        }
    }

    /// `n` more VLANs, 200, 201, …, named `vlanN`.
    pub fn more_vlans(mut self, n: u16) -> QBridge {
        for v in 200..200 + n {
            self.vlans.insert(v, format!("vlan{v}"));
        }
        self
    }

    /// Membership only in dot1qVlanCurrentTable (time mark 1590), no static table.
    pub fn current_only(mut self, yes: bool) -> QBridge {
        self.current_only = yes;
        self
    }

    /// PVIDs and static membership writable (the `switch` variation module).
    pub fn writable(mut self, yes: bool) -> QBridge {
        self.writable = yes;
        self
    }

    /// A VLAN that does not exist until created over SNMP.
    pub fn creatable(mut self, vlan: u16) -> QBridge {
        self.creatable.insert(vlan);
        self.writable = true;
        self
    }

    /// Writable objects that accept SETs and never change.
    pub fn frozen(mut self, yes: bool) -> QBridge {
        self.frozen = yes;
        self.writable = true;
        self
    }

    /// An agent that refuses SETs of more than one binding (inconsistentValue).
    pub fn single_binding_sets(mut self, yes: bool) -> QBridge {
        self.single = yes;
        self.writable = true;
        self
    }

    /// MACs learned on each port (default 2), in dot1qTpFdbTable under its VLAN's FDB id.
    pub fn macs_per_port(mut self, n: u32) -> QBridge {
        self.macs_per_port = n;
        self
    }

    /// The forwarding table in BRIDGE-MIB's dot1dTpFdbTable instead (no Q-BRIDGE one).
    pub fn dot1d_fdb(mut self, yes: bool) -> QBridge {
        self.dot1d_fdb = yes;
        self
    }

    /// The FDB id of `vlan`: its position among the VLANs, from 1 (not the VLAN id, as on HP).
    pub fn fdb_id(&self, vlan: u16) -> u32 {
        (1u32..)
            .zip(self.vlans.keys())
            .find(|(_, v)| **v == vlan)
            .map_or(0, |(f, _)| f)
    }

    /// The MACs learned on bridge port `bp`, with the VLAN each was learned in.
    fn learned(&self, bp: u32) -> Vec<(u16, [u8; 6])> {
        let pvid = self.port(bp).pvid;
        let mut out: Vec<(u16, [u8; 6])> = (0..self.macs_per_port)
            .map(|k| {
                (
                    pvid,
                    [
                        0x02,
                        0x00,
                        (bp >> 8) as u8,
                        bp as u8,
                        (k >> 8) as u8,
                        k as u8,
                    ],
                )
            })
            .collect();
        // The same MAC learned in two VLANs on one port: reported once.
        if bp == 1 && self.macs_per_port > 0 {
            out.push((10, out[0].1));
        }
        out
    }

    /// What `mac_list` must answer: every interface, with the MACs learned on its bridge port.
    pub fn expected_macs(&self, sw: &Switch) -> Vec<PortState> {
        sw.interfaces
            .iter()
            .map(|i| {
                let mut p = PortState::new(i.if_index.to_string());
                let macs: BTreeSet<[u8; 6]> = self
                    .bridge_ports()
                    .filter(|bp| QBridge::if_index(*bp) == i.if_index)
                    .flat_map(|bp| self.learned(bp).into_iter().map(|(_, m)| m))
                    .collect();
                p.macs = macs.into_iter().map(dci_protocol::MacAddr).collect();
                p
            })
            .collect()
    }

    /// Whether dot1qPvid follows untagged membership (most switches) or stays until written.
    pub fn pvid_follows(mut self, yes: bool) -> QBridge {
        self.pvid_follows = yes;
        self.writable = true;
        self
    }

    /// sysObjectID.
    pub fn object_id(mut self, oid: &str) -> QBridge {
        self.object_id = oid.to_owned();
        self
    }

    /// The VLANs of the switch and their names.
    pub fn vlans(&self) -> &BTreeMap<u16, String> {
        &self.vlans
    }

    /// The bridge port numbers, 1 to `ports`.
    pub fn bridge_ports(&self) -> impl Iterator<Item = u32> {
        1..=self.ports
    }

    /// The interface of bridge port `bp`.
    pub fn if_index(bp: u32) -> u32 {
        if_index(1, bp)
    }

    /// Port `bp`'s state as generated: every sixth port (bp 6, 12, …) a trunk with native VLAN
    /// 1 and VLANs 10 and 20 tagged (and 30 on every twelfth); the others access ports in 1,
    /// 10, 20, 30, 40 and 100 in turn.
    pub fn port(&self, bp: u32) -> PortVlans {
        let access: Vec<u16> = [1, 10, 20, 30, 40, 100].into();
        if bp.is_multiple_of(6) {
            let mut tagged = BTreeSet::from([10, 20]);
            if bp.is_multiple_of(12) {
                tagged.insert(30);
            }
            PortVlans { pvid: 1, tagged }
        } else {
            PortVlans {
                pvid: access[(bp as usize) % access.len()],
                tagged: BTreeSet::new(),
            }
        }
    }

    /// The ports of `vlan`: (egress, untagged) bridge ports.
    fn members(&self, vlan: u16) -> (BTreeSet<u32>, BTreeSet<u32>) {
        let mut egress = BTreeSet::new();
        let mut untagged = BTreeSet::new();
        for bp in self.bridge_ports() {
            let p = self.port(bp);
            if p.pvid == vlan {
                egress.insert(bp);
                untagged.insert(bp);
            } else if p.tagged.contains(&vlan) {
                egress.insert(bp);
            }
        }
        (egress, untagged)
    }

    /// The recording (with the IF-MIB switch under it) and the switch's interfaces.
    pub fn build(&self) -> (Snmprec, Switch) {
        let sw = SwitchRecording::new(self.ports)
            .port_table(false)
            .hostname(&self.hostname)
            .build();
        let mut rec = sw.recording.clone();
        rec.add(
            crate::fixtures::system::OBJECT_ID,
            Value::Oid(self.object_id.clone()),
        );
        let opts = |extra: &str| {
            let mut o = String::new();
            if self.frozen {
                o.push_str(",frozen=1");
            }
            if self.single {
                o.push_str(",single=1");
            }
            o.push_str(extra);
            o
        };
        for bp in self.bridge_ports() {
            rec.add(
                &format!("{BASE_PORT_IF_INDEX}.{bp}"),
                Value::Integer(QBridge::if_index(bp) as i32),
            );
            let pvid = u32::from(self.port(bp).pvid);
            let at = format!("{PVID}.{bp}");
            if self.writable {
                rec.variation(
                    &at,
                    &format!("66:switch|role=cell,value={pvid}{}", opts("")),
                );
            } else {
                rec.add(&at, Value::Gauge32(pvid));
            }
        }
        // A set bit past the last bridge port: corrupted octets no port may pick up.
        let stray = self.ports + 9;
        let mut rows: Vec<(u16, String, bool)> = self
            .vlans
            .iter()
            .map(|(v, n)| (*v, n.clone(), false))
            .collect();
        rows.extend(self.creatable.iter().map(|v| (*v, String::new(), true)));
        for (fdb, (vlan, name, absent)) in (1u32..).zip(rows) {
            let (mut egress, untagged) = self.members(vlan);
            if vlan == 1 {
                egress.insert(stray);
            }
            let (e, u) = (port_list(&egress), port_list(&untagged));
            // dot1qVlanCurrentTable beside the static one, as switches keep both: time mark
            // 1590 (D-Link's), FDB ids counting up, not the VLAN ids (HP's).
            if !absent {
                let cur = |col: u32| oid(CURRENT_ENTRY, col, &[1590, u32::from(vlan)]);
                rec.add(&cur(3), Value::Gauge32(fdb))
                    .add(&cur(4), Value::OctetString(e.clone()))
                    .add(&cur(5), Value::OctetString(u.clone()));
            }
            if self.current_only {
                continue;
            }
            let st = |col: u32| oid(STATIC_ENTRY, col, &[u32::from(vlan)]);
            if !self.writable {
                rec.add(&st(1), Value::string(&name))
                    .add(&st(2), Value::OctetString(e))
                    .add(&st(4), Value::OctetString(u))
                    .add(&st(5), Value::Integer(1));
                continue;
            }
            let row = if absent {
                format!(",row=v{vlan},absent=1")
            } else {
                String::new()
            };
            rec.variation(
                &st(1),
                &format!("4:switch|role=cell,hexvalue={}{row}", hex(name.as_bytes())),
            )
            .variation(
                &st(2),
                &format!("4:switch|role=cell,hexvalue={}{}", hex(&e), opts(&row)),
            )
            .variation(
                &st(4),
                &format!(
                    "4:switch|role={},pvid={PVID},hexvalue={}{}",
                    if self.pvid_follows {
                        "untagged"
                    } else {
                        "cell"
                    },
                    hex(&u),
                    opts(&row)
                ),
            )
            .variation(
                &st(5),
                &format!("2:switch|role=rowstatus,row=v{vlan},value=1{row}"),
            );
        }
        self.forwarding_table(&mut rec);
        (rec, sw)
    }

    /// dot1qTpFdbTable (or dot1dTpFdbTable): every port's learned MACs, and the entries no
    /// port may report: the switch's own MAC (self), a management entry, one learned on bridge
    /// port 0.
    fn forwarding_table(&self, rec: &mut Snmprec) {
        let mut entries: Vec<(u16, [u8; 6], u32, i32)> = Vec::new();
        for bp in self.bridge_ports() {
            entries.extend(self.learned(bp).into_iter().map(|(v, m)| (v, m, bp, 3)));
        }
        entries.push((1, [0x02, 0xff, 0, 0, 0, 1], 0, 4));
        entries.push((1, [0x02, 0xff, 0, 0, 0, 2], 1, 5));
        entries.push((1, [0x02, 0xff, 0, 0, 0, 3], 0, 3));
        for (vlan, mac, bp, status) in entries {
            let mac: Vec<u32> = mac.iter().map(|b| u32::from(*b)).collect();
            let (entry, index) = if self.dot1d_fdb {
                (D_FDB_ENTRY, mac)
            } else {
                (Q_FDB_ENTRY, [vec![self.fdb_id(vlan)], mac].concat())
            };
            rec.add(&oid(entry, 2, &index), Value::Integer(bp as i32))
                .add(&oid(entry, 3, &index), Value::Integer(status));
        }
    }

    /// What `status` must answer for every interface: the IF-MIB part from the switch's own
    /// model, and for each bridge port vlan_id = PVID, its name (none for an unnamed VLAN),
    /// is_trunk when tagged in some VLAN, and the tagged VLANs ascending.
    pub fn expected_status(&self, sw: &Switch) -> Vec<PortState> {
        let mut ports = sw.expected_status();
        for bp in self.bridge_ports() {
            let want = self.port(bp);
            let p = ports
                .iter_mut()
                .find(|p| p.identity == QBridge::if_index(bp).to_string())
                .expect("every bridge port is an interface");
            self.fill(&want, p);
        }
        ports
    }

    /// Fills the VLAN elements the protocol reports for `v` into `p`.
    pub fn fill(&self, v: &PortVlans, p: &mut PortState) {
        p.vlan_id = VlanId::new(v.pvid);
        p.vlan_name = self.vlans.get(&v.pvid).filter(|n| !n.is_empty()).cloned();
        p.is_trunk = Some(!v.tagged.is_empty());
        p.trunk_members = (!v.tagged.is_empty())
            .then(|| VlanList(v.tagged.iter().filter_map(|t| VlanId::new(*t)).collect()));
    }
}

/// A PortList of `ports` (bridge port p is bit p−1 from the most significant bit of octet 0),
/// trailing zero octets trimmed as agents send them.
pub fn port_list(ports: &BTreeSet<u32>) -> Vec<u8> {
    let len = ports.last().map_or(0, |p| (*p as usize - 1) / 8 + 1);
    let mut out = vec![0u8; len];
    for p in ports {
        out[(*p as usize - 1) / 8] |= 0x80 >> ((p - 1) % 8);
    }
    out
}

/// The ports of a PortList.
pub fn ports_of(list: &[u8]) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for (i, b) in list.iter().enumerate() {
        for k in 0..8 {
            if b & (0x80 >> k) != 0 {
                out.insert(i as u32 * 8 + k + 1);
            }
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_lists_trim_and_round_trip() {
        let s = BTreeSet::from([1, 9, 17]);
        assert_eq!(port_list(&s), vec![0x80, 0x80, 0x80]);
        assert_eq!(ports_of(&port_list(&s)), s);
        assert!(port_list(&BTreeSet::new()).is_empty());
    }

    #[test]
    fn every_sixth_port_is_a_trunk() {
        let q = QBridge::new(24);
        assert!(!q.port(6).tagged.is_empty() && q.port(5).tagged.is_empty());
        assert_eq!(q.port(12).tagged, BTreeSet::from([10, 20, 30]));
        let (e, u) = q.members(10);
        assert!(e.contains(&6) && !u.contains(&6));
    }
}

/// CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB and CISCO-PRIVATE-VLAN-MIB objects, from the MIBs.
pub mod cisco {
    /// vmVlan, by ifIndex.
    pub const VM_VLAN: &str = "1.3.6.1.4.1.9.9.68.1.2.2.1.2";
    /// vlanTrunkPortEntry: EncapsulationType .3, VlansEnabled .4, NativeVlan .5,
    /// DynamicState .13, DynamicStatus .14, EncapsulationOperType .16, VlansEnabled2k/3k/4k
    /// .17/.18/.19; by ifIndex.
    pub const TRUNK_ENTRY: &str = "1.3.6.1.4.1.9.9.46.1.6.1.1";
    /// vlanTrunkPortSetSerialNo.0.
    pub const SET_SERIAL_NO: &str = "1.3.6.1.4.1.9.9.46.1.6.2.0";
    /// vtpVlanEntry: State .2, Type .3, Name .4; by domain.vlan.
    pub const VTP_VLAN_ENTRY: &str = "1.3.6.1.4.1.9.9.46.1.3.1.1";
    /// managementDomainLocalMode, by domain.
    pub const DOMAIN_LOCAL_MODE: &str = "1.3.6.1.4.1.9.9.46.1.2.1.1.3";
    /// vtpEditControlEntry: Operation .1, ApplyStatus .2, BufferOwner .3; by domain.
    pub const EDIT_CONTROL_ENTRY: &str = "1.3.6.1.4.1.9.9.46.1.4.1.1";
    /// vtpVlanEditEntry: Type .3, Name .4, Dot10Said .6, RowStatus .11; by domain.vlan.
    pub const EDIT_ENTRY: &str = "1.3.6.1.4.1.9.9.46.1.4.2.1";
    /// cpvlanVlanEntry: PrivateVlanType .1, AssociatedPrimaryVlan .2; by domain.vlan.
    pub const PVLAN_VLAN_ENTRY: &str = "1.3.6.1.4.1.9.9.173.1.1.1.1";
    /// cpvlanPrivatePortSecondaryVlan, by ifIndex.
    pub const PVLAN_PORT_SECONDARY: &str = "1.3.6.1.4.1.9.9.173.1.2.1.1.1";
    /// cpvlanPromPortEntry: SecondaryRemap .2, 2k .3, 3k .4, 4k .5; by ifIndex.
    pub const PVLAN_PROM_ENTRY: &str = "1.3.6.1.4.1.9.9.173.1.2.2.1";
    /// cpvlanPortMode, by ifIndex.
    pub const PVLAN_PORT_MODE: &str = "1.3.6.1.4.1.9.9.173.1.2.3.1.1";
}

/// One VLAN of a generated Catalyst.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiscoVlan {
    /// vtpVlanName.
    pub name: String,
    /// vtpVlanState: operational(1), suspended(2).
    pub state: i32,
    /// vtpVlanType: ethernet(1), fddi(2), tokenRing(3), fddiNet(4), trNet(5).
    pub kind: i32,
    /// cpvlanVlanPrivateVlanType: normal(1) primary(2) isolated(3) community(4).
    pub pvlan: i32,
    /// cpvlanVlanAssociatedPrimaryVlan (0: none).
    pub primary: u16,
}

/// One port of a generated Catalyst.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiscoPort {
    /// vmVlan of an access port.
    pub access: Option<u16>,
    /// vlanTrunkPortDynamicState: on(1) off(2) desirable(3).
    pub dyn_state: i32,
    /// vlanTrunkPortDynamicStatus: trunking(1) notTrunking(2).
    pub dyn_status: i32,
    /// vlanTrunkPortNativeVlan.
    pub native: u16,
    /// The VLANs of the four VlansEnabled bitmaps.
    pub enabled: BTreeSet<u16>,
    /// vlanTrunkPortEncapsulationType: dot1Q(4), negotiate(5).
    pub encap: i32,
}

impl CiscoPort {
    /// Whether it trunks: DynamicState on, or DynamicStatus trunking.
    pub fn trunk(&self) -> bool {
        self.dyn_state == 1 || self.dyn_status == 1
    }
}

/// A Catalyst to generate: a stack-less IOS switch with CISCO-STACK-MIB's portTable (the IF-MIB
/// part is [`SwitchRecording`]'s), its VTP VLANs, access ports and trunks.
#[derive(Debug, Clone)]
pub struct Catalyst {
    ports: u32,
    legacy: bool,
    writable: bool,
    frozen: bool,
    mode: i32,
    creatable: BTreeSet<u16>,
    pvlan: bool,
    trunk_vm_vlan: bool,
    more: u16,
    macs_per_port: u8,
    ent_logical: Option<String>,
    object_id: String,
}

impl Catalyst {
    /// A 48-port (or `ports`) Catalyst 3750 in VTP server mode with CISCO-PRIVATE-VLAN-MIB.
    pub fn new(ports: u32) -> Catalyst {
        Catalyst {
            ports,
            legacy: false,
            writable: false,
            frozen: false,
            mode: 2,
            creatable: BTreeSet::new(),
            pvlan: true,
            trunk_vm_vlan: true,
            more: 0,
            macs_per_port: 2,
            ent_logical: None,
            object_id: "1.3.6.1.4.1.9.1.516".into(),
        }
    }

    /// Without vlanTrunkPortDynamicState and DynamicStatus (five of the seven shared Cisco
    /// recordings): trunks show only in EncapsulationOperType.
    pub fn legacy(mut self, yes: bool) -> Catalyst {
        self.legacy = yes;
        self
    }

    /// VLAN objects writable through the `switch` variation module.
    pub fn writable(mut self, yes: bool) -> Catalyst {
        self.writable = yes;
        self
    }

    /// Writable objects that accept SETs and never change.
    pub fn frozen(mut self, yes: bool) -> Catalyst {
        self.frozen = yes;
        self.writable = true;
        self
    }

    /// managementDomainLocalMode: client(1) server(2) transparent(3) off(4).
    pub fn vtp_mode(mut self, mode: i32) -> Catalyst {
        self.mode = mode;
        self
    }

    /// A VLAN the VTP edit buffer can create.
    pub fn creatable(mut self, vlan: u16) -> Catalyst {
        self.creatable.insert(vlan);
        self.writable = true;
        self
    }

    /// With or without CISCO-PRIVATE-VLAN-MIB.
    pub fn pvlan(mut self, yes: bool) -> Catalyst {
        self.pvlan = yes;
        self
    }

    /// ENTITY-MIB's entLogicalTable naming each VLAN's bridge `NAME@VLAN` (type BRIDGE-MIB), as
    /// a Catalyst lists its logical entities with the community that reaches each.
    pub fn ent_logical(mut self, name: &str) -> Catalyst {
        self.ent_logical = Some(name.to_owned());
        self
    }

    /// MACs learned on each access port in its VLAN (default 2; a trunk learns one per VLAN).
    pub fn macs_per_port(mut self, n: u8) -> Catalyst {
        self.macs_per_port = n;
        self
    }

    /// `n` more VLANs, 2000, 2001, …, named `vlanN`, access ports spread over them too.
    pub fn more_vlans(mut self, n: u16) -> Catalyst {
        self.more = n;
        self
    }

    /// Whether a writable copy has a vmVlan instance for its trunks (a recorded Catalyst has
    /// none: CISCO-VLAN-MEMBERSHIP-MIB lists access ports).
    pub fn trunk_vm_vlan(mut self, yes: bool) -> Catalyst {
        self.trunk_vm_vlan = yes;
        self
    }

    /// sysObjectID.
    pub fn object_id(mut self, oid: &str) -> Catalyst {
        self.object_id = oid.to_owned();
        self
    }

    /// The VLANs: 1, 10, 20, 30, 100, 1500 (in the second bitmap block), 40 suspended, the
    /// private VLANs 200 (primary), 201 (isolated) and 202 (community) of it, and the reserved
    /// 1002–1005 (FDDI and Token Ring types).
    pub fn vlans(&self) -> BTreeMap<u16, CiscoVlan> {
        let v = |name: &str, state, kind, pvlan, primary| CiscoVlan {
            name: name.to_owned(),
            state,
            kind,
            pvlan,
            primary,
        };
        BTreeMap::from([
            (1, v("default", 1, 1, 1, 0)),
            (10, v("servers", 1, 1, 1, 0)),
            (20, v("storage", 1, 1, 1, 0)),
            (30, v("backup", 1, 1, 1, 0)),
            (40, v("parked", 2, 1, 1, 0)),
            (100, v("mgmt", 1, 1, 1, 0)),
            (200, v("pv-primary", 1, 1, 2, 0)),
            (201, v("pv-isolated", 1, 1, 3, 200)),
            (202, v("pv-community", 1, 1, 4, 200)),
            (1002, v("fddi-default", 1, 2, 1, 0)),
            (1003, v("token-ring-default", 1, 3, 1, 0)),
            (1004, v("fddinet-default", 1, 4, 1, 0)),
            (1005, v("trnet-default", 1, 5, 1, 0)),
            (1500, v("far", 1, 1, 1, 0)),
        ])
        .into_iter()
        .chain((2000..2000 + self.more).map(|n| (n, v(&format!("vlan{n}"), 1, 1, 1, 0))))
        .collect()
    }

    /// Port `p` (1 to `ports`, ifIndex `if_index(1, p)`): every sixth a trunk (on, native 1,
    /// VLANs 1, 10, 20; every twelfth desirable and trunking, native 100, VLANs 10, 30, 40
    /// (suspended), 100, 1002 (FDDI), 1500 and 999, which does not exist); the others access
    /// ports in 1, 10, 20, 30, 100.
    pub fn port(&self, p: u32) -> CiscoPort {
        if p.is_multiple_of(12) {
            CiscoPort {
                access: None,
                dyn_state: 3,
                dyn_status: 1,
                native: 100,
                enabled: BTreeSet::from([10, 30, 40, 100, 999, 1002, 1500]),
                encap: 4,
            }
        } else if p.is_multiple_of(6) {
            CiscoPort {
                access: None,
                dyn_state: 1,
                dyn_status: 1,
                native: 1,
                enabled: BTreeSet::from([1, 10, 20]),
                encap: 4,
            }
        } else {
            let mut access: Vec<u16> = vec![1, 10, 20, 30, 100];
            access.extend(2000..2000 + self.more);
            CiscoPort {
                access: Some(access[(p as usize) % access.len()]),
                dyn_state: 2,
                dyn_status: 2,
                native: 1,
                // A Catalyst allows every VLAN on a port until told otherwise.
                enabled: (1..=1005).collect(),
                encap: 5,
            }
        }
    }

    /// The recording and the IF-MIB switch under it.
    pub fn build(&self) -> (Snmprec, Switch) {
        let sw = SwitchRecording::new(self.ports)
            .hostname(&format!("cat-{}", self.ports))
            .build();
        let mut rec = sw.recording.clone();
        rec.add(
            crate::fixtures::system::OBJECT_ID,
            Value::Oid(self.object_id.clone()),
        );
        let frozen = if self.frozen { ",frozen=1" } else { "" };
        let int = |rec: &mut Snmprec, oid: &str, v: i32, writable: bool| {
            if writable {
                rec.variation(oid, &format!("2:switch|role=cell,value={v}{frozen}"));
            } else {
                rec.add(oid, Value::Integer(v));
            }
        };
        let octets = |rec: &mut Snmprec, oid: &str, v: Vec<u8>, writable: bool| {
            if writable {
                rec.variation(
                    oid,
                    &format!("4:switch|role=cell,hexvalue={}{frozen}", hex(&v)),
                );
            } else {
                rec.add(oid, Value::OctetString(v));
            }
        };
        let w = self.writable;
        for p in 1..=self.ports {
            let i = if_index(1, p);
            let port = self.port(p);
            let t = |col: u32| oid(cisco::TRUNK_ENTRY, col, &[i]);
            let vm = format!("{}.{i}", cisco::VM_VLAN);
            match port.access {
                Some(v) => int(&mut rec, &vm, i32::from(v), w),
                // No vmVlan instance on a trunk, unless the copy must be able to make it an
                // access port.
                None if w && self.trunk_vm_vlan => int(&mut rec, &vm, 1, w),
                None => {}
            }
            int(&mut rec, &t(3), port.encap, w);
            int(&mut rec, &t(5), i32::from(port.native), w);
            for k in 0..4u16 {
                let block: BTreeSet<u32> = port
                    .enabled
                    .iter()
                    .filter(|v| **v / 1024 == k)
                    .map(|v| u32::from(*v))
                    .collect();
                octets(
                    &mut rec,
                    &t([4, 17, 18, 19][k as usize]),
                    bitmap(&block, k),
                    w,
                );
            }
            if !self.legacy {
                int(&mut rec, &t(13), port.dyn_state, w);
                let status = t(14);
                if w {
                    // Trunking follows the configured mode: on → trunking, off → not.
                    rec.variation(
                        &status,
                        &format!(
                            "2:switch|role=follow,of={},map=1>1/5>1/2>2,value={}",
                            t(13),
                            port.dyn_status
                        ),
                    );
                } else {
                    rec.add(&status, Value::Integer(port.dyn_status));
                }
            }
            let oper = if port.trunk() { 4 } else { 6 };
            if w && !self.legacy {
                rec.variation(
                    &t(16),
                    &format!(
                        "2:switch|role=follow,of={},map=1>4/5>4/2>6,value={oper}",
                        t(13)
                    ),
                );
            } else {
                rec.add(&t(16), Value::Integer(oper));
            }
            if self.pvlan {
                int(&mut rec, &format!("{}.{i}", cisco::PVLAN_PORT_MODE), 1, w);
                int(
                    &mut rec,
                    &format!("{}.{i}", cisco::PVLAN_PORT_SECONDARY),
                    0,
                    w,
                );
                for col in 2..=5 {
                    octets(
                        &mut rec,
                        &oid(cisco::PVLAN_PROM_ENTRY, col, &[i]),
                        Vec::new(),
                        w,
                    );
                }
            }
        }
        int(&mut rec, cisco::SET_SERIAL_NO, 7, w);
        if let Some(name) = &self.ent_logical {
            for (k, vlan) in (1u32..).zip(self.vlans().into_keys()) {
                let e = |col: u32| oid(ENT_LOGICAL_ENTRY, col, &[k]);
                rec.add(&e(2), Value::string(&format!("vlan{vlan}")))
                    .add(&e(3), Value::Oid("1.3.6.1.2.1.17".into()))
                    .add(&e(4), Value::string(&format!("{name}@{vlan}")));
            }
        }
        rec.add(
            &format!("{}.1", cisco::DOMAIN_LOCAL_MODE),
            Value::Integer(self.mode),
        );
        for (vlan, v) in self.vlans() {
            let at = |entry: &str, col: u32| oid(entry, col, &[1, u32::from(vlan)]);
            rec.add(&at(cisco::VTP_VLAN_ENTRY, 2), Value::Integer(v.state))
                .add(&at(cisco::VTP_VLAN_ENTRY, 3), Value::Integer(v.kind))
                .add(&at(cisco::VTP_VLAN_ENTRY, 4), Value::string(&v.name));
            if self.pvlan {
                rec.add(&at(cisco::PVLAN_VLAN_ENTRY, 1), Value::Integer(v.pvlan))
                    .add(
                        &at(cisco::PVLAN_VLAN_ENTRY, 2),
                        Value::Integer(i32::from(v.primary)),
                    );
            }
        }
        if w {
            let ctl = |col: u32| oid(cisco::EDIT_CONTROL_ENTRY, col, &[1]);
            rec.variation(&ctl(1), "2:switch|role=editop,value=1")
                .add(&ctl(2), Value::Integer(2))
                .variation(&ctl(3), "4:switch|role=cell,hexvalue=");
            for &vlan in &self.creatable {
                let e = |col: u32| oid(cisco::EDIT_ENTRY, col, &[1, u32::from(vlan)]);
                let row = format!("row=edit{vlan},absent=1");
                rec.variation(&e(3), &format!("2:switch|role=cell,value=0,{row}"))
                    .variation(&e(4), &format!("4:switch|role=cell,hexvalue=,{row}"))
                    .variation(&e(6), &format!("4:switch|role=cell,hexvalue=,{row}"))
                    .variation(&e(11), &format!("2:switch|role=rowstatus,value=1,{row}"));
                let at = |col: u32| oid(cisco::VTP_VLAN_ENTRY, col, &[1, u32::from(vlan)]);
                let applied = format!("applied=edit{vlan}");
                rec.variation(&at(2), &format!("2:switch|role=cell,value=1,{applied}"))
                    .variation(&at(3), &format!("2:switch|role=cell,value=1,{applied}"))
                    .variation(
                        &at(4),
                        &format!("4:switch|role=cell,hexvalue=,from={},{applied}", e(4)),
                    );
            }
        }
        (rec, sw)
    }

    /// What `status` must answer: the IF-MIB part from the switch's own model; for each port,
    /// vlan_id = vmVlan (a trunk: its native VLAN), its vtpVlanName, is_trunk by DynamicState
    /// on or DynamicStatus trunking (legacy: EncapsulationOperType dot1Q), and for a trunk the
    /// VLANs of its bitmaps that exist, ascending, the native one left out.
    pub fn expected_status(&self, sw: &Switch) -> Vec<PortState> {
        let vlans = self.vlans();
        let mut ports = sw.expected_status();
        for p in 1..=self.ports {
            let port = self.port(p);
            let want = ports
                .iter_mut()
                .find(|s| s.identity == if_index(1, p).to_string())
                .expect("every port is an interface");
            let trunk = port.trunk();
            let vlan = if trunk {
                port.native
            } else {
                port.access.unwrap_or(1)
            };
            want.vlan_id = VlanId::new(vlan);
            want.vlan_name = vlans.get(&vlan).map(|v| v.name.clone());
            want.is_trunk = Some(trunk);
            want.trunk_members = trunk.then(|| {
                VlanList(
                    port.enabled
                        .iter()
                        .filter(|v| vlans.contains_key(v) && **v != port.native)
                        .filter_map(|v| VlanId::new(*v))
                        .collect(),
                )
            });
        }
        ports
    }
}

impl Catalyst {
    /// The VLANs whose bridge a `mac_list` reads: used by a port (access, native, trunk
    /// member that exists), operational, ethernet, not 1002–1005.
    pub fn mac_vlans(&self) -> BTreeSet<u16> {
        let vlans = self.vlans();
        (1..=self.ports)
            .flat_map(|p| {
                let port = self.port(p);
                let own = if port.trunk() {
                    port.native
                } else {
                    port.access.unwrap_or(1)
                };
                let mut used = vec![own];
                if port.trunk() {
                    used.extend(port.enabled.iter().copied());
                }
                used
            })
            .filter(|v| {
                vlans
                    .get(v)
                    .is_some_and(|x| x.state == 1 && x.kind == 1 && !(1002..=1005).contains(v))
            })
            .collect()
    }

    /// The ports of VLAN `vlan`'s bridge: access ports in it, trunks that carry it.
    fn vlan_ports(&self, vlan: u16) -> Vec<u32> {
        (1..=self.ports)
            .filter(|&p| {
                let port = self.port(p);
                if port.trunk() {
                    port.native == vlan || port.enabled.contains(&vlan)
                } else {
                    port.access == Some(vlan)
                }
            })
            .collect()
    }

    /// The MACs learned on port `p` in VLAN `vlan`: two on an access port, one on a trunk.
    fn learned(&self, vlan: u16, p: u32) -> Vec<[u8; 6]> {
        let n = if self.port(p).trunk() {
            1
        } else {
            self.macs_per_port
        };
        (0..n)
            .map(|k| [0x00, 0x1b, (vlan >> 8) as u8, vlan as u8, p as u8, k])
            .collect()
    }

    /// Each VLAN's bridge instance as Cisco serves it (community `NAME@VLAN`): bridge ports 1…
    /// for the ports in the VLAN (dot1dBasePortIfIndex), and dot1dTpFdbTable with the MACs
    /// learned there, the switch's own MAC (self), a management entry and one learned on bridge
    /// port 0, which no port may report. Also the suspended VLAN 40 and FDDI 1002, each with a
    /// MAC no answer may hold (they must never be read).
    pub fn vlan_instances(&self) -> Vec<(u16, Snmprec)> {
        let mut out = Vec::new();
        for vlan in self.mac_vlans().into_iter().chain([40, 1002]) {
            let mut rec = Snmprec::new();
            let fdb = |rec: &mut Snmprec, mac: [u8; 6], bp: u32, status: i32| {
                let idx: Vec<u32> = mac.iter().map(|b| u32::from(*b)).collect();
                rec.add(&oid(D_FDB_ENTRY, 2, &idx), Value::Integer(bp as i32))
                    .add(&oid(D_FDB_ENTRY, 3, &idx), Value::Integer(status));
            };
            for (bp, p) in (1u32..).zip(self.vlan_ports(vlan)) {
                rec.add(
                    &format!("{BASE_PORT_IF_INDEX}.{bp}"),
                    Value::Integer(if_index(1, p) as i32),
                );
                for mac in self.learned(vlan, p) {
                    fdb(&mut rec, mac, bp, 3);
                }
            }
            fdb(&mut rec, [0x00, 0x1b, 0xff, 0xff, 0xff, 0x01], 0, 4);
            fdb(&mut rec, [0x00, 0x1b, 0xff, 0xff, 0xff, 0x02], 1, 5);
            fdb(&mut rec, [0x00, 0x1b, 0xff, 0xff, 0xff, 0x03], 0, 3);
            if vlan == 40 || vlan == 1002 {
                fdb(&mut rec, [0xde, 0xad, 0, 0, vlan as u8, 1], 1, 3);
            }
            rec.add(crate::fixtures::system::DESCR, Value::string("VLAN bridge"));
            out.push((vlan, rec));
        }
        out
    }

    /// What `mac_list` must answer from the VLANs in `answering`: every interface, with the
    /// MACs learned on it in those VLANs.
    pub fn expected_macs(&self, sw: &Switch, answering: &BTreeSet<u16>) -> Vec<PortState> {
        sw.interfaces
            .iter()
            .map(|i| {
                let mut p = PortState::new(i.if_index.to_string());
                let mut macs = BTreeSet::new();
                for &vlan in answering {
                    for port in self.vlan_ports(vlan) {
                        if if_index(1, port) == i.if_index {
                            macs.extend(self.learned(vlan, port));
                        }
                    }
                }
                p.macs = macs.into_iter().map(dci_protocol::MacAddr).collect();
                p
            })
            .collect()
    }
}

/// ENTITY-MIB entLogicalEntry (descr .2, type .3, community .4), by entLogicalIndex.
pub const ENT_LOGICAL_ENTRY: &str = "1.3.6.1.2.1.47.1.2.1.1";

/// BRIDGE-MIB dot1dTpFdbEntry (port .2, status .3), by MAC.
pub const D_FDB_ENTRY: &str = "1.3.6.1.2.1.17.4.3.1";
/// Q-BRIDGE-MIB dot1qTpFdbEntry (port .2, status .3), by FDB id and MAC.
pub const Q_FDB_ENTRY: &str = "1.3.6.1.2.1.17.7.1.2.2.1";

/// A Cisco VLAN bitmap of block `k` (VLANs 1024·k …), trailing zero octets trimmed as a
/// Catalyst sends them.
pub fn bitmap(vlans: &BTreeSet<u32>, k: u16) -> Vec<u8> {
    let first = 1024 * u32::from(k);
    let len = vlans.last().map_or(0, |v| ((v - first) / 8 + 1) as usize);
    let mut out = vec![0u8; len];
    for v in vlans {
        let b = v - first;
        out[(b / 8) as usize] |= 0x80 >> (b % 8);
    }
    out
}
