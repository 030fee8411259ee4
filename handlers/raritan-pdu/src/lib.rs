//! A DCImanager PDU handler for Raritan PDUs, built from two device profiles tried in order:
//! PX2/PX3 (PDU2-MIB, `raritan-pdu2.toml`: the switching state, else the on/off sensor;
//! switchingOperation off/on/cycle; active power scaled by its decimal digits) and the first
//! Dominion PX (PDU-MIB, `raritan-px.toml`: outletOperationalState read and written). The
//! engine is pdu-profile's; this crate is the profiles and their tests.

/// The profiles, compiled in, in the order they are tried.
pub const PROFILES: &[(&str, &str)] = &[
    ("raritan-pdu2.toml", include_str!("../raritan-pdu2.toml")),
    ("raritan-px.toml", include_str!("../raritan-px.toml")),
];

include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[cfg(test)]
mod tests {
    use pdu_profile::Profile;
    use pdu_profile::format::Reset;

    /// Every profile reads, meters its outlets in watts, and resets with the PDU's own command.
    #[test]
    fn the_profiles_read_meter_and_reboot_natively() {
        for (name, text) in super::PROFILES {
            let p = Profile::parse(name, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(p.metrics.power.is_some(), "{name}");
            let c = p.outlets.control.as_ref().expect("a control").get_ref();
            assert!(matches!(c.reset, Reset::Native(_)), "{name}");
        }
    }
}

#[cfg(test)]
mod compiled {
    /// What the build script compiled is what the TOML says.
    #[test]
    fn the_compiled_profiles_are_the_files() {
        let parsed: Vec<pdu_profile::Profile> = super::PROFILES
            .iter()
            .map(|(name, text)| pdu_profile::Profile::parse(name, text).expect("a profile"))
            .collect();
        assert_eq!(super::profiles(), parsed);
    }
}
