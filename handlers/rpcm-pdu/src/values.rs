//! The RPCM administrative state, total (an `Other` arm keeps what is not defined), and its map.

use snmp_core::power::PowerState;

/// The output's administrative state: `INTEGER { off(0), on(1) }`, the same object read and
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminState {
    /// off(0).
    Off,
    /// on(1).
    On,
    /// Anything else.
    Other(i64),
}

impl AdminState {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> AdminState {
        match v {
            0 => AdminState::Off,
            1 => AdminState::On,
            other => AdminState::Other(other),
        }
    }

    /// To the INTEGER on the wire.
    pub fn to_wire(self) -> i64 {
        match self {
            AdminState::Off => 0,
            AdminState::On => 1,
            AdminState::Other(v) => v,
        }
    }

    /// For the power helper.
    pub fn to_power(self) -> PowerState {
        match self {
            AdminState::Off => PowerState::Off,
            AdminState::On => PowerState::On,
            AdminState::Other(v) => PowerState::Unknown(v),
        }
    }
}

/// The administrative state as the power helper reads it.
pub fn power_state(v: i64) -> PowerState {
    AdminState::from_wire(v).to_power()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for v in [0, 1, 2, -1] {
            assert_eq!(AdminState::from_wire(v).to_wire(), v);
        }
        assert_eq!(power_state(1), PowerState::On);
        assert_eq!(power_state(0), PowerState::Off);
        assert_eq!(power_state(5), PowerState::Unknown(5));
    }
}
