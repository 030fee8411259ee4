//! The objects this handler reads and writes, numeric, with their MIB names. No MIB is parsed
//! at run time.

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

/// CISCO-STACK-MIB portTable columns (1.3.6.1.4.1.9.5.1.4.1.1), indexed by portModuleIndex
/// and portIndex (module.port): a stacked switch has several modules.
pub mod port_table {
    /// portAdminSpeed: the configured speed. Read-write.
    pub const ADMIN_SPEED: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 5, 1, 4, 1, 1, 9];
    /// portDuplex: half(1), full(2), disagree(3), auto(4). Read-write.
    pub const DUPLEX: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 5, 1, 4, 1, 1, 10];
    /// portIfIndex: the ifIndex of the port, joining portTable to ifTable.
    pub const IF_INDEX: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 5, 1, 4, 1, 1, 11];
}
