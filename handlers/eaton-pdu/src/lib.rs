//! A DCImanager PDU handler for Eaton ePDUs (EATON-EPDU-MIB), built from its device profile
//! (`eaton-epdu.toml`): outlets switched by the On/Off/Reboot commands written with 0 (now),
//! pendingOn/pendingOff read as "not yet", outlets the PDU says are not switchable refused,
//! watts from outletWatts. Daisy-chained units are `unit.outlet`; a lone ePDU's outlets are
//! plain numbers. The engine is device-profile's; this crate is the profile and its tests.

// `PROFILES` (the files), `profiles()` (compiled by build.rs) and a test that they agree.
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[cfg(test)]
mod tests {
    use device_profile::format::Reset;

    /// Every profile meters its outlets in watts and resets with the PDU's own command.
    #[test]
    fn the_profiles_meter_and_reboot_natively() {
        for p in super::profiles() {
            let id = &p.profile.id;
            assert!(p.metrics.power.is_some(), "{id}");
            let c = p.outlets.control.as_ref().expect("a control").get_ref();
            assert!(matches!(c.reset, Reset::Native(_)), "{id}");
        }
    }

    /// `conformance.follow` (read by `cargo xtask conformance`) says what the profile says: the
    /// On, Off and Reboot objects lead the state column to on, off and on.
    #[test]
    fn conformance_rules_match_the_profile() {
        let p = &super::profiles()[0];
        let c = p.outlets.control.as_ref().expect("a control").get_ref();
        let st = p.outlets.state[0].get_ref();
        let Reset::Native(reboot) = &c.reset else {
            panic!("a reboot command")
        };
        let want: Vec<String> = [(&c.on, st.on[0]), (&c.off, st.off[0]), (reboot, st.on[0])]
            .iter()
            .map(|(a, to)| format!("{} {} *>{to}", a.oid, st.oid))
            .collect();
        let rules: Vec<&str> = include_str!("../conformance.follow")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(rules, want);
    }
}
