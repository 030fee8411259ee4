//! What both IPMI handlers do with a BMC: read the chassis power state and name the BMC
//! (`status`), switch the power and watch it follow (`port_on`, `port_off`), reset a running
//! server or power on a stopped one (`port_reset`).
//!
//! Each function is one session at the lowest privilege the operation needs (USER to read,
//! OPERATOR to switch; `DCIH_IPMI_PRIVILEGE` raises it) and reports the state as read back from
//! the BMC, never the state asked for.

use std::fmt;
use std::time::{Duration, Instant};

use dci_protocol::{Device, Limits};

use crate::commands::{self, ChassisControl};
use crate::{IpmiError, Options, Privilege, Session, Version};

/// How often the power state is read while waiting for it to follow a command. ipmipower polls
/// about this often; a BMC answers Get Chassis Status in milliseconds.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

/// The chassis power state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerState {
    /// System power is on.
    On,
    /// System power is off.
    Off,
}

impl PowerState {
    fn from_on(on: bool) -> PowerState {
        if on { PowerState::On } else { PowerState::Off }
    }

    /// "on" or "off".
    pub const fn as_str(self) -> &'static str {
        match self {
            PowerState::On => "on",
            PowerState::Off => "off",
        }
    }
}

impl fmt::Display for PowerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `status` learns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The chassis power state.
    pub power: PowerState,
    /// The BMC, as Get Device ID names it (or "IPMI BMC" when it will not say).
    pub description: String,
}

/// The time limits of one call.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The device: address and IPMI login.
    pub device: &'a Device,
    /// Timeouts, retries, confirmation time, deadline.
    pub limits: &'a Limits,
    /// When the whole call must be over.
    pub deadline: Instant,
    /// IPMI 1.5 or 2.0.
    pub version: Version,
}

impl Call<'_> {
    fn session(&self, needed: Privilege) -> Result<Session, IpmiError> {
        let options = Options::from_env(self.version, needed)?;
        Session::open(self.device, self.limits, self.deadline, &options)
    }
}

fn read_power(s: &mut Session) -> Result<PowerState, IpmiError> {
    Ok(PowerState::from_on(
        commands::get_chassis_status(s)?.power_on,
    ))
}

/// The power state and the BMC's name: Get Chassis Status and Get Device ID in one USER session.
pub fn status(call: &Call<'_>) -> Result<Status, IpmiError> {
    let mut s = call.session(Privilege::User)?;
    let power = read_power(&mut s)?;
    // A BMC that will not say who it is still has a power state worth reporting.
    let description = match commands::get_device_id(&mut s) {
        Ok(id) => id.describe(),
        Err(e @ (IpmiError::Completion { .. } | IpmiError::Truncated { .. })) => {
            tracing::warn!(target: "ipmi_core", error = %e, "no device ID; describing the BMC generically");
            "IPMI BMC".to_owned()
        }
        Err(e) => return Err(e),
    };
    s.close();
    Ok(Status { power, description })
}

/// Switches the chassis power to `want` (unless it is there already) and waits until the BMC
/// reads it so.
pub fn switch(call: &Call<'_>, want: PowerState) -> Result<PowerState, IpmiError> {
    let mut s = call.session(Privilege::Operator)?;
    let now = read_power(&mut s)?;
    if now == want {
        tracing::debug!(target: "ipmi_core", power = %now, "already there; no command sent");
        s.close();
        return Ok(now);
    }
    let action = match want {
        PowerState::On => ChassisControl::PowerUp,
        PowerState::Off => ChassisControl::PowerDown,
    };
    let read = control_and_confirm(&mut s, call, action, want)?;
    s.close();
    Ok(read)
}

/// A hard reset of a running server, confirmed on; a server that is off is powered on instead
/// (a reset of an off chassis does nothing on many BMCs, and some refuse it with 0xD5).
pub fn reset(call: &Call<'_>) -> Result<PowerState, IpmiError> {
    let mut s = call.session(Privilege::Operator)?;
    let action = match read_power(&mut s)? {
        PowerState::On => ChassisControl::HardReset,
        PowerState::Off => {
            tracing::info!(target: "ipmi_core", "the chassis is off: powering it on instead of a reset");
            ChassisControl::PowerUp
        }
    };
    let read = control_and_confirm(&mut s, call, action, PowerState::On)?;
    s.close();
    Ok(read)
}

/// Sends `action`, then reads the power state every [`POLL_EVERY`] until it is `want` or the
/// confirmation time (`limits.confirm`) passes, never beyond the call's deadline less one try
/// (kept for closing the session and answering).
fn control_and_confirm(
    s: &mut Session,
    call: &Call<'_>,
    action: ChassisControl,
    want: PowerState,
) -> Result<PowerState, IpmiError> {
    // A command left unanswered may have been applied (its answer lost): never sent blindly
    // again. Where the state tells (power up, power down), it is read as after any command and
    // decides; if it never shows, the command's error is the one reported. A reset of a running
    // server leaves it on either way, so its silence stays an error.
    let unanswered = match commands::chassis_control(s, action) {
        Ok(()) => None,
        Err(e @ IpmiError::NoAnswer { .. }) if action != ChassisControl::HardReset => {
            tracing::debug!(target: "ipmi_core", action = action.name(), "no answer to the command (it may have been applied): reading the power state instead of sending it again");
            Some(e)
        }
        Err(e) => return Err(e),
    };
    confirm(s, call, action, want).map_err(|e| unanswered.unwrap_or(e))
}

/// Reads the power state every [`POLL_EVERY`] until it is `want` or the confirmation time
/// passes (see [`control_and_confirm`]).
fn confirm(
    s: &mut Session,
    call: &Call<'_>,
    action: ChassisControl,
    want: PowerState,
) -> Result<PowerState, IpmiError> {
    let started = Instant::now();
    let until = (started + call.limits.confirm).min(
        call.deadline
            .checked_sub(call.limits.timeout)
            .unwrap_or(started),
    );
    loop {
        let read = read_power(s)?;
        if read == want {
            tracing::debug!(
                target: "ipmi_core",
                action = action.name(),
                after_ms = started.elapsed().as_millis() as u64,
                "power state followed"
            );
            return Ok(read);
        }
        let next = Instant::now() + POLL_EVERY;
        if next > until {
            return Err(IpmiError::NotFollowed {
                target: s.target().to_owned(),
                action: action.name(),
                read: read.as_str(),
                waited: started.elapsed(),
            });
        }
        std::thread::sleep(POLL_EVERY);
    }
}
