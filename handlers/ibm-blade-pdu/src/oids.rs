//! The BLADE-MIB objects this handler reads and writes (IBM BladeCenter management module,
//! enterprise 2.3.51.2), numeric, with their MIB names. Every table is indexed by the bay
//! number (1 to 14 on a BladeCenter E/H).

/// bladeSystemStatusTable columns (…22.1.5.1.1), indexed by bay.
pub mod status {
    /// bladeExists: false(0), true(1).
    pub const EXISTS: &[u32] = &[1, 3, 6, 1, 4, 1, 2, 3, 51, 2, 22, 1, 5, 1, 1, 3];
    /// bladePowerState: off(0), on(1) (standby(3), hibernate(4) on some firmware).
    pub const POWER_STATE: &[u32] = &[1, 3, 6, 1, 4, 1, 2, 3, 51, 2, 22, 1, 5, 1, 1, 4];
    /// bladeName: the name given in the management module, "(No name)" when none;
    /// "Not installed" for an empty bay.
    pub const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 2, 3, 51, 2, 22, 1, 5, 1, 1, 6];
}

/// bladePowerRestartTable columns (…22.1.6.1.1), indexed by bay. Write-only in practice.
pub mod control {
    /// powerOnOffBlade: off(0), on(1).
    pub const POWER_ON_OFF: &[u32] = &[1, 3, 6, 1, 4, 1, 2, 3, 51, 2, 22, 1, 6, 1, 1, 7];
    /// restartBlade: execute(1) restarts the blade.
    pub const RESTART: &[u32] = &[1, 3, 6, 1, 4, 1, 2, 3, 51, 2, 22, 1, 6, 1, 1, 8];
}

/// The instance OID of `column` for bay `bay`.
pub fn at(column: &[u32], bay: u32) -> Vec<u32> {
    [column, &[bay]].concat()
}
