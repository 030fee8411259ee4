//! A DCImanager PDU handler for APC switched and metered-by-outlet PDUs (PowerNet-MIB).
//!
//! Three generations of outlet tables, chosen by what the device answers, newest first: rPDU2
//! (AP86xx/AP89xx and later), rPDU (AP79xx), MasterSwitch sPDUOutletCtl (AP92xx/AP96xx).
//! Device knowledge only: [`oids`] holds the objects, [`values`] the enumerations and their
//! maps, [`handler`] what each function does. Sessions, walks and confirmed switching come from
//! snmp-core.

pub mod handler;
pub mod oids;
pub mod values;

pub use handler::ApcPdu;

/// `conformance.follow` (read by `cargo xtask conformance`) says the same as [`oids`] and
/// [`values`].
#[cfg(test)]
mod conformance_rules {
    use crate::oids::{rpdu_control, rpdu_status, rpdu2_control, rpdu2_status};
    use crate::values::{ImmediateCommand, Rpdu2State, RpduState};

    #[test]
    fn match_the_oids_and_values() {
        let dotted = |o: &[u32]| o.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let (on, off, reboot) = (
            ImmediateCommand::On.to_wire(),
            ImmediateCommand::Off.to_wire(),
            ImmediateCommand::Reboot.to_wire(),
        );
        assert_eq!(
            (Rpdu2State::from_wire(2), Rpdu2State::from_wire(1)),
            (Rpdu2State::On, Rpdu2State::Off)
        );
        assert_eq!(
            (RpduState::from_wire(1), RpduState::from_wire(2)),
            (RpduState::On, RpduState::Off)
        );
        let rules: Vec<&str> = include_str!("../conformance.follow")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(
            rules,
            [
                format!(
                    "{} {} {on}>2/{off}>1/{reboot}>2",
                    dotted(rpdu2_control::COMMAND),
                    dotted(rpdu2_status::STATE)
                ),
                format!(
                    "{} {} {on}>1/{off}>2/{reboot}>1",
                    dotted(rpdu_control::COMMAND),
                    dotted(rpdu_status::STATE)
                ),
            ]
        );
    }
}
