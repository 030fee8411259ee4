//! What each function does with the BladeCenter.
//!
//! A port is a blade bay, its identity the bay number. `status` is one walk of bladeExists,
//! bladePowerState and bladeName together, by multi-varbind GETNEXT whatever the SNMP version
//! (the management module does not do GETBULK): one request per bay. Switching reads the bay
//! first (an empty bay is refused before anything is written), then goes through snmp-core's
//! power helper: powerOnOffBlade, confirmed on bladePowerState; reset is restartBlade confirmed
//! back on.

use std::borrow::Cow;
use std::time::Duration;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, Info, PortId, PortState, Requirement, Response,
};
use snmp_core::Session;
use snmp_core::power::{self, Command, Decode, Found, Outlet, POLL_EVERY, Wanted};

use crate::oids::{at, control, status};
use crate::values::{self, BladePower};

/// How long a blade may take to show a change: the management module reports power on after
/// the blade's service processor has acted, a few seconds; 20 s is the PDU bar.
pub const DEVICE_MAX: Duration = Duration::from_secs(20);

/// The IBM BladeCenter blade power handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct IbmBladePdu;

/// What is wrong with a bay request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BayError {
    /// The identity is not a bay number.
    #[error("port '{identity}' is not a blade bay number (a number from 1)")]
    NotABay {
        /// The identity given.
        identity: String,
    },
    /// The management module has no such bay.
    #[error("{target} has no blade bay {bay}")]
    NoSuchBay {
        /// `host:port`.
        target: String,
        /// The bay.
        bay: u32,
    },
    /// The device has no bladeSystemStatusTable.
    #[error(
        "{target} has none of the BLADE-MIB tables (bladeSystemStatusTable): it is not an IBM BladeCenter management module"
    )]
    NoTables {
        /// `host:port`.
        target: String,
    },
    /// The bay holds no blade.
    #[error("{target}: blade bay {bay} is empty (no blade installed), so it cannot be switched")]
    EmptyBay {
        /// `host:port`.
        target: String,
        /// The bay.
        bay: u32,
    },
}

impl From<BayError> for Error {
    fn from(e: BayError) -> Error {
        Error::unexpected_data(e)
    }
}

const S_EXISTS: usize = 0;
const S_POWER: usize = 1;
const S_NAME: usize = 2;

impl Handler for IbmBladePdu {
    const INFO: Info = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("IBM BladeCenter blade power (SNMP, dcihandlers)"),
        requirements: Cow::Borrowed(&[
            Requirement::Snmpv1,
            Requirement::Snmpv2c,
            Requirement::Snmpv3,
        ]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let s = session(cx).await?;
        let table = s
            .table(&[status::EXISTS, status::POWER_STATE, status::NAME])
            .await?;
        let mut ports = Vec::new();
        for row in table.rows().filter(|r| r.index.len() == 1) {
            let bay = row.index[0];
            let Some(power) = row.integer(S_POWER)? else {
                continue;
            };
            let exists = row.integer(S_EXISTS)?.map(values::exists);
            let name = row.text(S_NAME)?;
            let mut p = PortState::new(bay.to_string());
            p.description = Some(values::description(bay, exists, name.as_deref()));
            p.admin_status = Some(BladePower::from_wire(power).to_power().to_protocol());
            ports.push(p);
        }
        if ports.is_empty() {
            return Err(BayError::NoTables {
                target: s.target().to_owned(),
            }
            .into());
        }
        Ok(Response {
            hostname: None,
            ports,
            params: vec![],
        })
    }

    async fn port_on(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        Ok(prepare(cx, port)
            .await?
            .switch(Wanted::On)
            .await?
            .answer(port))
    }

    async fn port_off(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        Ok(prepare(cx, port)
            .await?
            .switch(Wanted::Off)
            .await?
            .answer(port))
    }

    async fn port_reset(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        Ok(prepare(cx, port).await?.reset().await?.answer(port))
    }
}

/// Opens the session a call needs: walks by GETNEXT on every version.
async fn session(cx: &Context) -> Result<Session, Error> {
    Ok(Session::for_call(cx).await?.walk_with_getnext())
}

fn bay(port: &PortId) -> Result<u32, BayError> {
    port.as_str()
        .parse::<u32>()
        .ok()
        .filter(|b| *b >= 1)
        .ok_or_else(|| BayError::NotABay {
            identity: port.as_str().to_owned(),
        })
}

/// The outlet of bay `bay`.
pub fn outlet(bay: u32, within: Duration) -> Outlet {
    Outlet {
        name: format!("blade bay {bay}"),
        state: at(status::POWER_STATE, bay),
        decode: Decode::Fn(values::power_state),
        on: Command {
            oid: at(control::POWER_ON_OFF, bay),
            value: values::POWER_ON,
        },
        off: Command {
            oid: at(control::POWER_ON_OFF, bay),
            value: values::POWER_OFF,
        },
        reboot: Some(Command {
            oid: at(control::RESTART, bay),
            value: values::RESTART,
        }),
        pending: None,
        within,
        every: POLL_EVERY,
    }
}

/// Checks the bay exists and holds a blade, and describes it as an outlet, with its state:
/// bladeExists and bladePowerState in one GET.
async fn prepare(cx: &Context, port: &PortId) -> Result<Found, Error> {
    let bay = bay(port)?;
    let s = session(cx).await?;
    let o = outlet(bay, Outlet::bounded(DEVICE_MAX, cx.limits().confirm));
    let mut got = s
        .get_optional(&[&at(status::EXISTS, bay), &o.state])
        .await?;
    let state = got.pop();
    match got.pop().unwrap_or(Err("not answered")) {
        Err(_) => {
            return Err(BayError::NoSuchBay {
                target: s.target().to_owned(),
                bay,
            }
            .into());
        }
        Ok(v) if v.as_integer().map(values::exists) != Some(true) => {
            return Err(BayError::EmptyBay {
                target: s.target().to_owned(),
                bay,
            }
            .into());
        }
        Ok(_) => {}
    }
    match state {
        Some(Ok(v)) => Ok(Found::new(s, o, &v)?),
        // A blade without a power state: read it again for the error that names the object.
        _ => {
            let now = power::read(&s, &o).await?;
            Ok(Found {
                session: s,
                outlet: o,
                now,
            })
        }
    }
}
