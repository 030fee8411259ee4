//! The Cisco objects this handler reads and writes, numeric, with their MIB names. No MIB is
//! parsed at run time. The standard ones (IF-MIB, BRIDGE-MIB, Q-BRIDGE-MIB) are switch-core's.

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

/// CISCO-VLAN-MEMBERSHIP-MIB vmVlan (1.3.6.1.4.1.9.9.68.1.2.2.1.2), indexed by ifIndex: the
/// access VLAN of a static port, INTEGER 0..4095, read-write.
pub const VM_VLAN: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 68, 1, 2, 2, 1, 2];

/// CISCO-VTP-MIB vlanTrunkPortTable columns (1.3.6.1.4.1.9.9.46.1.6.1.1), indexed by ifIndex.
pub mod trunk {
    /// vlanTrunkPortEncapsulationType: isl(1) dot10(2) lane(3) dot1Q(4) negotiate(5).
    pub const ENCAPSULATION: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 3];
    /// vlanTrunkPortVlansEnabled: VLANs 0..1023 allowed on the trunk, bit 0 = VLAN 0.
    pub const VLANS_ENABLED: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 4];
    /// vlanTrunkPortNativeVlan.
    pub const NATIVE_VLAN: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 5];
    /// vlanTrunkPortDynamicState: on(1) off(2) desirable(3) auto(4) onNoNegotiate(5).
    pub const DYNAMIC_STATE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 13];
    /// vlanTrunkPortDynamicStatus: trunking(1) notTrunking(2).
    pub const DYNAMIC_STATUS: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 14];
    /// vlanTrunkPortEncapsulationOperType: isl(1) dot10(2) lane(3) dot1Q(4) negotiating(5)
    /// notApplicable(6) ("for interfaces … notTrunking(2) … shall be notApplicable(6)").
    pub const ENCAPSULATION_OPER: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 16];
    /// vlanTrunkPortVlansEnabled2k: VLANs 1024..2047.
    pub const VLANS_ENABLED_2K: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 17];
    /// vlanTrunkPortVlansEnabled3k: VLANs 2048..3071.
    pub const VLANS_ENABLED_3K: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 18];
    /// vlanTrunkPortVlansEnabled4k: VLANs 3072..4095.
    pub const VLANS_ENABLED_4K: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 1, 1, 19];
    /// The four allowed-VLAN bitmaps, block k covering VLANs 1024·k …
    pub const BITMAPS: [&[u32]; 4] = [
        VLANS_ENABLED,
        VLANS_ENABLED_2K,
        VLANS_ENABLED_3K,
        VLANS_ENABLED_4K,
    ];
    /// vlanTrunkPortSetSerialNo.0 (TestAndIncr): the advisory lock on the bitmaps.
    pub const SET_SERIAL_NO: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 6, 2, 0];
}

/// CISCO-VTP-MIB vtpVlanTable columns (1.3.6.1.4.1.9.9.46.1.3.1.1), indexed by
/// managementDomainIndex.vtpVlanIndex.
pub mod vtp_vlan {
    /// vtpVlanState: operational(1) suspended(2) mtuTooBigForDevice(3) mtuTooBigForTrunk(4).
    pub const STATE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 2];
    /// vtpVlanType: ethernet(1) fddi(2) tokenRing(3) fddiNet(4) trNet(5) deprecated(6).
    pub const TYPE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 3];
    /// vtpVlanName.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 4];
}

/// CISCO-VTP-MIB managementDomainLocalMode (1.3.6.1.4.1.9.9.46.1.2.1.1.3), indexed by
/// managementDomainIndex: client(1) server(2) transparent(3) off(4). VLANs are created only in
/// server or transparent mode.
pub const DOMAIN_LOCAL_MODE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 2, 1, 1, 3];

/// CISCO-VTP-MIB's VLAN edit buffer: vtpEditControlTable (…46.1.4.1.1) and vtpVlanEditTable
/// (…46.1.4.2.1), indexed by managementDomainIndex (and VLAN).
pub mod edit {
    /// vtpVlanEditOperation: none(1) copy(2) apply(3) release(4) restartTimer(5).
    pub const OPERATION: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 1, 1, 1];
    /// vtpVlanApplyStatus: inProgress(1) succeeded(2) configNumberError(3) inconsistentEdit(4)
    /// tooBig(5) localNVStoreFail(6) remoteNVStoreFail(7) editBufferEmpty(8) someOtherError(9)
    /// notPrimaryServer(10).
    pub const APPLY_STATUS: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 1, 1, 2];
    /// vtpVlanEditBufferOwner: who holds the buffer.
    pub const BUFFER_OWNER: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 1, 1, 3];
    /// vtpVlanEditType: ethernet(1).
    pub const TYPE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 2, 1, 3];
    /// vtpVlanEditName.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 2, 1, 4];
    /// vtpVlanEditDot10Said: 4 octets, 100000 + VLAN by convention.
    pub const DOT10_SAID: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 2, 1, 6];
    /// vtpVlanEditRowStatus.
    pub const ROW_STATUS: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 4, 2, 1, 11];
}

/// CISCO-PRIVATE-VLAN-MIB (1.3.6.1.4.1.9.9.173), revision 2005-09-08.
pub mod pvlan {
    /// cpvlanVlanPrivateVlanType, by domain.vlan: normal(1) primary(2) isolated(3)
    /// community(4) twoWayCommunity(5). Read-only.
    pub const VLAN_TYPE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 1, 1, 1, 1];
    /// cpvlanVlanAssociatedPrimaryVlan, by domain.vlan: the primary VLAN of a secondary one.
    pub const ASSOCIATED_PRIMARY: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 1, 1, 1, 2];
    /// cpvlanPrivatePortSecondaryVlan, by ifIndex: the secondary VLAN of a host port (0: none).
    pub const PORT_SECONDARY: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 2, 1, 1, 1];
    /// cpvlanPromPortSecondaryRemap (and 2k, 3k, 4k), by ifIndex: the secondary VLANs a
    /// promiscuous port maps to its primary VLAN, a bitmap as vlanTrunkPortVlansEnabled.
    pub const PROM_REMAP: [&[u32]; 4] = [
        &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 2, 2, 1, 2],
        &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 2, 2, 1, 3],
        &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 2, 2, 1, 4],
        &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 2, 2, 1, 5],
    ];
    /// cpvlanPortMode, by ifIndex: nonPrivateVlan(1) host(2) promiscuous(3) secondaryTrunk(4)
    /// promiscuousTrunk(5).
    pub const PORT_MODE: &[u32] = &[1, 3, 6, 1, 4, 1, 9, 9, 173, 1, 2, 3, 1, 1];
}
