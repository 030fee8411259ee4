//! The RPCM objects this handler reads and writes (enterprise 46235), numeric. The names are
//! descriptive: no RPCM MIB text could be found (see docs/handlers/rpcm-pdu.md), so only the
//! two columns DCImanager 6's own RPCM handler and the issue name are used; none is invented.

/// Output table columns (1.3.6.1.4.1.46235.2.4.2.1), indexed by the outlet number.
pub mod output {
    /// Administrative state: off(0), on(1). Read to learn the state, written to switch.
    pub const ADMIN_STATE: &[u32] = &[1, 3, 6, 1, 4, 1, 46235, 2, 4, 2, 1, 4];
    /// Output current in milliamperes (DCImanager 6 sums it into the PDU's load in amperes).
    /// Current is not power: without a voltage it gives no watts, so `statistics` is not
    /// offered (docs/handlers/rpcm-pdu.md).
    pub const CURRENT_MA: &[u32] = &[1, 3, 6, 1, 4, 1, 46235, 2, 4, 2, 1, 11];
}

/// The instance OID of `column` for outlet `n`.
pub fn at(column: &[u32], n: u32) -> Vec<u32> {
    [column, &[n]].concat()
}
