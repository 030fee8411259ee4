//! What each function does with the RPCM.
//!
//! A port is an output, its identity the output number (the table index). `status` is one walk
//! of the administrative state. Switching writes the administrative state and reads it back
//! through snmp-core's power helper; the RPCM has no reboot command, so reset is off,
//! confirmed, then on, confirmed.
//!
//! No `statistics`: the protocol's `power` is watts, and the RPCM objects known here give the
//! output current in mA only. Watts would need the voltage (and, for AC, the power factor);
//! multiplying by a nominal 230 V would be a guess, and this handler reports only what it reads.

use std::borrow::Cow;
use std::time::Duration;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, Info, PortId, PortState, Requirement, Response,
};
use snmp_core::Session;
use snmp_core::power::{Command, Found, Outlet, POLL_EVERY, Wanted};

use crate::oids::{at, output};
use crate::values::{self, AdminState};

/// How long an output may take to show a change: the relay acts within a second; 10 s is what
/// DCImanager 6's own RPCM handler waits.
pub const DEVICE_MAX: Duration = Duration::from_secs(10);

/// The RPCM PDU handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct RpcmPdu;

/// What is wrong with an outlet request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutletError {
    /// The identity is not an output number.
    #[error("port '{identity}' is not an RPCM output number (a number from 1)")]
    NotAnOutlet {
        /// The identity given.
        identity: String,
    },
    /// The device has no RPCM output table.
    #[error(
        "{target} has none of the RPCM output tables (1.3.6.1.4.1.46235.2.4.2.1): it is not an RPCM"
    )]
    NoTables {
        /// `host:port`.
        target: String,
    },
    /// No output has that number.
    #[error("{target} has no output {n}")]
    NoSuchOutlet {
        /// `host:port`.
        target: String,
        /// The number.
        n: u32,
    },
}

impl From<OutletError> for Error {
    fn from(e: OutletError) -> Error {
        Error::unexpected_data(e)
    }
}

impl Handler for RpcmPdu {
    const INFO: Info = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("RPCM PDU (SNMP, dcihandlers)"),
        requirements: Cow::Borrowed(&[
            Requirement::Snmpv1,
            Requirement::Snmpv2c,
            Requirement::Snmpv3,
        ]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
        let table = s.table(&[output::ADMIN_STATE]).await?;
        let mut ports = Vec::new();
        for row in table.rows().filter(|r| r.index.len() == 1) {
            let Some(v) = row.integer(0)? else { continue };
            let mut p = PortState::new(row.index[0].to_string());
            p.admin_status = Some(AdminState::from_wire(v).to_power().to_protocol());
            ports.push(p);
        }
        if ports.is_empty() {
            return Err(OutletError::NoTables {
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

/// The outlet of output `n`: the administrative state, read and written, no reboot command.
pub fn outlet(n: u32, within: Duration) -> Outlet {
    let state = at(output::ADMIN_STATE, n);
    Outlet {
        name: format!("output {n}"),
        state: state.clone(),
        decode: values::power_state,
        on: Command {
            oid: state.clone(),
            value: AdminState::On.to_wire(),
        },
        off: Command {
            oid: state,
            value: AdminState::Off.to_wire(),
        },
        reboot: None,
        pending: None,
        within,
        every: POLL_EVERY,
    }
}

/// Checks the output exists and describes it as an outlet, with the state read (one GET).
async fn prepare(cx: &Context, port: &PortId) -> Result<Found, Error> {
    let n = port
        .as_str()
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| OutletError::NotAnOutlet {
            identity: port.as_str().to_owned(),
        })?;
    let s = Session::for_call(cx).await?;
    let o = outlet(n, Outlet::bounded(DEVICE_MAX, cx.limits().confirm));
    match Found::find(s, o).await? {
        Ok(found) => Ok(found),
        Err(s) => Err(OutletError::NoSuchOutlet {
            target: s.target().to_owned(),
            n,
        }
        .into()),
    }
}
