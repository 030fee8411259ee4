//! The engine: a DCImanager PDU handler driven by a profile.
//!
//! `status` is one walk of every column it needs (the state sources and the name columns, each
//! ending on its own); `statistics`, where the profile has a power reading, one walk of it (and
//! of its decimal-digits column); switching finds the outlet with one GET of its state, pending
//! and switchable columns and goes through snmp-core's confirmed power helper, so a profile
//! handler costs the requests a hand-written one does. What the walks mean is [`crate::read`]'s.
//! The profiles are compiled in and read at start; `DCIH_PDU_PROFILE` names a file that
//! replaces them, so a vendor can try a device with `dci-harness` before building.

use std::borrow::Cow;
use std::process::ExitCode;
use std::time::Duration;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, Info, PortId, PortState, Readings, Requirement,
    Response,
};
use snmp_core::Session;
use snmp_core::power::{Command, Found, Outlet, Pending, Wanted};

use crate::format::{Action, Profile, ProfileError, Reset, StateSource};
use crate::read::{self, Walked};

/// The environment variable naming a profile file that replaces the compiled-in one.
pub const PROFILE_ENV: &str = "DCIH_PDU_PROFILE";

/// `main` of a profile handler: `fn main() -> ExitCode { device_profile::run("x.toml",
/// include_str!("../x.toml")) }`.
pub fn run(source: &'static str, text: &'static str) -> ExitCode {
    dci_protocol::run(ProfilePdu::load(source, text))
}

/// `main` of a handler of several generations, tried in order.
pub fn run_all(profiles: &[(&str, &str)]) -> ExitCode {
    dci_protocol::run(ProfilePdu::load_all(profiles))
}

/// `main` of a handler whose profiles its build script compiled ([`crate::build`]): no TOML is
/// read at start, unless `DCIH_PDU_PROFILE` names a file.
pub fn run_compiled(profiles: fn() -> Vec<Profile>) -> ExitCode {
    dci_protocol::run(ProfilePdu::compiled(profiles))
}

/// A PDU handler built from profiles: one family, or several generations of one vendor tried
/// in order (the first whose tables answer drives the device).
#[derive(Debug)]
pub struct ProfilePdu {
    profiles: Result<Vec<Profile>, ProfileError>,
}

/// What is wrong with an outlet request, or with the device, in a profile's words.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PduError {
    /// The identity does not have the profile's index shape.
    #[error("port '{identity}' is not {noun} identity of this PDU ({shape})")]
    NotAnOutlet {
        /// The identity given.
        identity: String,
        /// The profile's noun, with its article.
        noun: String,
        /// The shape expected.
        shape: &'static str,
    },
    /// The device has none of the profiles' tables.
    #[error("{target} has none of the {family} tables ({tables}): this handler does not drive it")]
    NoTables {
        /// `host:port`.
        target: String,
        /// The family's tables, in words.
        family: String,
        /// The columns looked for.
        tables: String,
    },
    /// No outlet has that identity.
    #[error("{target} has no {noun} {identity}")]
    NoSuchOutlet {
        /// `host:port`.
        target: String,
        /// The profile's noun.
        noun: String,
        /// The identity.
        identity: String,
    },
    /// The device says the outlet cannot be switched.
    #[error("{target}: {noun} {identity} cannot be switched (the device says so in {column})")]
    NotSwitchable {
        /// `host:port`.
        target: String,
        /// The profile's noun.
        noun: String,
        /// The identity.
        identity: String,
        /// The column that says so.
        column: String,
    },
    /// The profile cannot be used.
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

impl From<PduError> for Error {
    fn from(e: PduError) -> Error {
        Error::unexpected_data(e)
    }
}

impl ProfilePdu {
    /// The handler of the profile in `text` (named `source`), or of the file `DCIH_PDU_PROFILE`
    /// names. A profile that does not read answers every call with its error.
    pub fn load(source: &str, text: &str) -> ProfilePdu {
        ProfilePdu::load_all(&[(source, text)])
    }

    /// The handler of several generations' profiles, tried in this order (or of the one file
    /// `DCIH_PDU_PROFILE` names).
    pub fn load_all(profiles: &[(&str, &str)]) -> ProfilePdu {
        let profiles = from_env().unwrap_or_else(|| {
            profiles
                .iter()
                .map(|(source, text)| Profile::parse(source, text))
                .collect()
        });
        ProfilePdu { profiles }
    }

    /// The handler of profiles compiled by a build script (or of the one file
    /// `DCIH_PDU_PROFILE` names).
    pub fn compiled(profiles: fn() -> Vec<Profile>) -> ProfilePdu {
        ProfilePdu {
            profiles: from_env().unwrap_or_else(|| Ok(profiles())),
        }
    }

    fn profiles(&self) -> Result<&[Profile], Error> {
        self.profiles
            .as_ref()
            .map(Vec::as_slice)
            .map_err(|e| PduError::Profile(e.clone()).into())
    }
}

/// The profile in the file `DCIH_PDU_PROFILE` names, if it names one.
fn from_env() -> Option<Result<Vec<Profile>, ProfileError>> {
    crate::format::from_env_file(PROFILE_ENV, Profile::parse)
}

/// What every profile handler declares; [`Handler::info`] adds what the profile says.
const BASE_FUNCS: &[Func] = &[Func::Status];
const SNMP: &[Requirement] = &[
    Requirement::Snmpv1,
    Requirement::Snmpv2c,
    Requirement::Snmpv3,
];

impl Handler for ProfilePdu {
    const INFO: Info = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("PDU from a device profile (SNMP, dcihandlers)"),
        requirements: Cow::Borrowed(SNMP),
        funcs: Cow::Borrowed(BASE_FUNCS),
    };

    fn info(&self) -> Info {
        let Ok(ps) = &self.profiles else {
            return Self::INFO;
        };
        let Some(first) = ps.first() else {
            return Self::INFO;
        };
        let metered = ps.iter().any(|p| p.metrics.power.is_some());
        let mut funcs = vec![Func::Status];
        let mut requirements = SNMP.to_vec();
        if metered {
            funcs.push(Func::Statistics);
            requirements.push(Requirement::CanCollectPower);
        }
        if ps.iter().any(|p| p.outlets.control.is_some()) {
            funcs.extend([Func::PortOn, Func::PortOff, Func::PortReset]);
        }
        Info {
            device_type: DeviceType::Pdu,
            name: Cow::Owned(first.profile.name.clone()),
            requirements: Cow::Owned(requirements),
            funcs: Cow::Owned(funcs),
        }
    }

    fn readings(&self) -> Readings {
        self.profiles
            .as_ref()
            .map_or(Readings::NONE, |ps| read::offered(ps))
    }

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let ps = self.profiles()?;
        let s = Session::for_call(cx).await?;
        let ports = outlets(&s, ps).await?;
        Ok(Response {
            hostname: None,
            ports,
            params: vec![],
        })
    }

    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        let ps = self.profiles()?;
        let s = Session::for_call(cx).await?;
        // Every generation's power column (and the current and energy columns a DCImanager 6
        // request asks for, and their digits columns) in one walk; the first with rows answers.
        let cols = read::metric_columns(ps, cx.readings());
        let walked = walk(&s, cols).await?;
        if let Some(ports) = read::metered(ps, &walked, cx.readings()) {
            return Ok(Response {
                hostname: None,
                ports,
                params: vec![],
            });
        }
        // A model that does not meter its outlets (one sysObjectID often covers metered and
        // switched-only models): its outlets without power, not an error DCImanager would
        // report on every poll.
        let listed = outlets(&s, ps).await?;
        tracing::warn!(
            "the PDU does not meter its outlets (no power reading has rows): statistics lists them without power"
        );
        Ok(Response {
            hostname: None,
            ports: listed
                .into_iter()
                .map(|o| PortState::new(o.identity))
                .collect(),
            params: vec![],
        })
    }

    async fn port_on(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        Ok(self
            .find(cx, port)
            .await?
            .switch(Wanted::On)
            .await?
            .answer(port))
    }

    async fn port_off(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        Ok(self
            .find(cx, port)
            .await?
            .switch(Wanted::Off)
            .await?
            .answer(port))
    }

    async fn port_reset(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        Ok(self.find(cx, port).await?.reset().await?.answer(port))
    }
}

impl ProfilePdu {
    /// The outlet `port` names, in the first generation (and state source) that has it: one
    /// GET of its state, pending and switchable columns per source tried.
    async fn find(&self, cx: &Context, port: &PortId) -> Result<Found, Error> {
        let ps = self.profiles()?;
        let switched: Vec<&Profile> = ps.iter().filter(|p| p.outlets.control.is_some()).collect();
        let first = switched
            .first()
            .ok_or(Error::NotImplemented { func: Func::PortOn })?;
        let noun = first.outlets.noun.clone();
        let mut s = Session::for_call(cx).await?;
        for p in &switched {
            let o = &p.outlets;
            let Some(k) = read::parse_identity(o, port.as_str()) else {
                continue;
            };
            let Some(control) = o.control.as_ref().map(|c| c.get_ref()) else {
                continue;
            };
            let at = |oid: &str| [read::arcs(oid), k.clone()].concat();
            let command = |a: &Action| Command {
                oid: at(&a.oid),
                value: a.value,
            };
            let guard = o.switchable.as_ref().map(|sw| at(sw.oid.get_ref()));
            for source in &o.state {
                let source = source.get_ref();
                let outlet = Outlet {
                    name: format!("{} {}", o.noun, port.as_str()),
                    state: state_oid(source, &k),
                    decode: read::decode(source),
                    on: command(&control.on),
                    off: command(&control.off),
                    reboot: match &control.reset {
                        Reset::Native(a) => Some(command(a)),
                        Reset::Sequence(_) => None,
                    },
                    pending: o.pending.as_ref().map(|pd| Pending {
                        oid: at(pd.oid.get_ref()),
                        values: pd.values.clone(),
                    }),
                    within: Outlet::bounded(
                        Duration::from_secs(o.confirm.within_s),
                        cx.limits().confirm,
                    ),
                    every: Duration::from_millis(o.confirm.poll_ms),
                };
                let extra: Vec<&[u32]> = guard.iter().map(Vec::as_slice).collect();
                s = match Found::find_with(s, outlet, &extra).await? {
                    Ok((found, extra)) => {
                        if let (Some(sw), Some(Some(v))) = (&o.switchable, extra.first())
                            && sw.allows(v) == Some(false)
                        {
                            return Err(PduError::NotSwitchable {
                                target: found.session.target().to_owned(),
                                noun: o.noun.clone(),
                                identity: port.as_str().to_owned(),
                                column: sw.oid.get_ref().clone(),
                            }
                            .into());
                        }
                        return Ok(found);
                    }
                    Err(s) => s,
                };
            }
        }
        if read::parse_identity(&first.outlets, port.as_str()).is_none() {
            return Err(PduError::NotAnOutlet {
                identity: port.as_str().to_owned(),
                noun: format!("an {noun}"),
                shape: first.outlets.index.words(),
            }
            .into());
        }
        Err(PduError::NoSuchOutlet {
            target: s.target().to_owned(),
            noun,
            identity: port.as_str().to_owned(),
        }
        .into())
    }
}

/// `cols`, walked together (each ending on its own).
async fn walk(s: &Session, cols: Vec<Vec<u32>>) -> Result<Walked, Error> {
    let refs: Vec<&[u32]> = cols.iter().map(Vec::as_slice).collect();
    let rows = s.walk(&refs).await?;
    Ok(Walked::new(cols, rows))
}

/// Every outlet with its admin status and name ([`read::outlets`]), every profile's columns in
/// one walk; none of the profiles' tables is an error that says so.
async fn outlets(s: &Session, ps: &[Profile]) -> Result<Vec<PortState>, Error> {
    let walked = walk(s, read::status_columns(ps)).await?;
    if let Some((_, ports)) = read::outlets(ps, &walked) {
        return Ok(ports);
    }
    let first = ps.first();
    Err(PduError::NoTables {
        target: s.target().to_owned(),
        family: first.map_or_else(String::new, |p| p.profile.family().to_owned()),
        tables: ps
            .iter()
            .flat_map(|p| p.outlets.state.iter().map(|st| st.get_ref().oid.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    }
    .into())
}

/// The state OID of outlet `k` in source `st`.
fn state_oid(st: &StateSource, k: &[u32]) -> Vec<u32> {
    let mut oid = [read::arcs(&st.oid), k.to_vec()].concat();
    if let Some(sfx) = &st.suffix {
        oid.extend(read::arcs(sfx));
    }
    oid
}
