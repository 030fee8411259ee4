//! A DCImanager PDU handler for RPCM PDUs (enterprise 46235), built from its device profile
//! (`rpcm.toml`): outputs switched through their administrative state and confirmed by reading
//! it back; no `statistics` (the RPCM gives current in mA, not watts). The engine is
//! device-profile's; this crate is the profile and the test that it reads.

// `PROFILES` (the files), `profiles()` (compiled by build.rs) and a test that they agree.
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[cfg(test)]
mod tests {
    #[test]
    fn the_profile_reads() {
        let [p] = &super::profiles()[..] else {
            panic!("one profile")
        };
        assert_eq!(p.profile.name, "RPCM PDU (SNMP, dcihandlers)");
        assert!(
            p.metrics.power.is_none(),
            "the RPCM meters current, not watts"
        );
    }
}
