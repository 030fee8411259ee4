//! A DCImanager switch handler for Cisco switches, and for any switch with IF-MIB.
//!
//! Device knowledge only: [`oids`] holds the objects read and written, [`values`] the maps
//! between their enumerations and the protocol's values, [`handler`] what each function does
//! with them. Sessions, walks and confirmation come from snmp-core; the protocol from
//! dci-protocol.

pub mod handler;
pub mod mac;
pub mod oids;
pub mod values;
pub mod vtp;
pub mod write;

pub use handler::CiscoSwitch;

/// `conformance.follow` (read by `cargo xtask conformance`) says the same as [`oids`] and the
/// trunk rule of [`vtp`].
#[cfg(test)]
mod conformance_rules {
    use crate::oids::trunk;
    use crate::vtp::is_trunk;

    #[test]
    fn match_the_oids_and_the_trunk_rule() {
        let dotted = |o: &[u32]| o.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        // on(1) and onNoNegotiate(5) trunk, off(2) does not, by either column.
        assert!(is_trunk(Some(1), Some(1), None) && is_trunk(None, Some(1), None));
        assert!(!is_trunk(Some(2), Some(2), None) && !is_trunk(None, Some(2), None));
        let rules: Vec<&str> = include_str!("../conformance.follow")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(
            rules,
            [format!(
                "{} {} 1>1/5>1/2>2",
                dotted(trunk::DYNAMIC_STATE),
                dotted(trunk::DYNAMIC_STATUS)
            )]
        );
    }
}
