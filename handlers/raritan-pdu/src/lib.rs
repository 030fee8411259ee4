//! A DCImanager PDU handler for Raritan PDUs, built from two device profiles tried in order:
//! PX2/PX3 (PDU2-MIB, `raritan-pdu2.toml`: the switching state, else the on/off sensor;
//! switchingOperation off/on/cycle; active power scaled by its decimal digits) and the first
//! Dominion PX (PDU-MIB, `raritan-px.toml`: outletOperationalState read and written). The
//! engine is device-profile's; this crate is the profiles and their tests.

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
}
