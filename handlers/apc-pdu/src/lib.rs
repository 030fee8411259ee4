//! A DCImanager PDU handler for APC switched and metered-by-outlet PDUs (PowerNet-MIB), built
//! from device profiles: three generations of outlet tables, tried newest first, the first whose
//! tables answer driving the device: rPDU2 (AP86xx/AP89xx and later; `apc-rpdu2.toml`), rPDU
//! (AP79xx; `apc-rpdu.toml`), MasterSwitch sPDUOutletCtl (AP92xx/AP96xx;
//! `apc-masterswitch.toml`), and an rPDU2 that meters without switching
//! (`apc-rpdu2-metered.toml`: its outlets by name, admin status unknown). The engine is
//! device-profile's; this crate is the profiles and their tests.

// `PROFILES` (the files), `profiles()` (compiled by build.rs) and a test that they agree.
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[cfg(test)]
mod tests {
    use device_profile::Profile;
    use device_profile::format::Reset;

    fn read(k: usize) -> Profile {
        super::profiles().swap_remove(k)
    }

    #[test]
    fn only_rpdu2_meters() {
        let all: Vec<Profile> = (0..super::PROFILES.len()).map(read).collect();
        assert!(all.iter().all(|p| p.profile.name == all[0].profile.name));
        assert!(all[0].metrics.power.is_some() && all[3].metrics.power.is_some());
        assert!(all[1].metrics.power.is_none() && all[2].metrics.power.is_none());
        // Every switching generation reboots with its own command.
        for p in &all[..3] {
            let c = p.outlets.control.as_ref().expect("a control").get_ref();
            assert!(matches!(c.reset, Reset::Native(_)), "{}", p.profile.id);
        }
        assert!(all[3].outlets.control.is_none() && all[3].outlets.state.is_empty());
    }

    /// `conformance.follow` (read by `cargo xtask conformance`) says what the profiles say:
    /// each command column's immediate on/off/reboot leads to the state column's on/off/on.
    #[test]
    fn conformance_rules_match_the_profiles() {
        let rules: Vec<String> = include_str!("../conformance.follow")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        let mut want = Vec::new();
        for k in 0..2 {
            let p = read(k);
            let c = p.outlets.control.as_ref().expect("a control").get_ref();
            let st = p.outlets.state[0].get_ref();
            let Reset::Native(reboot) = &c.reset else {
                panic!("a reboot command")
            };
            want.push(format!(
                "{} {} {}>{}/{}>{}/{}>{}",
                c.on.oid,
                st.oid,
                c.on.value,
                st.on[0],
                c.off.value,
                st.off[0],
                reboot.value,
                st.on[0]
            ));
        }
        assert_eq!(rules, want);
    }
}
