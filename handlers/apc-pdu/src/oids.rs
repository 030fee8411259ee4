//! The PowerNet-MIB objects this handler reads and writes (enterprise 318), numeric, with their
//! MIB names. N, the last arc, is each table's own index column (rPDU2OutletSwitchedStatusIndex,
//! rPDU2OutletSwitchedControlIndex, rPDU2OutletMeteredStatusIndex, rPDUOutletStatusIndex,
//! rPDUOutletControlIndex, sPDUOutletControlIndex); rPDU2 tables also carry a module (the
//! PDU's place in a daisy chain) and an outlet number column. On the devices recorded the index
//! of an outlet is the same in the rPDU2 status, control and metered tables; this handler
//! identifies an outlet by that index.

/// rPDU2OutletSwitchedStatusTable (…318.1.1.26.9.2.3.1).
pub mod rpdu2_status {
    /// rPDU2OutletSwitchedStatusName: DisplayString.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 2, 3, 1, 3];
    /// rPDU2OutletSwitchedStatusNumber: the outlet's number on its module.
    pub const NUMBER: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 2, 3, 1, 4];
    /// rPDU2OutletSwitchedStatusState: off(1), on(2).
    pub const STATE: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 2, 3, 1, 5];
    /// rPDU2OutletSwitchedStatusCommandPending: commandPending(1), noCommandPending(2).
    pub const COMMAND_PENDING: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 2, 3, 1, 6];
}

/// rPDU2OutletSwitchedControlTable (…318.1.1.26.9.2.4.1).
pub mod rpdu2_control {
    /// rPDU2OutletSwitchedControlCommand: immediateOn(1), immediateOff(2), immediateReboot(3),
    /// outletUnknown(4), delayedOn(5), delayedOff(6), delayedReboot(7), cancelPendingCommand(8).
    pub const COMMAND: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 2, 4, 1, 5];
}

/// rPDU2OutletMeteredStatusTable (…318.1.1.26.9.4.3.1): only on metered-by-outlet models.
pub mod rpdu2_metered {
    /// rPDU2OutletMeteredStatusName.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 4, 3, 1, 3];
    /// rPDU2OutletMeteredStatusPower: the outlet's power in watts.
    pub const POWER: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 26, 9, 4, 3, 1, 7];
}

/// rPDUOutletStatusTable (…318.1.1.12.3.5.1.1).
pub mod rpdu_status {
    /// rPDUOutletStatusOutletName.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 12, 3, 5, 1, 1, 2];
    /// rPDUOutletStatusOutletState: outletStatusOn(1), outletStatusOff(2).
    pub const STATE: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 12, 3, 5, 1, 1, 4];
}

/// rPDUOutletControlTable (…318.1.1.12.3.3.1.1).
pub mod rpdu_control {
    /// rPDUOutletControlOutletCommand: immediateOn(1), immediateOff(2), immediateReboot(3),
    /// delayedOn(4), delayedOff(5), delayedReboot(6), cancelPendingCommand(7).
    pub const COMMAND: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 12, 3, 3, 1, 1, 4];
}

/// sPDUOutletControlTable (…318.1.1.4.4.2.1): MasterSwitch, one object read and written.
pub mod spdu {
    /// sPDUOutletCtl: outletOn(1), outletOff(2), outletReboot(3), outletUnknown(4),
    /// outletOnWithDelay(5), outletOffWithDelay(6), outletRebootWithDelay(7).
    pub const CTL: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 4, 4, 2, 1, 3];
    /// sPDUOutletCtlName.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 318, 1, 1, 4, 4, 2, 1, 4];
}

/// The instance OID of `column` for index `n`.
pub fn at(column: &[u32], n: u32) -> Vec<u32> {
    [column, &[n]].concat()
}
