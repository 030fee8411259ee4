//! A DCImanager PDU handler for ServerTech Sentry PDUs, built from two device profiles tried in
//! order: Sentry4 (`sentry4.toml`: st4OutletState, the control state's pending values,
//! st4OutletControlAction) and Sentry3 (`sentry3.toml`: outletStatus with its wait and error
//! states, outletControlAction). Outlets are `tower.infeed.outlet`. The engine is
//! device-profile's; this crate is the profiles and their tests.

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
