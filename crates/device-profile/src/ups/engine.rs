//! The engine: a DCImanager UPS handler driven by profiles.
//!
//! `status` is one GET of every object every profile may read (probes, line counts, each
//! source at lines 1 and 2, the status rules' objects): the candidates of all MIBs at once, so
//! a UPS costs one request whichever MIBs it speaks (snmp-core splits the GET on tooBig, and on
//! SNMPv1, which refuses a GET for its first missing object, settles the rest with one
//! GETNEXT). What the answers mean is [`super::read`]'s. `DCIH_UPS_PROFILE` names a file that
//! replaces the compiled profiles, so a vendor can try a UPS before building.

use std::borrow::Cow;
use std::process::ExitCode;

use dci_protocol::{Context, DeviceType, Error, Func, Handler, Info, Requirement, Response};
use snmp_core::Session;

use super::format::UpsProfile;
use super::read::{self, Answered};
use crate::format::ProfileError;

/// The environment variable naming a profile file that replaces the compiled-in ones.
pub const PROFILE_ENV: &str = "DCIH_UPS_PROFILE";

/// `main` of a UPS handler whose profiles its build script compiled
/// ([`crate::build::compile_ups`]).
pub fn run_compiled(profiles: fn() -> Vec<UpsProfile>) -> ExitCode {
    dci_protocol::run(ProfileUps::compiled(profiles))
}

/// A UPS handler built from profiles, used in order.
#[derive(Debug)]
pub struct ProfileUps {
    profiles: Result<Vec<UpsProfile>, ProfileError>,
}

/// A UPS none of whose MIBs answers.
#[derive(Debug, thiserror::Error)]
#[error(
    "{target} has none of the UPS objects this handler reads ({probes}): this handler does not drive it"
)]
pub struct NoTables {
    /// `host:port`.
    pub target: String,
    /// The probes, with the profiles' MIBs.
    pub probes: String,
}

impl ProfileUps {
    /// The handler of compiled profiles (or of the one file `DCIH_UPS_PROFILE` names).
    pub fn compiled(profiles: fn() -> Vec<UpsProfile>) -> ProfileUps {
        ProfileUps {
            profiles: from_env().unwrap_or_else(|| Ok(profiles())),
        }
    }

    /// The handler of these profiles, as given.
    pub fn new(profiles: Vec<UpsProfile>) -> ProfileUps {
        ProfileUps {
            profiles: Ok(profiles),
        }
    }
}

/// The profile in the file `DCIH_UPS_PROFILE` names, if it names one.
fn from_env() -> Option<Result<Vec<UpsProfile>, ProfileError>> {
    crate::format::from_env_file(PROFILE_ENV, UpsProfile::parse)
}

const REQUIREMENTS: &[Requirement] = &[
    Requirement::Snmpv1,
    Requirement::Snmpv2c,
    Requirement::Snmpv3,
    Requirement::CanCollectPower,
];

impl Handler for ProfileUps {
    const INFO: Info = Info {
        device_type: DeviceType::Ups,
        name: Cow::Borrowed("UPS from device profiles (SNMP, dcihandlers)"),
        requirements: Cow::Borrowed(REQUIREMENTS),
        funcs: Cow::Borrowed(&[Func::Status]),
    };

    fn info(&self) -> Info {
        match self.profiles.as_ref().ok().and_then(|p| p.first()) {
            Some(first) => Info {
                name: Cow::Owned(first.profile.name.clone()),
                ..Self::INFO
            },
            None => Self::INFO,
        }
    }

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let ps = self
            .profiles
            .as_ref()
            .map_err(|e| Error::unexpected_data(e.clone()))?;
        let mut objects: Vec<Vec<u32>> = Vec::new();
        for o in ps.iter().flat_map(UpsProfile::objects) {
            if !objects.contains(&o) {
                objects.push(o);
            }
        }
        let s = Session::for_call(cx).await?;
        tracing::debug!(
            objects = %objects
                .iter()
                .map(|o| o.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
                .collect::<Vec<_>>()
                .join(" "),
            "one GET of every profile's objects"
        );
        let refs: Vec<&[u32]> = objects.iter().map(Vec::as_slice).collect();
        let values = s.get_optional(&refs).await?;
        let got: Answered = objects
            .into_iter()
            .zip(values)
            .filter_map(|(o, v)| v.ok().map(|v| (o, v)))
            .collect();
        let Some(answer) = read::answer(ps, &got) else {
            return Err(Error::unexpected_data(NoTables {
                target: s.target().to_owned(),
                probes: ps
                    .iter()
                    .map(|p| {
                        let probes: Vec<&str> = p
                            .detect
                            .probe
                            .iter()
                            .map(|o| o.get_ref().as_str())
                            .collect();
                        format!("{} {}", p.profile.mib, probes.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            }));
        };
        tracing::info!(profiles = %answer.profiles.join(", "), objects = got.len(), "UPS read");
        for note in &answer.notes {
            tracing::info!("{note}");
        }
        Ok(Response {
            params: answer.params,
            ..Response::default()
        })
    }
}
