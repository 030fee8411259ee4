//! What a recording's own tables say about each port's VLANs, read straight from the
//! `.snmprec` text, for `cargo xtask conformance` to hold the switch handlers' `status` against.
//!
//! Written apart from the handlers on purpose (a second reading of the MIBs, so a wrong rule
//! cannot agree with itself), from the rules the VLAN issue states:
//! - Cisco (any vmVlan, vlanTrunkPortTable or vtpVlanTable object): a trunk by DynamicState
//!   on/onNoNegotiate or DynamicStatus trunking, by EncapsulationOperType isl/dot1Q where the
//!   port has neither; VLAN = vmVlan, a trunk's native VLAN; members = the four VlansEnabled
//!   bitmaps among the vtpVlanTable VLANs, the native one left out.
//! - Q-BRIDGE: bridge port → ifIndex by dot1dBasePortIfIndex (identity without it); VLAN =
//!   dot1qPvid (1..4094), else the lowest VLAN the port is untagged in; membership from the
//!   static lists, else the current ones (newest time mark); lists as bits of known bridge
//!   ports or as Juniper's "0,4097" text; a trunk = tagged somewhere.

use std::collections::{BTreeMap, BTreeSet};

/// A port's VLAN state: (vlan_id, is_trunk, trunk_members).
pub type PortVlan = (Option<u16>, bool, BTreeSet<u16>);

/// The recording's objects by dotted OID: (tag, value text).
pub struct Recording {
    objects: BTreeMap<Vec<u32>, (String, String)>,
}

impl Recording {
    /// Reads `.snmprec` text (`OID|TAG|VALUE`, variation lines with `value=`/`initial=`).
    pub fn parse(text: &str) -> Recording {
        let mut objects = BTreeMap::new();
        for line in text.lines() {
            let mut parts = line.splitn(3, '|');
            let (Some(oid), Some(tag), Some(value)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Some(arcs) = oid
                .split('.')
                .map(|a| a.parse::<u32>().ok())
                .collect::<Option<Vec<u32>>>()
            else {
                continue;
            };
            let (tag, value) = match tag.split_once(':') {
                None => (tag.to_owned(), value.to_owned()),
                Some((t, _)) => {
                    let setting = |k: &str| {
                        value
                            .split(',')
                            .find_map(|kv| kv.trim().strip_prefix(k).map(str::to_owned))
                    };
                    match (
                        setting("hexvalue="),
                        setting("initial=").or(setting("value=")),
                    ) {
                        (Some(h), _) => (format!("{t}x"), h),
                        (None, Some(v)) => (t.to_owned(), v),
                        _ => continue,
                    }
                }
            };
            objects.insert(arcs, (tag, value));
        }
        Recording { objects }
    }

    /// The number at `dotted` (any numeric type), if the recording has it.
    pub fn number(&self, dotted: &str) -> Option<i64> {
        let arcs: Vec<u32> = dotted
            .split('.')
            .map(|a| a.parse().ok())
            .collect::<Option<_>>()?;
        let (tag, value) = self.objects.get(&arcs)?;
        matches!(tag.as_str(), "2" | "65" | "66" | "67" | "70")
            .then(|| value.trim().parse().ok())
            .flatten()
    }

    /// The cells of column `base`: index → (tag, value).
    fn column(&self, base: &[u32]) -> Vec<(Vec<u32>, &(String, String))> {
        self.objects
            .range(base.to_vec()..)
            .take_while(|(k, _)| k.starts_with(base))
            .map(|(k, v)| (k[base.len()..].to_vec(), v))
            .collect()
    }

    fn integers(&self, base: &[u32]) -> BTreeMap<Vec<u32>, i64> {
        self.column(base)
            .into_iter()
            .filter_map(|(i, (_, v))| v.trim().parse().ok().map(|n| (i, n)))
            .collect()
    }

    fn octets(&self, base: &[u32]) -> BTreeMap<Vec<u32>, Vec<u8>> {
        self.column(base)
            .into_iter()
            .map(|(i, (tag, v))| (i, bytes(tag, v)))
            .collect()
    }
}

fn bytes(tag: &str, v: &str) -> Vec<u8> {
    if tag.ends_with('x') {
        (0..v.len() / 2)
            .filter_map(|k| u8::from_str_radix(&v[2 * k..2 * k + 2], 16).ok())
            .collect()
    } else {
        v.as_bytes().to_vec()
    }
}

fn bits(list: &[u8], first: u32) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for (i, b) in list.iter().enumerate() {
        for k in 0..8 {
            if b & (0x80 >> k) != 0 {
                out.insert(first + i as u32 * 8 + k);
            }
        }
    }
    out
}

fn oid(s: &str) -> Vec<u32> {
    s.split('.')
        .map(|a| a.parse().expect("a numeric OID"))
        .collect()
}

/// Each port's VLAN state by ifIndex, the way `cisco-switch` (`cisco: true`) or `snmp-switch`
/// must report it; empty when the recording has no VLAN tables for that handler.
pub fn expected(rec: &Recording, cisco: bool) -> BTreeMap<u32, PortVlan> {
    if cisco {
        let c = cisco_ports(rec);
        if !c.is_empty() {
            return c;
        }
    }
    qbridge_ports(rec)
}

fn cisco_ports(rec: &Recording) -> BTreeMap<u32, PortVlan> {
    let t = |col: u32| oid(&format!("1.3.6.1.4.1.9.9.46.1.6.1.1.{col}"));
    let vm = rec.integers(&oid("1.3.6.1.4.1.9.9.68.1.2.2.1.2"));
    let state = rec.integers(&t(13));
    let status = rec.integers(&t(14));
    let encap = rec.integers(&t(16));
    let native = rec.integers(&t(5));
    let maps: Vec<BTreeMap<Vec<u32>, Vec<u8>>> = [4, 17, 18, 19].map(|c| rec.octets(&t(c))).into();
    let exist: BTreeSet<u16> = rec
        .column(&oid("1.3.6.1.4.1.9.9.46.1.3.1.1.4"))
        .into_iter()
        .filter_map(|(i, _)| i.get(1).and_then(|v| u16::try_from(*v).ok()))
        .collect();
    let mut ifs: BTreeSet<Vec<u32>> = BTreeSet::new();
    for m in [&vm, &state, &status, &encap] {
        ifs.extend(m.keys().filter(|k| k.len() == 1).cloned());
    }
    let number = |v: Option<&i64>| {
        v.and_then(|v| u16::try_from(*v).ok())
            .filter(|v| (1..=4094).contains(v))
    };
    let mut out = BTreeMap::new();
    for i in ifs {
        let (s, st) = (state.get(&i), status.get(&i));
        let trunk = if s.is_none() && st.is_none() {
            matches!(encap.get(&i), Some(1 | 4))
        } else {
            matches!(s, Some(1 | 5)) || st == Some(&1)
        };
        let (vlan, members) = if trunk {
            let n = number(native.get(&i));
            let mut members: BTreeSet<u16> = BTreeSet::new();
            for (k, m) in maps.iter().enumerate() {
                if let Some(b) = m.get(&i) {
                    members.extend(
                        bits(b, 1024 * k as u32)
                            .into_iter()
                            .filter_map(|v| u16::try_from(v).ok())
                            .filter(|v| exist.contains(v)),
                    );
                }
            }
            if let Some(n) = n {
                members.remove(&n);
            }
            (n, members)
        } else {
            (number(vm.get(&i)), BTreeSet::new())
        };
        out.insert(i[0], (vlan, trunk, members));
    }
    out
}

fn qbridge_ports(rec: &Recording) -> BTreeMap<u32, PortVlan> {
    let q = |s: &str| oid(&format!("1.3.6.1.2.1.17.7.1.4.{s}"));
    let mut bps: BTreeMap<u32, u32> = rec
        .integers(&oid("1.3.6.1.2.1.17.1.4.1.2"))
        .into_iter()
        .filter_map(|(i, v)| Some((*i.first()?, u32::try_from(v).ok().filter(|v| *v > 0)?)))
        .collect();
    let pvid: BTreeMap<u32, i64> = rec
        .integers(&q("5.1.1"))
        .into_iter()
        .filter_map(|(i, v)| Some((*i.first()?, v)))
        .collect();
    if bps.is_empty() {
        bps = pvid.keys().map(|p| (*p, *p)).collect();
    }
    let mut lists: BTreeMap<u16, (Vec<u8>, Vec<u8>)> = BTreeMap::new();
    let egress = rec.octets(&q("3.1.2"));
    let untagged = rec.octets(&q("3.1.4"));
    for (i, e) in &egress {
        if let [v] = i[..] {
            let u = untagged.get(i).cloned().unwrap_or_default();
            lists.insert(v as u16, (e.clone(), u));
        }
    }
    if lists.is_empty() {
        let egress = rec.octets(&q("2.1.4"));
        let untagged = rec.octets(&q("2.1.5"));
        let mut newest: BTreeMap<u16, u32> = BTreeMap::new();
        for (i, e) in &egress {
            if let [mark, v] = i[..] {
                let v = v as u16;
                if newest.get(&v).is_some_and(|m| *m > mark) {
                    continue;
                }
                newest.insert(v, mark);
                lists.insert(v, (e.clone(), untagged.get(i).cloned().unwrap_or_default()));
            }
        }
    }
    if pvid.is_empty() && lists.is_empty() {
        return BTreeMap::new();
    }
    let ports_of = |l: &[u8]| -> BTreeSet<u32> {
        let text = !l.is_empty() && l.iter().all(|b| b.is_ascii_digit() || *b == b',');
        if text {
            let nums: Option<BTreeSet<u32>> = std::str::from_utf8(l)
                .ok()
                .map(|t| t.split(',').filter_map(|n| n.parse().ok()).collect());
            if let Some(nums) = nums
                && nums.iter().all(|n| *n == 0 || bps.contains_key(n))
            {
                return nums.into_iter().filter(|n| *n != 0).collect();
            }
        }
        bits(l, 1)
            .into_iter()
            .filter(|p| bps.contains_key(p))
            .collect()
    };
    let mut out = BTreeMap::new();
    for (&bp, &if_index) in &bps {
        let mut untagged_in = BTreeSet::new();
        let mut tagged = BTreeSet::new();
        for (&v, (e, u)) in &lists {
            if ports_of(u).contains(&bp) {
                untagged_in.insert(v);
            } else if ports_of(e).contains(&bp) {
                tagged.insert(v);
            }
        }
        let vlan = pvid
            .get(&bp)
            .and_then(|v| u16::try_from(*v).ok())
            .filter(|v| (1..=4094).contains(v))
            .or_else(|| untagged_in.first().copied());
        out.insert(if_index, (vlan, !tagged.is_empty(), tagged));
    }
    out
}

/// The MACs each port has learned by the recording's own forwarding table: Q-BRIDGE's
/// dot1qTpFdbTable, else BRIDGE-MIB's dot1dTpFdbTable; learned entries only (a status other
/// than learned(3) is dropped), bridge port 0 and unmapped ports dropped, MACs as
/// `1A:2B:3C:4D:5E:6F`. Empty when the recording has no forwarding table.
pub fn macs(rec: &Recording) -> BTreeMap<u32, BTreeSet<String>> {
    let bps: BTreeMap<u32, u32> = rec
        .integers(&oid("1.3.6.1.2.1.17.1.4.1.2"))
        .into_iter()
        .filter_map(|(i, v)| Some((*i.first()?, u32::try_from(v).ok().filter(|v| *v > 0)?)))
        .collect();
    let q = rec.integers(&oid("1.3.6.1.2.1.17.7.1.2.2.1.2"));
    let (ports, status, skip) = if q.is_empty() {
        (
            rec.integers(&oid("1.3.6.1.2.1.17.4.3.1.2")),
            rec.integers(&oid("1.3.6.1.2.1.17.4.3.1.3")),
            0,
        )
    } else {
        (q, rec.integers(&oid("1.3.6.1.2.1.17.7.1.2.2.1.3")), 1)
    };
    let identity = bps.is_empty();
    let mut out: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for (index, port) in &ports {
        if status.get(index).is_some_and(|s| *s != 3) || *port <= 0 {
            continue;
        }
        let arcs = &index[skip.min(index.len())..];
        let arcs = match arcs {
            [6, rest @ ..] if rest.len() == 6 => rest,
            a if a.len() == 6 => a,
            _ => continue,
        };
        if arcs.iter().any(|a| *a > 255) {
            continue;
        }
        let port = *port as u32;
        let if_index = match bps.get(&port) {
            Some(i) => *i,
            None if identity => port,
            None => continue,
        };
        let mac = arcs
            .iter()
            .map(|a| format!("{a:02X}"))
            .collect::<Vec<_>>()
            .join(":");
        out.entry(if_index).or_default().insert(mac);
    }
    out
}

/// The MACs of each port of a `mac_list` answer, by identity (ports without any left out).
pub fn reported_macs(xml: &str) -> BTreeMap<u32, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for port in xml.split("<port>").skip(1) {
        let Some(id) = port
            .split("<identity>")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .and_then(|i| i.parse::<u32>().ok())
        else {
            continue;
        };
        let macs: BTreeSet<String> = port
            .split("<mac>")
            .skip(1)
            .filter_map(|r| r.split('<').next().map(str::to_owned))
            .collect();
        if !macs.is_empty() {
            out.insert(id, macs);
        }
    }
    out
}

/// The names a Cisco recording's VLAN bridges are reached by (entLogicalCommunity values, and
/// `COMMUNITY@VLAN` for every vtpVlanTable VLAN), for conformance to serve each as the
/// recording itself: no recording holds per-VLAN instances.
pub fn vlan_communities(rec: &Recording, community: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = rec
        .octets(&oid("1.3.6.1.2.1.47.1.2.1.1.4"))
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).replace('\0', ""))
        .collect();
    out.extend(
        rec.column(&oid("1.3.6.1.4.1.9.9.46.1.3.1.1.4"))
            .into_iter()
            .filter_map(|(i, _)| i.get(1).map(|v| format!("{community}@{v}"))),
    );
    out.retain(|c| {
        c.contains('@') && !c.is_empty() && c.bytes().all(|b| b.is_ascii_graphic() && b != b'/')
    });
    out
}

/// The VLAN state of each port of a `status` answer (our own writer's XML: one element a
/// line), by identity.
pub fn reported(xml: &str) -> BTreeMap<u32, PortVlan> {
    let mut out = BTreeMap::new();
    for port in xml.split("<port>").skip(1) {
        let field = |name: &str| {
            port.split(&format!("<{name}>"))
                .nth(1)
                .and_then(|r| r.split(&format!("</{name}>")).next())
                .map(str::to_owned)
        };
        let Some(id) = field("identity").and_then(|i| i.parse::<u32>().ok()) else {
            continue;
        };
        let Some(trunk) = field("is_trunk") else {
            continue;
        };
        let vlan = field("vlan_id").and_then(|v| v.parse().ok());
        let members = field("trunk_members")
            .map(|m| m.split(',').filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default();
        out.insert(id, (vlan, trunk == "on", members));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cisco_and_q_bridge_rows() {
        let rec = Recording::parse(
            "1.3.6.1.2.1.17.1.4.1.2.1|2|101\n\
             1.3.6.1.2.1.17.1.4.1.2.2|2|102\n\
             1.3.6.1.2.1.17.7.1.4.3.1.2.10|4x|c0\n\
             1.3.6.1.2.1.17.7.1.4.3.1.4.10|4x|80\n\
             1.3.6.1.2.1.17.7.1.4.5.1.1.1|66|10\n\
             1.3.6.1.2.1.17.7.1.4.5.1.1.2|66|1\n",
        );
        let q = expected(&rec, true);
        assert_eq!(q[&101], (Some(10), false, BTreeSet::new()));
        assert_eq!(q[&102], (Some(1), true, BTreeSet::from([10])));
        let rec = Recording::parse(
            "1.3.6.1.4.1.9.9.46.1.3.1.1.4.1.1|4|default\n\
             1.3.6.1.4.1.9.9.46.1.3.1.1.4.1.20|4|x\n\
             1.3.6.1.4.1.9.9.46.1.6.1.1.4.7|4x|6000080000\n\
             1.3.6.1.4.1.9.9.46.1.6.1.1.5.7|2|1\n\
             1.3.6.1.4.1.9.9.46.1.6.1.1.16.7|2|4\n\
             1.3.6.1.4.1.9.9.68.1.2.2.1.2.8|2|20\n",
        );
        let c = expected(&rec, true);
        assert_eq!(c[&7], (Some(1), true, BTreeSet::from([20])));
        assert_eq!(c[&8], (Some(20), false, BTreeSet::new()));
        assert!(expected(&rec, false).is_empty());
    }

    #[test]
    fn learned_macs_only() {
        let rec = Recording::parse(
            "1.3.6.1.2.1.17.1.4.1.2.1|2|101\n\
             1.3.6.1.2.1.17.7.1.2.2.1.2.5.0.27.1.2.3.4|2|1\n\
             1.3.6.1.2.1.17.7.1.2.2.1.2.5.0.27.1.2.3.5|2|0\n\
             1.3.6.1.2.1.17.7.1.2.2.1.2.5.0.27.1.2.3.6|2|1\n\
             1.3.6.1.2.1.17.7.1.2.2.1.3.5.0.27.1.2.3.4|2|3\n\
             1.3.6.1.2.1.17.7.1.2.2.1.3.5.0.27.1.2.3.6|2|4\n",
        );
        let m = macs(&rec);
        assert_eq!(m.len(), 1);
        assert_eq!(m[&101], BTreeSet::from(["00:1B:01:02:03:04".to_owned()]));
        let xml = "<doc>\n <port>\n  <identity>101</identity>\n  <mac>00:1B:01:02:03:04</mac>\n </port>\n <port>\n  <identity>102</identity>\n </port>\n</doc>";
        assert_eq!(reported_macs(xml), m);
    }

    #[test]
    fn reads_our_answers() {
        let xml = "<doc>\n <port>\n  <identity>7</identity>\n  <vlan_id>5</vlan_id>\n  <is_trunk>on</is_trunk>\n  <trunk_members>6,7</trunk_members>\n </port>\n <port>\n  <identity>8</identity>\n </port>\n</doc>";
        let r = reported(xml);
        assert_eq!(r[&7], (Some(5), true, BTreeSet::from([6, 7])));
        assert!(!r.contains_key(&8));
    }
}
