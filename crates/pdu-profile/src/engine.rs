//! The engine: a DCImanager PDU handler driven by a profile.
//!
//! `status` is one walk of every column it needs (the state sources and the name columns, each
//! ending on its own); `statistics`, where the profile has a power reading, one walk of it (and
//! of its decimal-digits column); switching finds the outlet with one GET of its state (and
//! pending column) and goes through snmp-core's confirmed power helper, so a profile handler
//! costs what a hand-written one does. The profile is compiled in; `DCIH_PDU_PROFILE` names a
//! file that replaces it, so a vendor can try a device with `dci-harness` before building.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, Info, PortId, PortState, Requirement, Response,
};
use snmp_core::Session;
use snmp_core::power::{Command, Decode, Found, Outlet, Pending, Wanted};

use crate::format::{IndexShape, Profile, ProfileError, Reset, StateSource};

/// The environment variable naming a profile file that replaces the compiled-in one.
pub const PROFILE_ENV: &str = "DCIH_PDU_PROFILE";

/// `main` of a profile handler: `fn main() -> ExitCode { pdu_profile::run("x.toml",
/// include_str!("../x.toml")) }`.
pub fn run(source: &'static str, text: &'static str) -> ExitCode {
    dci_protocol::run(ProfilePdu::load(source, text))
}

/// A PDU handler built from a profile.
#[derive(Debug)]
pub struct ProfilePdu {
    profile: Result<Profile, ProfileError>,
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
    /// The device has none of the profile's tables.
    #[error("{target} has none of the {name} tables ({tables}): it is not a {name}")]
    NoTables {
        /// `host:port`.
        target: String,
        /// The family.
        name: String,
        /// The state columns looked for.
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
        let profile = match std::env::var_os(PROFILE_ENV) {
            Some(path) => {
                let name = path.to_string_lossy().into_owned();
                std::fs::read_to_string(&path)
                    .map_err(|e| ProfileError {
                        profile: name.clone(),
                        line: 0,
                        field: PROFILE_ENV.into(),
                        problem: format!("cannot read the file: {e}"),
                    })
                    .and_then(|t| Profile::parse(&name, &t))
            }
            None => Profile::parse(source, text),
        };
        ProfilePdu { profile }
    }

    fn profile(&self) -> Result<&Profile, Error> {
        self.profile
            .as_ref()
            .map_err(|e| PduError::Profile(e.clone()).into())
    }
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
        let Ok(p) = &self.profile else {
            return Self::INFO;
        };
        let mut funcs = vec![Func::Status];
        let mut requirements = SNMP.to_vec();
        if p.metrics.power.is_some() {
            funcs.push(Func::Statistics);
            requirements.push(Requirement::CanCollectPower);
        }
        if p.outlets.control.is_some() {
            funcs.extend([Func::PortOn, Func::PortOff, Func::PortReset]);
        }
        Info {
            device_type: DeviceType::Pdu,
            name: Cow::Owned(p.profile.name.clone()),
            requirements: Cow::Owned(requirements),
            funcs: Cow::Owned(funcs),
        }
    }

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let p = self.profile()?;
        let s = Session::for_call(cx).await?;
        let ports = outlets(&s, p).await?;
        Ok(Response {
            hostname: None,
            ports,
            params: vec![],
        })
    }

    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        let p = self.profile()?;
        let Some(metric) = p.metrics.power.as_ref().map(|m| m.get_ref()) else {
            return Err(Error::NotImplemented {
                func: Func::Statistics,
            });
        };
        let s = Session::for_call(cx).await?;
        let shape = p.outlets.index;
        let mut columns = vec![column(&metric.oid)];
        if let Some(scale) = &metric.scale_from {
            columns.push(column(&scale.oid));
        }
        let refs: Vec<&[u32]> = columns.iter().map(Vec::as_slice).collect();
        let walked = s.walk(&refs).await?;
        let digits: BTreeMap<Vec<u32>, i64> = walked
            .get(1)
            .into_iter()
            .flatten()
            .filter_map(|(i, v)| {
                let key = key(shape, i, metric.scale_from.as_ref()?.suffix.as_deref())?;
                Some((key, v.as_integer()?))
            })
            .collect();
        let mut ports: BTreeMap<Vec<u32>, PortState> = BTreeMap::new();
        for (i, v) in &walked[0] {
            let (Some(k), Some(raw)) = (key(shape, i, metric.suffix.as_deref()), v.as_integer())
            else {
                continue;
            };
            let mut port = PortState::new(identity(&k));
            port.power = metric.value(raw, digits.get(&k).copied());
            ports.insert(k, port);
        }
        if ports.is_empty() {
            // A model of the family that does not meter its outlets: them without power, not
            // an error DCImanager would report on every poll.
            tracing::warn!(
                "the PDU does not meter its outlets ({} has no rows): statistics lists them without power",
                metric.oid
            );
            let listed = outlets(&s, p).await?;
            return Ok(Response {
                hostname: None,
                ports: listed
                    .into_iter()
                    .map(|o| PortState::new(o.identity))
                    .collect(),
                params: vec![],
            });
        }
        Ok(Response {
            hostname: None,
            ports: ports.into_values().collect(),
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
    /// The outlet `port` names, found with one GET of its state (and pending column).
    async fn find(&self, cx: &Context, port: &PortId) -> Result<Found, Error> {
        let p = self.profile()?;
        let o = &p.outlets;
        let noun = o.noun.clone();
        let k = parse_identity(o.index, port.as_str()).ok_or_else(|| PduError::NotAnOutlet {
            identity: port.as_str().to_owned(),
            noun: format!("an {noun}"),
            shape: match o.index {
                IndexShape::Number => "a number from 1",
                IndexShape::UnitNumber => "unit.number",
            },
        })?;
        let control = o
            .control
            .as_ref()
            .map(|c| c.get_ref())
            .ok_or(Error::NotImplemented { func: Func::PortOn })?;
        let source = o.state[0].get_ref();
        let at = |oid: &str| [column(oid), k.clone()].concat();
        let outlet = Outlet {
            name: format!("{noun} {}", port.as_str()),
            state: state_oid(source, &k),
            decode: decode(source),
            on: Command {
                oid: at(&control.on.oid),
                value: control.on.value,
            },
            off: Command {
                oid: at(&control.off.oid),
                value: control.off.value,
            },
            reboot: match &control.reset {
                Reset::Native(a) => Some(Command {
                    oid: at(&a.oid),
                    value: a.value,
                }),
                Reset::Sequence(_) => None,
            },
            pending: o.pending.as_ref().map(|pd| Pending {
                oid: at(pd.oid.get_ref()),
                value: pd.value,
            }),
            within: Outlet::bounded(Duration::from_secs(o.confirm.within_s), cx.limits().confirm),
            every: Duration::from_millis(o.confirm.poll_ms),
        };
        let s = Session::for_call(cx).await?;
        match Found::find(s, outlet).await? {
            Ok(found) => Ok(found),
            Err(s) => Err(PduError::NoSuchOutlet {
                target: s.target().to_owned(),
                noun,
                identity: port.as_str().to_owned(),
            }
            .into()),
        }
    }
}

/// Every outlet with its admin status (the first state source with a value for it) and its
/// name (the first non-empty name column), in one walk.
async fn outlets(s: &Session, p: &Profile) -> Result<Vec<PortState>, Error> {
    let o = &p.outlets;
    let shape = o.index;
    let mut columns: Vec<Vec<u32>> = o.state.iter().map(|st| column(&st.get_ref().oid)).collect();
    columns.extend(o.names.iter().map(|n| column(n.get_ref())));
    let refs: Vec<&[u32]> = columns.iter().map(Vec::as_slice).collect();
    let walked = s.walk(&refs).await?;
    let mut ports: BTreeMap<Vec<u32>, PortState> = BTreeMap::new();
    for (st, cells) in o.state.iter().zip(&walked) {
        let st = st.get_ref();
        let decode = decode(st);
        for (i, v) in cells {
            let (Some(k), Some(v)) = (key(shape, i, st.suffix.as_deref()), v.as_integer()) else {
                continue;
            };
            let port = ports
                .entry(k.clone())
                .or_insert_with(|| PortState::new(identity(&k)));
            if port.admin_status.is_none() {
                port.admin_status = Some(decode.apply(v).to_protocol());
            }
        }
    }
    if ports.is_empty() {
        return Err(PduError::NoTables {
            target: s.target().to_owned(),
            name: p.profile.name.clone(),
            tables: o
                .state
                .iter()
                .map(|st| st.get_ref().oid.clone())
                .collect::<Vec<_>>()
                .join(", "),
        }
        .into());
    }
    for cells in &walked[o.state.len()..] {
        for (i, v) in cells {
            let Some(k) = key(shape, i, None) else {
                continue;
            };
            if let (Some(port), Some(name)) = (ports.get_mut(&k), v.as_text())
                && port.description.is_none()
                && !name.trim().is_empty()
            {
                port.description = Some(name);
            }
        }
    }
    Ok(ports.into_values().collect())
}

/// The power helper's map of a state source.
fn decode(st: &StateSource) -> Decode {
    Decode::Sets {
        on: st.on.clone(),
        off: st.off.clone(),
        transitional: st.transitional.clone(),
    }
}

/// The state OID of outlet `k` in source `st`.
fn state_oid(st: &StateSource, k: &[u32]) -> Vec<u32> {
    let mut oid = [column(&st.oid), k.to_vec()].concat();
    if let Some(sfx) = &st.suffix {
        oid.extend(column(sfx));
    }
    oid
}

/// A checked dotted OID's arcs (the checker refused any other).
fn column(oid: &str) -> Vec<u32> {
    oid.split('.').filter_map(|a| a.parse().ok()).collect()
}

/// The outlet key of a row index: its first arcs, by shape, once the suffix is stripped.
fn key(shape: IndexShape, index: &[u32], suffix: Option<&str>) -> Option<Vec<u32>> {
    let index = match suffix {
        Some(sfx) => index.strip_suffix(column(sfx).as_slice())?,
        None => index,
    };
    let n = match shape {
        IndexShape::Number => 1,
        IndexShape::UnitNumber => 2,
    };
    (index.len() == n).then(|| index.to_vec())
}

/// The identity DCImanager sees: `N`, or `U.N`.
fn identity(k: &[u32]) -> String {
    k.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

/// The key an identity names, if it has the shape.
fn parse_identity(shape: IndexShape, s: &str) -> Option<Vec<u32>> {
    let k: Vec<u32> = s
        .split('.')
        .map(|a| a.parse::<u32>().ok().filter(|n| *n >= 1))
        .collect::<Option<_>>()?;
    key(shape, &k, None)
}
