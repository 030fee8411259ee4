//! A DCImanager handler of the IPMI device type that drives server power through the DMTF
//! Redfish API over HTTPS, with the contract of the IPMI handlers: one port, `power`; `status`
//! reads; `port_on`/`port_off` read first, skip when already there, command, and read back
//! until the system follows or the confirmation limit passes; `port_reset` hard-restarts a
//! running server and powers on a stopped one; every answer is the state read.
//!
//! The system is the first (or the `DCIH_REDFISH_SYSTEM`-named) member of
//! `/redfish/v1/Systems`; power is its `PowerState`; commands are `ComputerSystem.Reset` with a
//! ResetType the system allows (`ResetType@Redfish.AllowableValues`, else its ActionInfo):
//! On, ForceOff (or GracefulShutdown: `DCIH_REDFISH_OFF=graceful`), ForceRestart. [`client`]
//! is the HTTPS service and login, [`tls`] which certificates are trusted.

pub mod client;
pub mod tls;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, IPMI_PORT, Info, PortId, PortState, PortStatus,
    Response,
};
use serde_json::Value;

use client::{RedfishError, Service, string};
use tls::{Trust, TrustError};

/// The environment variables of this crate (the TLS and login ones are in [`tls::env`] and
/// [`client::env`]).
pub mod env {
    /// `force` (default: ForceOff, the power is cut) or `graceful` (GracefulShutdown: the OS is
    /// asked to shut down, which it may not do within the confirmation limit).
    pub const OFF: &str = "DCIH_REDFISH_OFF";
    /// The `Id` of the system to drive where `/redfish/v1/Systems` lists several (a chassis
    /// manager); the first member otherwise.
    pub const SYSTEM: &str = "DCIH_REDFISH_SYSTEM";
}

/// How often a change is read back.
const POLL: Duration = Duration::from_millis(500);

/// The handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct RedfishPower;

/// What the system's `PowerState` says, as DCImanager's one port shows it: `On` and `Paused`
/// are on; `Off` is off; the transitional states read as the state being left (power is not
/// yet on while PoweringOn, still on while PoweringOff).
fn port_status(state: &str) -> Option<PortStatus> {
    match state {
        "On" | "Paused" | "PoweringOff" => Some(PortStatus::On),
        "Off" | "PoweringOn" => Some(PortStatus::Off),
        _ => None,
    }
}

/// What a request waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    On,
    Off,
}

impl Wanted {
    fn state(self) -> &'static str {
        match self {
            Wanted::On => "On",
            Wanted::Off => "Off",
        }
    }
}

/// The power-off ResetType.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OffType {
    Force,
    Graceful,
}

impl OffType {
    fn reset_type(self) -> &'static str {
        match self {
            OffType::Force => "ForceOff",
            OffType::Graceful => "GracefulShutdown",
        }
    }
}

/// The options of one call, from the environment.
#[derive(Debug)]
struct Options {
    trust: Trust,
    auth: client::Auth,
    off: OffType,
    system: Option<String>,
}

impl Options {
    fn from_env() -> Result<Options, TrustError> {
        Options::from_lookup(|n| std::env::var(n).ok())
    }

    fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Options, TrustError> {
        let off = match get(env::OFF).as_deref().map(str::trim) {
            None | Some("" | "force") => OffType::Force,
            Some("graceful") => OffType::Graceful,
            Some(other) => {
                return Err(TrustError {
                    name: env::OFF,
                    problem: format!(
                        "expected force or graceful, got '{}'",
                        other.chars().take(40).collect::<String>()
                    ),
                });
            }
        };
        Ok(Options {
            trust: Trust::from_lookup(&get)?,
            auth: client::auth_from(&get)?,
            off,
            system: get(env::SYSTEM).filter(|s| !s.is_empty()),
        })
    }
}

/// A system that did not do what it was told, or that the handler cannot drive.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PowerError {
    /// The reset type is not among those the system allows.
    #[error(
        "the BMC at {target} does not allow ResetType {wanted} on {system} (it allows {allowed})"
    )]
    NotAllowed {
        /// `host:port`.
        target: String,
        /// The system's URI.
        system: String,
        /// The type wanted.
        wanted: &'static str,
        /// What it allows.
        allowed: String,
    },
    /// The system did not reach the state.
    #[error(
        "the BMC at {target} accepted ComputerSystem.Reset ({reset}) but the system did not follow: PowerState still reads {read} after {}",
        dci_protocol::fmt_duration(*waited)
    )]
    NotFollowed {
        /// `host:port`.
        target: String,
        /// The ResetType sent.
        reset: &'static str,
        /// The state read last.
        read: String,
        /// How long it was waited for.
        waited: Duration,
    },
    /// The system resource lacks what power control needs.
    #[error("the BMC at {target}: {what}")]
    Resource {
        /// `host:port`.
        target: String,
        /// What is missing.
        what: String,
    },
}

impl From<PowerError> for Error {
    fn from(e: PowerError) -> Error {
        Error::unexpected_data(e)
    }
}

/// A JSON array's strings (AllowableValues).
fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array().map(|l| {
        l.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

/// The system, as read.
#[derive(Debug)]
struct System {
    /// Its URI.
    path: String,
    /// `PowerState`.
    power: String,
    /// Manufacturer and model, else its name.
    description: Option<String>,
    /// The reset action's target.
    reset: Option<String>,
    /// The reset types allowed, where the resource lists them.
    allowed: Option<Vec<String>>,
    /// The reset action's ActionInfo URI, where it lists them there.
    action_info: Option<String>,
}

impl System {
    fn read(path: String, v: &Value, target: &str) -> Result<System, PowerError> {
        let power = string(v, "PowerState").ok_or_else(|| PowerError::Resource {
            target: target.to_owned(),
            what: format!("{path} has no PowerState"),
        })?;
        let make: Vec<&str> = ["Manufacturer", "Model"]
            .into_iter()
            .filter_map(|k| string(v, k).map(str::trim).filter(|s| !s.is_empty()))
            .collect();
        let description = if make.is_empty() {
            string(v, "Name").map(str::to_owned)
        } else {
            Some(make.join(" "))
        };
        let action = v
            .get("Actions")
            .and_then(|a| a.get("#ComputerSystem.Reset"));
        Ok(System {
            power: power.to_owned(),
            description,
            reset: action.and_then(|a| string(a, "target")).map(str::to_owned),
            allowed: action
                .and_then(|a| a.get("ResetType@Redfish.AllowableValues"))
                .and_then(strings),
            action_info: action
                .and_then(|a| string(a, "@Redfish.ActionInfo"))
                .map(str::to_owned),
            path,
        })
    }
}

/// One call's work on the service.
struct Call<'a> {
    service: Service,
    options: &'a Options,
    confirm: Duration,
}

impl Call<'_> {
    /// The system's URI: the member whose Id `DCIH_REDFISH_SYSTEM` names, else the first.
    async fn system_path(&mut self) -> Result<String, Error> {
        let systems = self.service.get("/redfish/v1/Systems").await?;
        let members: Vec<&str> = systems
            .get("Members")
            .and_then(Value::as_array)
            .map(|m| m.iter().filter_map(|e| string(e, "@odata.id")).collect())
            .unwrap_or_default();
        let target = self.service.target().to_owned();
        let path = match &self.options.system {
            Some(id) => members
                .iter()
                .find(|m| m.trim_end_matches('/').rsplit('/').next() == Some(id.as_str()))
                .copied()
                .ok_or_else(|| PowerError::Resource {
                    target: target.clone(),
                    what: format!(
                        "/redfish/v1/Systems has no system with Id '{id}' ({}: {})",
                        env::SYSTEM,
                        members.join(", ")
                    ),
                })?,
            None => *members.first().ok_or_else(|| PowerError::Resource {
                target: target.clone(),
                what: "/redfish/v1/Systems lists no system".into(),
            })?,
        };
        if members.len() > 1 && self.options.system.is_none() {
            tracing::info!(systems = %members.join(", "), chosen = path, "several systems: the first is driven ({} names another)", env::SYSTEM);
        }
        Ok(path.to_owned())
    }

    async fn system(&mut self, path: &str) -> Result<System, Error> {
        let v = self.service.get(path).await?;
        Ok(System::read(path.to_owned(), &v, self.service.target())?)
    }

    /// The reset types the system allows: from the resource, else from its ActionInfo; `None`
    /// where neither lists them.
    async fn allowed(&mut self, s: &System) -> Result<Option<Vec<String>>, Error> {
        if let Some(a) = &s.allowed {
            return Ok(Some(a.clone()));
        }
        let Some(info) = &s.action_info else {
            return Ok(None);
        };
        let v = self.service.get(info).await?;
        Ok(v.get("Parameters")
            .and_then(Value::as_array)
            .and_then(|ps| ps.iter().find(|p| string(p, "Name") == Some("ResetType")))
            .and_then(|p| p.get("AllowableValues"))
            .and_then(strings))
    }

    /// ComputerSystem.Reset with `reset_type`, refused before sending where the system lists
    /// what it allows and this is not among it. The outer error is a refusal (nothing sent);
    /// the inner one is the POST's own.
    async fn reset(
        &mut self,
        s: &System,
        reset_type: &'static str,
    ) -> Result<Result<(), RedfishError>, Error> {
        let target = self.service.target().to_owned();
        let action = s.reset.clone().ok_or_else(|| PowerError::Resource {
            target: target.clone(),
            what: format!("{} has no ComputerSystem.Reset action", s.path),
        })?;
        if let Some(allowed) = self.allowed(s).await?
            && !allowed.iter().any(|a| a == reset_type)
        {
            return Err(PowerError::NotAllowed {
                target,
                system: s.path.clone(),
                wanted: reset_type,
                allowed: allowed.join(", "),
            }
            .into());
        }
        tracing::info!(system = %s.path, reset_type, "ComputerSystem.Reset");
        Ok(self
            .service
            .post(&action, &serde_json::json!({ "ResetType": reset_type }))
            .await)
    }

    /// [`Call::reset`], then the system read until it shows `wanted` ([`Call::confirm`]). A
    /// reset whose answer is lost on the way (the connection broke, not while connecting) may have
    /// been carried out: it is never sent again. Where the state tells (On, ForceOff,
    /// GracefulShutdown) the system is read and decides; if it never shows, the error is the
    /// lost answer's. A ForceRestart leaves the system on either way, so its lost answer stays
    /// an error.
    async fn reset_and_confirm(
        &mut self,
        s: &System,
        wanted: Wanted,
        reset_type: &'static str,
    ) -> Result<PortStatus, Error> {
        let restart = reset_type == "ForceRestart";
        let unanswered = match self.reset(s, reset_type).await? {
            Ok(()) => None,
            Err(e @ RedfishError::Broke { .. }) if !restart => {
                tracing::debug!(error = %e, "no answer to the reset (it may have been carried out): reading the system instead of sending it again");
                Some(e)
            }
            Err(e) => return Err(e.into()),
        };
        if restart {
            // Give the BMC one poll to start the restart before reading On back.
            tokio::time::sleep(POLL).await;
        }
        self.confirm(&s.path, wanted, reset_type)
            .await
            .map_err(|e| unanswered.map_or(e, Error::from))
    }

    /// Reads the system every [`POLL`] until its PowerState is `wanted`, or the confirmation
    /// limit (never past the deadline) passes.
    async fn confirm(
        &mut self,
        path: &str,
        wanted: Wanted,
        reset: &'static str,
    ) -> Result<PortStatus, Error> {
        let started = Instant::now();
        let until = (started + self.confirm).min(self.service.deadline());
        loop {
            let s = self.system(path).await?;
            if s.power == wanted.state() {
                return Ok(port_status(&s.power).unwrap_or(PortStatus::Off));
            }
            if Instant::now() + POLL > until {
                return Err(PowerError::NotFollowed {
                    target: self.service.target().to_owned(),
                    reset,
                    read: s.power,
                    waited: started.elapsed(),
                }
                .into());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn switch(&mut self, wanted: Wanted) -> Result<PortStatus, Error> {
        let path = self.system_path().await?;
        let s = self.system(&path).await?;
        if s.power == wanted.state() {
            return Ok(port_status(&s.power).unwrap_or(PortStatus::Off));
        }
        let reset = match wanted {
            Wanted::On => "On",
            Wanted::Off => self.options.off.reset_type(),
        };
        self.reset_and_confirm(&s, wanted, reset).await
    }

    async fn restart(&mut self) -> Result<PortStatus, Error> {
        let path = self.system_path().await?;
        let s = self.system(&path).await?;
        // A stopped server is powered on, as the IPMI handlers do.
        let reset = if s.power == "Off" {
            "On"
        } else {
            "ForceRestart"
        };
        self.reset_and_confirm(&s, Wanted::On, reset).await
    }
}

async fn with_call<T>(
    cx: &Context,
    work: impl AsyncFnOnce(&mut Call<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let options = Options::from_env().map_err(|e| Error::unexpected_data(RedfishError::Env(e)))?;
    let service = Service::open(
        cx.device(),
        cx.limits(),
        cx.deadline(),
        &options.trust,
        options.auth,
    )
    .await?;
    let mut call = Call {
        service,
        options: &options,
        confirm: cx.limits().confirm,
    };
    let result = work(&mut call).await;
    call.service.close().await;
    result
}

fn port(status: PortStatus, id: &str) -> PortState {
    let mut p = PortState::new(id);
    p.admin_status = Some(status);
    p
}

impl Handler for RedfishPower {
    const INFO: Info = Info {
        device_type: DeviceType::Ipmi,
        name: Cow::Borrowed("Server power over Redfish (dcihandlers)"),
        // As the IPMI handlers: DCImanager always sends user and pass to an IPMI device.
        requirements: Cow::Borrowed(&[]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let (status, description) = with_call(cx, async |c| {
            let path = c.system_path().await?;
            let s = c.system(&path).await?;
            let status = port_status(&s.power).ok_or_else(|| PowerError::Resource {
                target: c.service.target().to_owned(),
                what: format!(
                    "{path} reads PowerState '{}', which is not a Redfish power state",
                    s.power
                ),
            })?;
            Ok((status, s.description))
        })
        .await?;
        let mut p = port(status, IPMI_PORT);
        p.description = description;
        Ok(Response {
            hostname: None,
            ports: vec![p],
            params: vec![],
        })
    }

    async fn port_on(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        let s = with_call(cx, async |c| c.switch(Wanted::On).await).await?;
        Ok(port(s, p.as_str()))
    }

    async fn port_off(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        let s = with_call(cx, async |c| c.switch(Wanted::Off).await).await?;
        Ok(port(s, p.as_str()))
    }

    async fn port_reset(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        let s = with_call(cx, async |c| c.restart().await).await?;
        Ok(port(s, p.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_states_read_as_the_state_they_leave() {
        assert_eq!(port_status("On"), Some(PortStatus::On));
        assert_eq!(port_status("PoweringOff"), Some(PortStatus::On));
        assert_eq!(port_status("Off"), Some(PortStatus::Off));
        assert_eq!(port_status("PoweringOn"), Some(PortStatus::Off));
        assert_eq!(port_status("Sleeping"), None);
    }

    #[test]
    fn a_system_resource_is_read() {
        let v = serde_json::json!({
            "Name": "node-1",
            "Manufacturer": "Contoso",
            "Model": "3500",
            "PowerState": "On",
            "Actions": {"#ComputerSystem.Reset": {
                "target": "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
                "ResetType@Redfish.AllowableValues": ["On", "ForceOff"]
            }}
        });
        let s = System::read("/redfish/v1/Systems/1".into(), &v, "bmc").unwrap();
        assert_eq!(s.description.as_deref(), Some("Contoso 3500"));
        assert_eq!(
            s.allowed,
            Some(vec!["On".to_owned(), "ForceOff".to_owned()])
        );
        let e = System::read("/x".into(), &serde_json::json!({}), "bmc").unwrap_err();
        assert_eq!(e.to_string(), "the BMC at bmc: /x has no PowerState");
    }

    #[test]
    fn options_come_from_the_environment() {
        let o = Options::from_lookup(|_| None).unwrap();
        assert_eq!(
            (o.off, o.auth, o.trust),
            (OffType::Force, client::Auth::Basic, Trust::System)
        );
        let o = Options::from_lookup(|n| (n == env::OFF).then(|| "graceful".to_owned())).unwrap();
        assert_eq!(o.off.reset_type(), "GracefulShutdown");
        let e = Options::from_lookup(|n| (n == env::OFF).then(|| "gentle".to_owned()))
            .err()
            .unwrap();
        assert!(e.to_string().contains("expected force or graceful"), "{e}");
    }
}
