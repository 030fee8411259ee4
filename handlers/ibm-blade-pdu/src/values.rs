//! The BLADE-MIB enumerations this handler reads and writes, total (an `Other` arm keeps what
//! the MIB does not define), and their maps.

use snmp_core::power::PowerState;

/// bladePowerState: `INTEGER { off(0), on(1), standby(3), hibernate(4) }`. Only on and off
/// are power states a PDU answer can carry; standby and hibernate are unknown, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BladePower {
    /// off(0).
    Off,
    /// on(1).
    On,
    /// Anything else (standby, hibernate, out of range).
    Other(i64),
}

impl BladePower {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> BladePower {
        match v {
            0 => BladePower::Off,
            1 => BladePower::On,
            other => BladePower::Other(other),
        }
    }

    /// For the power helper.
    pub fn to_power(self) -> PowerState {
        match self {
            BladePower::Off => PowerState::Off,
            BladePower::On => PowerState::On,
            BladePower::Other(v) => PowerState::Unknown(v),
        }
    }
}

/// bladePowerState as the power helper reads it.
pub fn power_state(v: i64) -> PowerState {
    BladePower::from_wire(v).to_power()
}

/// powerOnOffBlade: off(0), on(1).
pub const POWER_OFF: i64 = 0;
/// powerOnOffBlade: on(1).
pub const POWER_ON: i64 = 1;
/// restartBlade: execute(1).
pub const RESTART: i64 = 1;

/// bladeExists: `INTEGER { false(0), true(1) }`.
pub fn exists(v: i64) -> bool {
    v == 1
}

/// What bladeName reads when no name was given.
pub const NO_NAME: &str = "(No name)";
/// What bladeName reads for an empty bay, and what this handler answers as its description.
pub const NOT_INSTALLED: &str = "Not installed";

/// The description of bay `bay`: "Not installed" for an empty bay (whatever its name reads),
/// the blade's name when it has one, "Blade N" for an installed blade with no name.
pub fn description(bay: u32, exists: Option<bool>, name: Option<&str>) -> String {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    match (exists, name) {
        (Some(false), _) | (None, Some(NOT_INSTALLED)) => NOT_INSTALLED.to_owned(),
        (_, Some(n)) if n != NO_NAME && n != NOT_INSTALLED => n.to_owned(),
        _ => format!("Blade {bay}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_states_map() {
        assert_eq!(power_state(0), PowerState::Off);
        assert_eq!(power_state(1), PowerState::On);
        assert_eq!(power_state(3), PowerState::Unknown(3));
        assert_eq!(BladePower::from_wire(4), BladePower::Other(4));
    }

    #[test]
    fn descriptions_keep_names() {
        // The seed's fault: every named blade came out as "Blade".
        assert_eq!(description(3, Some(true), Some("web01")), "web01");
        assert_eq!(description(3, Some(true), Some("(No name)")), "Blade 3");
        assert_eq!(description(3, Some(true), Some("  ")), "Blade 3");
        assert_eq!(
            description(5, Some(false), Some("(No name)")),
            "Not installed"
        );
        assert_eq!(description(5, None, Some("Not installed")), "Not installed");
        assert_eq!(description(6, None, None), "Blade 6");
        assert!(exists(1) && !exists(0) && !exists(2));
    }
}
