//! The PowerNet-MIB enumerations this handler reads and writes, total (an `Other` arm keeps
//! what the MIB does not define), with their MIB SYNTAX and their maps onto the power helper's
//! states.

use snmp_core::power::PowerState;

/// rPDU2OutletSwitchedStatusState: `INTEGER { off(1), on(2) }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rpdu2State {
    /// off(1).
    Off,
    /// on(2).
    On,
    /// Out of range.
    Other(i64),
}

impl Rpdu2State {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> Rpdu2State {
        match v {
            1 => Rpdu2State::Off,
            2 => Rpdu2State::On,
            other => Rpdu2State::Other(other),
        }
    }

    /// For the power helper.
    pub fn to_power(self) -> PowerState {
        match self {
            Rpdu2State::Off => PowerState::Off,
            Rpdu2State::On => PowerState::On,
            Rpdu2State::Other(v) => PowerState::Unknown(v),
        }
    }
}

/// rPDUOutletStatusOutletState: `INTEGER { outletStatusOn(1), outletStatusOff(2) }`, the
/// inverse of rPDU2's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpduState {
    /// outletStatusOn(1).
    On,
    /// outletStatusOff(2).
    Off,
    /// Out of range.
    Other(i64),
}

impl RpduState {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> RpduState {
        match v {
            1 => RpduState::On,
            2 => RpduState::Off,
            other => RpduState::Other(other),
        }
    }

    /// For the power helper.
    pub fn to_power(self) -> PowerState {
        match self {
            RpduState::Off => PowerState::Off,
            RpduState::On => PowerState::On,
            RpduState::Other(v) => PowerState::Unknown(v),
        }
    }
}

/// rPDU2OutletSwitchedStatusCommandPending: commandPending(1); noCommandPending(2) otherwise.
pub const COMMAND_PENDING: i64 = 1;

/// The immediate commands rPDU2OutletSwitchedControlCommand and rPDUOutletControlOutletCommand
/// share: `immediateOn(1), immediateOff(2), immediateReboot(3)` (the delayed and cancel values
/// differ between the two MIBs and are never written here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImmediateCommand {
    /// immediateOn(1).
    On,
    /// immediateOff(2).
    Off,
    /// immediateReboot(3).
    Reboot,
}

impl ImmediateCommand {
    /// To the INTEGER on the wire.
    pub fn to_wire(self) -> i64 {
        match self {
            ImmediateCommand::On => 1,
            ImmediateCommand::Off => 2,
            ImmediateCommand::Reboot => 3,
        }
    }
}

/// sPDUOutletCtl: `INTEGER { outletOn(1), outletOff(2), outletReboot(3), outletUnknown(4),
/// outletOnWithDelay(5), outletOffWithDelay(6), outletRebootWithDelay(7) }`, read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpduCtl {
    /// outletOn(1).
    On,
    /// outletOff(2).
    Off,
    /// outletReboot(3).
    Reboot,
    /// outletUnknown(4).
    Unknown,
    /// outletOnWithDelay(5), outletOffWithDelay(6), outletRebootWithDelay(7): a command under
    /// way.
    Delayed(i64),
    /// Out of range.
    Other(i64),
}

impl SpduCtl {
    /// From the INTEGER on the wire.
    pub fn from_wire(v: i64) -> SpduCtl {
        match v {
            1 => SpduCtl::On,
            2 => SpduCtl::Off,
            3 => SpduCtl::Reboot,
            4 => SpduCtl::Unknown,
            5..=7 => SpduCtl::Delayed(v),
            other => SpduCtl::Other(other),
        }
    }

    /// To the INTEGER on the wire.
    pub fn to_wire(self) -> i64 {
        match self {
            SpduCtl::On => 1,
            SpduCtl::Off => 2,
            SpduCtl::Reboot => 3,
            SpduCtl::Unknown => 4,
            SpduCtl::Delayed(v) | SpduCtl::Other(v) => v,
        }
    }

    /// For the power helper: a reboot or a delayed command read back is under way.
    pub fn to_power(self) -> PowerState {
        match self {
            SpduCtl::On => PowerState::On,
            SpduCtl::Off => PowerState::Off,
            SpduCtl::Reboot | SpduCtl::Delayed(_) => PowerState::Transitional,
            SpduCtl::Unknown => PowerState::Unknown(4),
            SpduCtl::Other(v) => PowerState::Unknown(v),
        }
    }
}

/// rPDU2OutletSwitchedStatusState for the power helper.
pub fn rpdu2_power(v: i64) -> PowerState {
    Rpdu2State::from_wire(v).to_power()
}

/// rPDUOutletStatusOutletState for the power helper.
pub fn rpdu_power(v: i64) -> PowerState {
    RpduState::from_wire(v).to_power()
}

/// sPDUOutletCtl for the power helper.
pub fn spdu_power(v: i64) -> PowerState {
    SpduCtl::from_wire(v).to_power()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpdu2_and_rpdu_are_inverted() {
        assert_eq!(rpdu2_power(1), PowerState::Off);
        assert_eq!(rpdu2_power(2), PowerState::On);
        assert_eq!(rpdu_power(1), PowerState::On);
        assert_eq!(rpdu_power(2), PowerState::Off);
        assert_eq!(rpdu2_power(0), PowerState::Unknown(0));
        assert_eq!(rpdu_power(3), PowerState::Unknown(3));
    }

    #[test]
    fn commands_are_immediate() {
        assert_eq!(ImmediateCommand::On.to_wire(), 1);
        assert_eq!(ImmediateCommand::Off.to_wire(), 2);
        assert_eq!(ImmediateCommand::Reboot.to_wire(), 3);
    }

    #[test]
    fn spdu_reads_commands_under_way_as_transitional() {
        assert_eq!(spdu_power(1), PowerState::On);
        assert_eq!(spdu_power(2), PowerState::Off);
        for v in [3, 5, 6, 7] {
            assert_eq!(spdu_power(v), PowerState::Transitional);
        }
        assert_eq!(spdu_power(4), PowerState::Unknown(4));
        for v in 1..=9 {
            assert_eq!(SpduCtl::from_wire(v).to_wire(), v);
        }
    }
}
