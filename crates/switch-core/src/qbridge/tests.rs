//! Unit tests of the Q-BRIDGE reading and the order of the writes, on tables built by hand.

use super::*;

/// A bridge of 8 ports (bridge port p = ifIndex 100 + p) and VLANs with their egress and
/// untagged ports.
fn bridge(vlans: &[(u16, &[u32], &[u32])], pvid: &[(u32, u32)]) -> Bridge {
    let list = |ports: &[u32]| bits::encode(&ports.iter().copied().collect(), 1, 2);
    Bridge {
        ports: (1..=8).map(|p| (p, 100 + p)).collect(),
        pvid: pvid.iter().map(|&(p, v)| (p, Value::Gauge32(v))).collect(),
        names: vlans
            .iter()
            .map(|(v, _, _)| (*v, Some(format!("v{v}"))))
            .collect(),
        lists: vlans
            .iter()
            .map(|(v, e, u)| {
                (
                    *v,
                    Lists {
                        egress: list(e),
                        untagged: list(u),
                    },
                )
            })
            .collect(),
        is_static: true,
    }
}

fn want(vlan: u16, trunk: bool, members: &[u16]) -> Wanted {
    Wanted {
        vlan,
        name: None,
        trunk,
        members: members.iter().copied().collect(),
    }
}

/// The plan as "COLUMN.VLAN=ports" strings, column egress `E` or untagged `U`.
fn show(b: &Bridge, plan: &[Binding]) -> Vec<String> {
    plan.iter()
        .map(|(oid, v)| {
            let col = if oid.starts_with(qbridge::STATIC_EGRESS) {
                "E"
            } else {
                "U"
            };
            let ports: Vec<String> = b
                .members(v.as_bytes().unwrap())
                .iter()
                .map(u32::to_string)
                .collect();
            format!("{col}{}={}", oid.last().unwrap(), ports.join(","))
        })
        .collect()
}

#[test]
fn a_port_is_a_trunk_when_tagged_somewhere() {
    let b = bridge(
        &[
            (1, &[1, 2, 3], &[1, 2]),
            (10, &[3], &[3]),
            (20, &[2, 3], &[]),
        ],
        &[(1, 1), (2, 1), (3, 10)],
    );
    let v = b.vlans();
    assert_eq!(
        v.ports[&101],
        PortVlan {
            vlan: Some(1),
            trunk: false,
            members: BTreeSet::new()
        }
    );
    assert_eq!(
        v.ports[&102],
        PortVlan {
            vlan: Some(1),
            trunk: true,
            members: BTreeSet::from([20])
        }
    );
    // Tagged in 1 (egress, not untagged) and 20; untagged in 10, its PVID.
    assert_eq!(
        v.ports[&103],
        PortVlan {
            vlan: Some(10),
            trunk: true,
            members: BTreeSet::from([1, 20])
        }
    );
    // No PVID column for the port: the VLAN it is untagged in; none at all: no VLAN.
    assert_eq!(v.ports[&104].vlan, None);
}

#[test]
fn bits_of_unknown_bridge_ports_are_ignored_and_bad_pvids_dropped() {
    let mut b = bridge(&[(1, &[1], &[1])], &[(1, 4095), (2, 0)]);
    // Octets past the real ports (a corrupted recording): ports 9..16 do not exist.
    b.lists.get_mut(&1).unwrap().untagged = vec![0x80, 0xff];
    assert_eq!(b.members(&b.lists[&1].untagged), BTreeSet::from([1]));
    assert_eq!(
        b.port(1).vlan,
        Some(1),
        "PVID 4095 is no VLAN: the untagged one"
    );
    assert_eq!(b.port(2).vlan, None);
}

#[test]
fn access_move_joins_before_it_leaves_and_leaves_tagged_vlans_last() {
    let b = bridge(
        &[(1, &[1, 2], &[1, 2]), (10, &[2], &[]), (20, &[], &[])],
        &[(2, 1)],
    );
    let (first, last) = plan(&b, 2, &want(20, false, &[]));
    assert_eq!(show(&b, &first), ["E20=2", "U20=2", "U1=1", "E1=1"]);
    assert_eq!(show(&b, &last), ["E10="]);
}

#[test]
fn trunk_is_one_set_native_untagged_members_tagged() {
    let b = bridge(
        &[
            (1, &[1, 3], &[1, 3]),
            (10, &[], &[]),
            (20, &[3], &[3]),
            (30, &[3], &[]),
        ],
        &[(3, 1)],
    );
    let (first, last) = plan(&b, 3, &want(10, true, &[20]));
    assert_eq!(
        show(&b, &first),
        ["E10=3", "U10=3", "U1=1", "E1=1", "U20=", "E30="]
    );
    assert!(last.is_empty());
    // Already where it should be: nothing to write.
    let (first, last) = plan(&b, 1, &want(1, false, &[]));
    assert!(first.is_empty() && last.is_empty());
}

#[test]
fn juniper_text_lists_read_as_ports() {
    let mut b = bridge(&[(4, &[], &[])], &[]);
    b.ports = BTreeMap::from([(4097, 501), (4099, 503)]);
    b.lists.get_mut(&4).unwrap().egress = b"0,4097,4099".to_vec();
    b.lists.get_mut(&4).unwrap().untagged = b"4097".to_vec();
    let v = b.vlans();
    assert_eq!(v.ports[&501].vlan, Some(4));
    assert_eq!(v.ports[&503].members, BTreeSet::from([4]));
}
