//! The standard objects every switch handler reads and writes, numeric, with their MIB names.
//! No MIB is parsed at run time. Vendor objects live in the handler crates.

/// SNMPv2-MIB sysObjectID.0: the vendor's identification of the device.
pub const SYS_OBJECT_ID: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 2, 0];
/// SNMPv2-MIB sysDescr.0: the device and its software version, as text.
pub const SYS_DESCR: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 1, 0];
/// SNMPv2-MIB sysName.0: the switch's name, answered as `hostname`.
pub const SYS_NAME: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 5, 0];

/// IF-MIB ifTable columns (1.3.6.1.2.1.2.2.1), indexed by ifIndex.
pub mod if_table {
    /// ifDescr: "GigabitEthernet1/0/1".
    pub const DESCR: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 2];
    /// ifSpeed: bits per second, 4294967295 when faster than that.
    pub const SPEED: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 5];
    /// ifAdminStatus: up(1), down(2), testing(3). Read-write.
    pub const ADMIN_STATUS: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 7];
    /// ifOperStatus: up(1), down(2), testing(3), unknown(4), dormant(5), notPresent(6),
    /// lowerLayerDown(7).
    pub const OPER_STATUS: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 8];
    /// ifInOctets (Counter32).
    pub const IN_OCTETS: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 10];
    /// ifInUcastPkts (Counter32).
    pub const IN_UCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 11];
    /// ifInNUcastPkts (Counter32, deprecated but what v1 agents have).
    pub const IN_NUCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 12];
    /// ifOutOctets (Counter32).
    pub const OUT_OCTETS: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 16];
    /// ifOutUcastPkts (Counter32).
    pub const OUT_UCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 17];
    /// ifOutNUcastPkts (Counter32, deprecated).
    pub const OUT_NUCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 18];
}

/// IF-MIB ifXTable columns (1.3.6.1.2.1.31.1.1.1), indexed by ifIndex. SNMPv2 only (Counter64).
pub mod if_x_table {
    /// ifHCInOctets.
    pub const HC_IN_OCTETS: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6];
    /// ifHCInUcastPkts.
    pub const HC_IN_UCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 7];
    /// ifHCInMulticastPkts.
    pub const HC_IN_MCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 8];
    /// ifHCInBroadcastPkts.
    pub const HC_IN_BCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 9];
    /// ifHCOutOctets.
    pub const HC_OUT_OCTETS: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 10];
    /// ifHCOutUcastPkts.
    pub const HC_OUT_UCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 11];
    /// ifHCOutMulticastPkts.
    pub const HC_OUT_MCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 12];
    /// ifHCOutBroadcastPkts.
    pub const HC_OUT_BCAST: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 13];
    /// ifHighSpeed: megabits per second.
    pub const HIGH_SPEED: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15];
}

/// EtherLike-MIB dot3StatsDuplexStatus (1.3.6.1.2.1.10.7.2.1.19), indexed by dot3StatsIndex,
/// which the MIB defines as the interface's ifIndex: unknown(1), halfDuplex(2), fullDuplex(3).
pub const DOT3_DUPLEX_STATUS: &[u32] = &[1, 3, 6, 1, 2, 1, 10, 7, 2, 1, 19];

/// BRIDGE-MIB (RFC 4188) dot1dBasePortIfIndex (1.3.6.1.2.1.17.1.4.1.2), indexed by bridge port
/// (dot1dBasePort): the ifIndex of each bridge port. PortLists count bridge ports, not ifIndexes.
pub const BASE_PORT_IF_INDEX: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2];

/// Q-BRIDGE-MIB (RFC 4363) objects, under dot1qVlan (1.3.6.1.2.1.17.7.1.4).
pub mod qbridge {
    /// dot1qVlanFdbId (…4.2.1.3), indexed by dot1qVlanTimeMark.dot1qVlanIndex.
    pub const CURRENT_FDB_ID: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 3];
    /// dot1qVlanCurrentEgressPorts (…4.2.1.4), PortList, indexed by timeMark.vlan.
    pub const CURRENT_EGRESS: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 4];
    /// dot1qVlanCurrentUntaggedPorts (…4.2.1.5), PortList, indexed by timeMark.vlan.
    pub const CURRENT_UNTAGGED: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 2, 1, 5];
    /// dot1qVlanStaticName (…4.3.1.1), SnmpAdminString, indexed by VLAN. Read-create.
    pub const STATIC_NAME: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 1];
    /// dot1qVlanStaticEgressPorts (…4.3.1.2), PortList: the ports statically in the VLAN,
    /// tagged or not. Read-create.
    pub const STATIC_EGRESS: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 2];
    /// dot1qVlanStaticUntaggedPorts (…4.3.1.4), PortList: the members that send untagged.
    /// Read-create.
    pub const STATIC_UNTAGGED: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 4];
    /// dot1qVlanStaticRowStatus (…4.3.1.5): active(1) … createAndGo(4) … destroy(6).
    pub const STATIC_ROW_STATUS: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 5];
    /// dot1qPvid (…4.5.1.1), VlanIndex (Unsigned32), indexed by bridge port: the VLAN given to
    /// untagged frames received on the port. Read-write.
    pub const PVID: &[u32] = &[1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 5, 1, 1];
}
