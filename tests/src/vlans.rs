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
//! - the current-table variant puts a non-zero time mark first in the index (D-Link).
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
/// Q-BRIDGE-MIB dot1qVlanCurrentEntry (egress .4, untagged .5), by time mark and VLAN.
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
        for (vlan, name, absent) in rows {
            let (mut egress, untagged) = self.members(vlan);
            if vlan == 1 {
                egress.insert(stray);
            }
            let (e, u) = (port_list(&egress), port_list(&untagged));
            if self.current_only {
                let cur = |col: u32| oid(CURRENT_ENTRY, col, &[1590, u32::from(vlan)]);
                rec.add(&cur(4), Value::OctetString(e))
                    .add(&cur(5), Value::OctetString(u));
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
                    "4:switch|role=untagged,pvid={PVID},hexvalue={}{}",
                    hex(&u),
                    opts(&row)
                ),
            )
            .variation(
                &st(5),
                &format!("2:switch|role=rowstatus,row=v{vlan},value=1{row}"),
            );
        }
        (rec, sw)
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
