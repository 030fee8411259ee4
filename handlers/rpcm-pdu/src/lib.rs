//! A DCImanager PDU handler for RPCM PDUs (enterprise 46235), built from its device profile
//! (`rpcm.toml`): outputs switched through their administrative state and confirmed by reading
//! it back; no `statistics` (the RPCM gives current in mA, not watts). The engine is
//! pdu-profile's; this crate is the profile and the test that it reads.

/// The profile, compiled in.
pub const PROFILE: &str = include_str!("../rpcm.toml");

include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[cfg(test)]
mod tests {
    #[test]
    fn the_profile_reads() {
        let p = pdu_profile::Profile::parse("rpcm.toml", super::PROFILE)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.profile.name, "RPCM PDU (SNMP, dcihandlers)");
        assert!(
            p.metrics.power.is_none(),
            "the RPCM meters current, not watts"
        );
    }
}

#[cfg(test)]
mod compiled {
    /// What the build script compiled is what the TOML says.
    #[test]
    fn the_compiled_profile_is_the_file() {
        let parsed = pdu_profile::Profile::parse("rpcm.toml", super::PROFILE).expect("a profile");
        assert_eq!(super::profiles(), [parsed]);
    }
}
