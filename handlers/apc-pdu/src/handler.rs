//! What each function does with the APC PDU.
//!
//! A port is an outlet, its identity the table index N. `status` is one walk of every outlet
//! table this handler knows (rPDU2 switched and metered, rPDU, sPDUOutletCtl: each column ends
//! on its own, so the tables a device lacks cost nothing after the first request) and answers
//! from the newest generation that has rows. Switching finds the outlet in the newest table
//! that has it and goes through snmp-core's power helper: rPDU2 and rPDU write their control
//! table's immediate commands and read the status table's state; sPDUOutletCtl is read and
//! written. Reset is the PDU's own immediateReboot (outletReboot), confirmed back on.
//! `statistics` is rPDU2OutletMeteredStatusPower, watts per outlet, where the PDU meters its
//! outlets; a switched-only model (the same sysObjectID) answers its outlets without power and
//! logs one warning saying why: an error would become an error report in DCImanager on every
//! statistics poll.

use std::borrow::Cow;
use std::time::Duration;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, Info, PortId, PortState, PortStatus, Requirement,
    Response,
};
use snmp_core::power::{Command, Found, Outlet, POLL_EVERY, Pending, PowerState, Wanted};
use snmp_core::{Session, Table};

use crate::oids::{
    at, rpdu_control, rpdu_status, rpdu2_control, rpdu2_metered, rpdu2_status, spdu,
};
use crate::values::{self, ImmediateCommand, SpduCtl};

/// How long an outlet may take to show a change. APC relays switch in well under a second and
/// the state follows within about 1.5 s; a reboot holds the outlet off for the PDU's reboot
/// duration (5 s by default, configurable), so 20 s, the PDU bar, bounded by the confirm limit.
pub const DEVICE_MAX: Duration = Duration::from_secs(20);

/// The APC PDU handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApcPdu;

/// The generation of outlet tables a PDU answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// rPDU2OutletSwitched tables.
    Rpdu2,
    /// rPDUOutletStatus and rPDUOutletControl tables.
    Rpdu,
    /// MasterSwitch sPDUOutletControlTable.
    MasterSwitch,
}

/// What is wrong with a request to this PDU.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApcError {
    /// None of the tables: not an APC switched or metered PDU.
    #[error(
        "{target} has none of the APC outlet tables (rPDU2OutletSwitchedStatusTable, rPDU2OutletMeteredStatusTable, rPDUOutletStatusTable, sPDUOutletControlTable): it is not an APC switched or metered-by-outlet PDU"
    )]
    NoTables {
        /// `host:port`.
        target: String,
    },
    /// The identity is not an outlet index.
    #[error("port '{identity}' is not an APC outlet index (a number from 1)")]
    NotAnOutlet {
        /// The identity given.
        identity: String,
    },
    /// No switched outlet has that index.
    #[error(
        "{target} has no switched outlet {n} (in rPDU2OutletSwitchedStatusTable, rPDUOutletStatusTable or sPDUOutletControlTable)"
    )]
    NoSuchOutlet {
        /// `host:port`.
        target: String,
        /// The index.
        n: u32,
    },
}

impl From<ApcError> for Error {
    fn from(e: ApcError) -> Error {
        Error::unexpected_data(e)
    }
}

/// The columns `status` walks, in this order.
const STATUS_COLUMNS: &[&[u32]] = &[
    rpdu2_status::NAME,
    rpdu2_status::STATE,
    rpdu2_metered::NAME,
    rpdu_status::NAME,
    rpdu_status::STATE,
    spdu::NAME,
    spdu::CTL,
];
const C_RPDU2_NAME: usize = 0;
const C_RPDU2_STATE: usize = 1;
const C_METERED_NAME: usize = 2;
const C_RPDU_NAME: usize = 3;
const C_RPDU_STATE: usize = 4;
const C_SPDU_NAME: usize = 5;
const C_SPDU_CTL: usize = 6;

impl Handler for ApcPdu {
    const INFO: Info = Info {
        device_type: DeviceType::Pdu,
        name: Cow::Borrowed("APC switched and metered PDU (SNMP, dcihandlers)"),
        requirements: Cow::Borrowed(&[
            Requirement::Snmpv1,
            Requirement::Snmpv2c,
            Requirement::Snmpv3,
            Requirement::CanCollectPower,
        ]),
        funcs: Cow::Borrowed(&[
            Func::Status,
            Func::Statistics,
            Func::PortOn,
            Func::PortOff,
            Func::PortReset,
        ]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
        let table = s.table(STATUS_COLUMNS).await?;
        let ports = status_ports(&table)?.ok_or_else(|| ApcError::NoTables {
            target: s.target().to_owned(),
        })?;
        Ok(Response {
            hostname: None,
            ports,
            params: vec![],
        })
    }

    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
        let table = s.table(&[rpdu2_metered::POWER]).await?;
        let mut ports = Vec::new();
        for row in table.rows().filter(|r| r.index.len() == 1) {
            let Some(w) = row.integer(0)? else { continue };
            let mut p = PortState::new(row.index[0].to_string());
            // Watts, as the PDU reports them; -1 is "not available" and is left out.
            p.power = (w >= 0).then_some(w as f64);
            ports.push(p);
        }
        if ports.is_empty() {
            // A switched-only model (one sysObjectID covers both): its outlets without power,
            // not an error DCImanager would report on every statistics poll.
            let table = s.table(STATUS_COLUMNS).await?;
            let outlets = status_ports(&table)?.ok_or_else(|| ApcError::NoTables {
                target: s.target().to_owned(),
            })?;
            tracing::warn!(
                target_agent = %s.target(),
                "the PDU does not meter its outlets (no rPDU2OutletMeteredStatusTable): statistics lists them without power"
            );
            ports = outlets
                .into_iter()
                .map(|o| PortState::new(o.identity))
                .collect();
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

/// A map from a state INTEGER to the power helper's state.
type Decode = fn(i64) -> PowerState;

/// The ports of the newest generation with rows; `None` when the PDU has none of the tables.
/// A metered-only PDU (rPDU2 metered table, no switched table) lists its outlets with an
/// unknown admin status: it has no switch to report.
fn status_ports(table: &Table) -> Result<Option<Vec<PortState>>, snmp_core::SnmpError> {
    let choices: [(usize, usize, Decode); 3] = [
        (C_RPDU2_STATE, C_RPDU2_NAME, values::rpdu2_power),
        (C_RPDU_STATE, C_RPDU_NAME, values::rpdu_power),
        (C_SPDU_CTL, C_SPDU_NAME, values::spdu_power),
    ];
    for (state_col, name_col, decode) in choices {
        let mut ports = Vec::new();
        for row in table.rows().filter(|r| r.index.len() == 1) {
            let Some(v) = row.integer(state_col)? else {
                continue;
            };
            let mut p = PortState::new(row.index[0].to_string());
            p.description = row.text(name_col)?;
            p.admin_status = Some(decode(v).to_protocol());
            ports.push(p);
        }
        if !ports.is_empty() {
            return Ok(Some(ports));
        }
    }
    let mut metered = Vec::new();
    for row in table.rows().filter(|r| r.index.len() == 1) {
        let Some(name) = row.text(C_METERED_NAME)? else {
            continue;
        };
        let mut p = PortState::new(row.index[0].to_string());
        p.description = Some(name);
        p.admin_status = Some(PortStatus::Unknown);
        metered.push(p);
    }
    Ok((!metered.is_empty()).then_some(metered))
}

/// Outlet `n` of a PDU of generation `g`.
pub fn outlet(g: Generation, n: u32, within: Duration) -> Outlet {
    let immediate = |column: &[u32], c: ImmediateCommand| Command {
        oid: at(column, n),
        value: c.to_wire(),
    };
    let (state, decode, on, off, reboot): (Vec<u32>, Decode, Command, Command, Command) = match g {
        Generation::Rpdu2 => (
            at(rpdu2_status::STATE, n),
            values::rpdu2_power,
            immediate(rpdu2_control::COMMAND, ImmediateCommand::On),
            immediate(rpdu2_control::COMMAND, ImmediateCommand::Off),
            immediate(rpdu2_control::COMMAND, ImmediateCommand::Reboot),
        ),
        Generation::Rpdu => (
            at(rpdu_status::STATE, n),
            values::rpdu_power,
            immediate(rpdu_control::COMMAND, ImmediateCommand::On),
            immediate(rpdu_control::COMMAND, ImmediateCommand::Off),
            immediate(rpdu_control::COMMAND, ImmediateCommand::Reboot),
        ),
        Generation::MasterSwitch => {
            let ctl = |c: SpduCtl| Command {
                oid: at(spdu::CTL, n),
                value: c.to_wire(),
            };
            (
                at(spdu::CTL, n),
                values::spdu_power,
                ctl(SpduCtl::On),
                ctl(SpduCtl::Off),
                ctl(SpduCtl::Reboot),
            )
        }
    };
    // rPDU2 says when a command is still on its way: a reboot is confirmed only once done.
    let pending = (g == Generation::Rpdu2).then(|| Pending {
        oid: at(rpdu2_status::COMMAND_PENDING, n),
        value: values::COMMAND_PENDING,
    });
    Outlet {
        name: format!("outlet {n}"),
        state,
        decode: snmp_core::power::Decode::Fn(decode),
        on,
        off,
        reboot: Some(reboot),
        pending,
        within,
        every: POLL_EVERY,
    }
}

/// Finds the outlet in the newest table that has it (one GET per generation tried, newest
/// first; on rPDU2 with the command-pending object) and describes it, with the state that GET
/// read.
async fn prepare(cx: &Context, port: &PortId) -> Result<Found, Error> {
    let n = port
        .as_str()
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| ApcError::NotAnOutlet {
            identity: port.as_str().to_owned(),
        })?;
    let mut s = Session::for_call(cx).await?;
    let within = Outlet::bounded(DEVICE_MAX, cx.limits().confirm);
    for g in [
        Generation::Rpdu2,
        Generation::Rpdu,
        Generation::MasterSwitch,
    ] {
        s = match Found::find(s, outlet(g, n, within)).await? {
            Ok(found) => return Ok(found),
            Err(s) => s,
        };
    }
    Err(ApcError::NoSuchOutlet {
        target: s.target().to_owned(),
        n,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use snmp_core::Value;

    use super::*;

    fn walked(cols: &[Vec<(u32, Value)>]) -> Table {
        let columns: Vec<snmp_core::Column> = cols
            .iter()
            .map(|c| c.iter().map(|(i, v)| (vec![*i], v.clone())).collect())
            .collect();
        Table::join("pdu:161".into(), STATUS_COLUMNS, columns)
    }

    fn text(s: &str) -> Value {
        Value::OctetString(s.as_bytes().to_vec())
    }

    #[test]
    fn the_newest_generation_wins() {
        // rPDU2 and sPDUOutletCtl both present (as on the AP8641): rPDU2's inverted values.
        let t = walked(&[
            vec![(1, text("a")), (2, text("b"))],
            vec![(1, Value::Integer(2)), (2, Value::Integer(1))],
            vec![],
            vec![],
            vec![],
            vec![(1, text("old-a")), (2, text("old-b"))],
            vec![(1, Value::Integer(2)), (2, Value::Integer(2))],
        ]);
        let ports = status_ports(&t).unwrap().unwrap();
        let got: Vec<_> = ports
            .iter()
            .map(|p| (p.description.as_deref(), p.admin_status))
            .collect();
        assert_eq!(
            got,
            [
                (Some("a"), Some(PortStatus::On)),
                (Some("b"), Some(PortStatus::Off))
            ]
        );
    }

    #[test]
    fn older_generations_and_metered_only() {
        let t = walked(&[
            vec![],
            vec![],
            vec![],
            vec![(4, text("r"))],
            vec![(4, Value::Integer(1))],
            vec![],
            vec![],
        ]);
        let ports = status_ports(&t).unwrap().unwrap();
        assert_eq!(ports[0].identity, "4");
        assert_eq!(ports[0].admin_status, Some(PortStatus::On));
        let t = walked(&[
            vec![],
            vec![],
            vec![(7, text("m"))],
            vec![],
            vec![],
            vec![],
            vec![],
        ]);
        let ports = status_ports(&t).unwrap().unwrap();
        assert_eq!(ports[0].admin_status, Some(PortStatus::Unknown));
        let none = walked(&[vec![], vec![], vec![], vec![], vec![], vec![], vec![]]);
        assert!(status_ports(&none).unwrap().is_none());
    }

    #[test]
    fn outlets_write_the_right_objects() {
        let o = outlet(Generation::Rpdu, 5, Duration::from_secs(3));
        assert_eq!(o.state, at(rpdu_status::STATE, 5));
        assert_eq!(
            (o.off.oid.clone(), o.off.value),
            (at(rpdu_control::COMMAND, 5), 2)
        );
        let o = outlet(Generation::MasterSwitch, 5, Duration::from_secs(3));
        assert_eq!(o.state, o.on.oid);
        assert_eq!(o.reboot.map(|c| c.value), Some(3));
        let o = outlet(Generation::Rpdu2, 5, Duration::from_secs(3));
        assert_eq!(o.decode.apply(2), PowerState::On);
    }
}
