//! A DCImanager PDU handler for IBM BladeCenter: each blade bay is an outlet, switched through
//! the management module's BLADE-MIB.
//!
//! Device knowledge only: [`oids`] holds the objects read and written, [`values`] the maps
//! between their enumerations and the protocol's values, [`handler`] what each function does
//! with them. Sessions, walks and confirmed switching come from snmp-core.

pub mod handler;
pub mod oids;
pub mod values;

pub use handler::IbmBladePdu;

/// `conformance.follow` (read by `cargo xtask conformance`) says the same as [`oids`] and
/// [`values`].
#[cfg(test)]
mod conformance_rules {
    use crate::oids::{control, status};
    use crate::values::{BladePower, POWER_OFF, POWER_ON, RESTART};

    #[test]
    fn match_the_oids_and_values() {
        let dotted = |o: &[u32]| o.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let state = dotted(status::POWER_STATE);
        assert_eq!(
            (BladePower::from_wire(1), BladePower::from_wire(0)),
            (BladePower::On, BladePower::Off)
        );
        let rules: Vec<&str> = include_str!("../conformance.follow")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(
            rules,
            [
                format!(
                    "{} {state} {POWER_ON}>1/{POWER_OFF}>0",
                    dotted(control::POWER_ON_OFF)
                ),
                format!("{} {state} {RESTART}>1", dotted(control::RESTART)),
            ]
        );
    }
}
