//! What each function does with the switch.
//!
//! A port's identity is its ifIndex, as the guide's handler has it. `status` is one walk: every
//! column it needs from ifTable, ifXTable, EtherLike-MIB and CISCO-STACK-MIB's portTable travels
//! in each GETBULK, with sysName as a non-repeater of the first. Speed and duplex come from
//! portTable (the configured values, joined to ifIndex through portIfIndex, module.port index
//! and all); on switches without portTable, from ifHighSpeed/ifSpeed and dot3StatsDuplexStatus
//! (the running values), or are left out. Every change is read back before it is reported.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use dci_protocol::{
    Context, DeviceType, Duplex, Error, Func, Handler, Info, PortId, PortState, Requirement,
    Response, SnmpVersion, Speed,
};
use snmp_core::{Row, Session, SnmpError, Table, Value};

use crate::oids::{DOT3_DUPLEX_STATUS, SYS_NAME, if_table, if_x_table, port_table};
use crate::values::{
    IfStatus, PortAdminSpeed, PortDuplex, dot3_duplex, speed_from_bps, speed_from_mbps,
};

/// How often a change is read back while waiting for it to show.
const CONFIRM_EVERY: Duration = Duration::from_millis(250);

/// The Cisco switch handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct CiscoSwitch;

/// What is wrong with a port request on this switch.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
    /// The identity is not an ifIndex.
    #[error(
        "port '{identity}' is not an ifIndex (this handler identifies ports by ifIndex, a number from 1)"
    )]
    NotAnIfIndex {
        /// The identity given.
        identity: String,
    },
    /// No interface has that ifIndex.
    #[error("{target} has no interface with ifIndex {if_index}")]
    NoSuchPort {
        /// `host:port`.
        target: String,
        /// The ifIndex.
        if_index: u32,
    },
    /// Speed and duplex are set through CISCO-STACK-MIB, which this switch does not have.
    #[error(
        "{target} has no CISCO-STACK-MIB portTable (as most IOS and IOS-XE switches), so its port {what} cannot be set over SNMP"
    )]
    NoPortTable {
        /// `host:port`.
        target: String,
        /// "speed" or "duplex".
        what: &'static str,
    },
    /// The interface exists but no portTable row names it.
    #[error(
        "{target}: no CISCO-STACK-MIB portTable row has portIfIndex {if_index}, so its {what} cannot be set"
    )]
    NotInPortTable {
        /// `host:port`.
        target: String,
        /// The ifIndex.
        if_index: u32,
        /// "speed" or "duplex".
        what: &'static str,
    },
    /// The device lists no interface: it is not a switch this handler drives.
    #[error(
        "{target} has none of the IF-MIB tables (no ifTable row): it is not a switch this handler drives"
    )]
    NoInterfaces {
        /// `host:port`.
        target: String,
    },
    /// CISCO-STACK-MIB makes portDuplex auto(4) read-only.
    #[error(
        "CISCO-STACK-MIB cannot set duplex to auto (portDuplex auto(4) is read-only); set speed auto to negotiate both"
    )]
    DuplexAutoReadOnly,
}

impl From<PortError> for Error {
    fn from(e: PortError) -> Error {
        Error::unexpected_data(e)
    }
}

/// Opens the session a call needs, bounded by the call's deadline.
async fn session(cx: &Context) -> Result<Session, Error> {
    Ok(Session::open(cx.device(), cx.limits(), cx.deadline()).await?)
}

fn if_index(port: &PortId) -> Result<u32, PortError> {
    port.as_str()
        .parse::<u32>()
        .ok()
        .filter(|i| *i >= 1)
        .ok_or_else(|| PortError::NotAnIfIndex {
            identity: port.as_str().to_owned(),
        })
}

/// The columns `status` walks, in this order.
const STATUS_COLUMNS: &[&[u32]] = &[
    if_table::DESCR,
    if_table::ADMIN_STATUS,
    if_table::OPER_STATUS,
    if_table::SPEED,
    if_x_table::HIGH_SPEED,
    DOT3_DUPLEX_STATUS,
    port_table::IF_INDEX,
    port_table::ADMIN_SPEED,
    port_table::DUPLEX,
];
const S_DESCR: usize = 0;
const S_ADMIN: usize = 1;
const S_OPER: usize = 2;
const S_SPEED: usize = 3;
const S_HIGH_SPEED: usize = 4;
const S_DOT3_DUPLEX: usize = 5;
const S_PORT_IF_INDEX: usize = 6;
const S_PORT_SPEED: usize = 7;
const S_PORT_DUPLEX: usize = 8;

impl Handler for CiscoSwitch {
    const INFO: Info = Info {
        device_type: DeviceType::Switch,
        name: Cow::Borrowed("Cisco switch (SNMP, dcihandlers)"),
        requirements: Cow::Borrowed(&[
            Requirement::Snmpv1,
            Requirement::Snmpv2c,
            Requirement::Snmpv3,
        ]),
        funcs: Cow::Borrowed(&[
            Func::Status,
            Func::Statistics,
            Func::PortOn,
            Func::PortOff,
            Func::PortSpeed,
            Func::PortDuplex,
        ]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let s = session(cx).await?;
        let (scalars, table) = s.table_with(&[SYS_NAME], STATUS_COLUMNS).await?;
        let hostname = scalars[0].as_ref().and_then(Value::as_text);
        // portTable rows are indexed module.port; portIfIndex ties each to its interface.
        let stack = stack_ports(&table)?;
        let mut ports = Vec::new();
        for row in table.rows() {
            // ifTable rows: an index of one arc with an ifDescr. portTable rows (two arcs)
            // share the table only because they travelled in the same requests.
            if row.index.len() != 1 || row.value(S_DESCR).is_none() {
                continue;
            }
            let if_index = row.index[0];
            let mut p = PortState::new(if_index.to_string());
            p.description = row.text(S_DESCR)?;
            p.admin_status = row
                .integer(S_ADMIN)?
                .map(|v| IfStatus::from_wire(v).to_protocol());
            p.oper_status = row
                .integer(S_OPER)?
                .map(|v| IfStatus::from_wire(v).to_protocol());
            // The configured values where portTable has them; a configured value with no
            // protocol spelling (s155000000, disagree) stays out rather than being replaced
            // by the running one. Where the cell is absent, the running values.
            let port_row = stack.get(&if_index).and_then(|idx| table.row(idx));
            let admin_speed = match &port_row {
                Some(r) => r.integer(S_PORT_SPEED)?,
                None => None,
            };
            let admin_duplex = match &port_row {
                Some(r) => r.integer(S_PORT_DUPLEX)?,
                None => None,
            };
            p.speed = match admin_speed {
                Some(v) => PortAdminSpeed::from_wire(v).to_protocol(),
                None => running_speed(&row)?,
            };
            p.duplex = match admin_duplex {
                Some(v) => PortDuplex::from_wire(v).to_protocol(),
                None => row.integer(S_DOT3_DUPLEX)?.and_then(dot3_duplex),
            };
            ports.push(p);
        }
        if ports.is_empty() {
            return Err(PortError::NoInterfaces {
                target: s.target().to_owned(),
            }
            .into());
        }
        Ok(Response {
            hostname,
            ports,
            params: vec![],
        })
    }

    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        let s = session(cx).await?;
        // Counter64 does not exist in SNMPv1: there, and for interfaces without ifXTable
        // counters, the 32-bit ifTable counters are what the switch has.
        let hc = if s.version() == SnmpVersion::V1 {
            None
        } else {
            Some(s.table(HC_COLUMNS).await?)
        };
        let needs_32 = hc.as_ref().is_none_or(|t| t.rows().any(|r| !has_hc(&r)));
        let low = if needs_32 {
            Some(s.table(LOW_COLUMNS).await?)
        } else {
            None
        };
        let mut ports: BTreeMap<u32, dci_protocol::PortState> = BTreeMap::new();
        if let Some(low) = &low {
            for row in low.rows().filter(|r| r.index.len() == 1) {
                let mut p = PortState::new(row.index[0].to_string());
                p.rxbytes = row.unsigned(L_IN_OCTETS)?;
                p.txbytes = row.unsigned(L_OUT_OCTETS)?;
                p.rxpackets = sum(&[row.unsigned(L_IN_UCAST)?, row.unsigned(L_IN_NUCAST)?]);
                p.txpackets = sum(&[row.unsigned(L_OUT_UCAST)?, row.unsigned(L_OUT_NUCAST)?]);
                ports.insert(row.index[0], p);
            }
        }
        if let Some(hc) = &hc {
            for row in hc.rows().filter(|r| r.index.len() == 1 && has_hc(r)) {
                let p = ports
                    .entry(row.index[0])
                    .or_insert_with(|| PortState::new(row.index[0].to_string()));
                p.rxbytes = row.unsigned(H_IN_OCTETS)?;
                p.txbytes = row.unsigned(H_OUT_OCTETS)?;
                let rx = sum(&[
                    row.unsigned(H_IN_UCAST)?,
                    row.unsigned(H_IN_MCAST)?,
                    row.unsigned(H_IN_BCAST)?,
                ]);
                let tx = sum(&[
                    row.unsigned(H_OUT_UCAST)?,
                    row.unsigned(H_OUT_MCAST)?,
                    row.unsigned(H_OUT_BCAST)?,
                ]);
                // Keep the 32-bit sums where the 64-bit packet counters are incomplete.
                p.rxpackets = rx.or(p.rxpackets);
                p.txpackets = tx.or(p.txpackets);
            }
        }
        Ok(Response {
            hostname: None,
            ports: ports.into_values().collect(),
            params: vec![],
        })
    }

    async fn port_on(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        set_admin(cx, port, IfStatus::Up).await
    }

    async fn port_off(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        set_admin(cx, port, IfStatus::Down).await
    }

    async fn port_speed(
        &self,
        cx: &Context,
        port: &PortId,
        speed: Speed,
    ) -> Result<PortState, Error> {
        let want = PortAdminSpeed::from_protocol(speed);
        let got =
            set_port_column(cx, port, port_table::ADMIN_SPEED, want.to_wire(), "speed").await?;
        Ok(PortState {
            speed: PortAdminSpeed::from_wire(got).to_protocol(),
            ..PortState::new(port.as_str())
        })
    }

    async fn port_duplex(
        &self,
        cx: &Context,
        port: &PortId,
        duplex: Duplex,
    ) -> Result<PortState, Error> {
        if duplex == Duplex::Auto {
            return Err(PortError::DuplexAutoReadOnly.into());
        }
        let want = PortDuplex::from_protocol(duplex);
        let got = set_port_column(cx, port, port_table::DUPLEX, want.to_wire(), "duplex").await?;
        Ok(PortState {
            duplex: PortDuplex::from_wire(got).to_protocol(),
            ..PortState::new(port.as_str())
        })
    }
}

/// ifIndex → portTable index (module.port), from the portIfIndex column of a walked table.
fn stack_ports(table: &Table) -> Result<BTreeMap<u32, Vec<u32>>, SnmpError> {
    let mut map = BTreeMap::new();
    for row in table.rows().filter(|r| r.index.len() == 2) {
        if let Some(i) = row.integer(S_PORT_IF_INDEX)?
            && let Ok(i) = u32::try_from(i)
        {
            map.insert(i, row.index.to_vec());
        }
    }
    Ok(map)
}

/// The running speed: ifHighSpeed (Mbit/s), else ifSpeed (bit/s).
fn running_speed(row: &Row<'_>) -> Result<Option<Speed>, SnmpError> {
    Ok(match row.unsigned(S_HIGH_SPEED)? {
        Some(mbps) => speed_from_mbps(mbps),
        None => row.unsigned(S_SPEED)?.and_then(speed_from_bps),
    })
}

const HC_COLUMNS: &[&[u32]] = &[
    if_x_table::HC_IN_OCTETS,
    if_x_table::HC_OUT_OCTETS,
    if_x_table::HC_IN_UCAST,
    if_x_table::HC_IN_MCAST,
    if_x_table::HC_IN_BCAST,
    if_x_table::HC_OUT_UCAST,
    if_x_table::HC_OUT_MCAST,
    if_x_table::HC_OUT_BCAST,
    // ifInOctets lists every ifTable row, so interfaces without ifXTable counters show up.
    if_table::IN_OCTETS,
];
const H_IN_OCTETS: usize = 0;
const H_OUT_OCTETS: usize = 1;
const H_IN_UCAST: usize = 2;
const H_IN_MCAST: usize = 3;
const H_IN_BCAST: usize = 4;
const H_OUT_UCAST: usize = 5;
const H_OUT_MCAST: usize = 6;
const H_OUT_BCAST: usize = 7;

const LOW_COLUMNS: &[&[u32]] = &[
    if_table::IN_OCTETS,
    if_table::OUT_OCTETS,
    if_table::IN_UCAST,
    if_table::IN_NUCAST,
    if_table::OUT_UCAST,
    if_table::OUT_NUCAST,
];
const L_IN_OCTETS: usize = 0;
const L_OUT_OCTETS: usize = 1;
const L_IN_UCAST: usize = 2;
const L_IN_NUCAST: usize = 3;
const L_OUT_UCAST: usize = 4;
const L_OUT_NUCAST: usize = 5;

fn has_hc(row: &Row<'_>) -> bool {
    row.value(H_IN_OCTETS).is_some() && row.value(H_OUT_OCTETS).is_some()
}

/// The sum of counters, when every one of them is there (counters wrap, so does the sum).
fn sum(parts: &[Option<u64>]) -> Option<u64> {
    parts
        .iter()
        .try_fold(0u64, |acc, p| p.map(|v| acc.wrapping_add(v)))
}

/// ifAdminStatus: read it (which also proves the port exists), set it unless it is already
/// there, read it back until it shows, and answer with what the switch reports.
async fn set_admin(cx: &Context, port: &PortId, want: IfStatus) -> Result<PortState, Error> {
    let if_index = if_index(port)?;
    let s = session(cx).await?;
    let oid: Vec<u32> = [if_table::ADMIN_STATUS, &[if_index]].concat();
    let now = match s.get_optional(&[&oid]).await?.remove(0) {
        Ok(v) => v,
        Err(_) => {
            return Err(PortError::NoSuchPort {
                target: s.target().to_owned(),
                if_index,
            }
            .into());
        }
    };
    let wire = want.to_wire();
    let done = |v: &Value| v.as_integer() == Some(wire);
    let read = if done(&now) {
        now
    } else {
        s.set_and_confirm(
            &oid,
            &Value::Integer(wire),
            cx.limits().confirm.min(cx.remaining()),
            CONFIRM_EVERY,
            done,
        )
        .await?
    };
    let status = read
        .as_integer()
        .map(|v| IfStatus::from_wire(v).to_protocol());
    Ok(PortState {
        admin_status: status,
        ..PortState::new(port.as_str())
    })
}

/// Sets a portTable column of the port with ifIndex `port`, confirmed; returns the value read.
async fn set_port_column(
    cx: &Context,
    port: &PortId,
    column: &[u32],
    want: i64,
    what: &'static str,
) -> Result<i64, Error> {
    let if_index = if_index(port)?;
    let s = session(cx).await?;
    let walked = s.walk(&[port_table::IF_INDEX]).await?.remove(0);
    if walked.is_empty() {
        return Err(PortError::NoPortTable {
            target: s.target().to_owned(),
            what,
        }
        .into());
    }
    let index = walked
        .iter()
        .find(|(_, v)| v.as_integer() == Some(i64::from(if_index)))
        .map(|(idx, _)| idx.clone())
        .ok_or_else(|| PortError::NotInPortTable {
            target: s.target().to_owned(),
            if_index,
            what,
        })?;
    let oid: Vec<u32> = [column, &index].concat();
    let read = s
        .set_and_confirm(
            &oid,
            &Value::Integer(want),
            cx.limits().confirm.min(cx.remaining()),
            CONFIRM_EVERY,
            |v| v.as_integer() == Some(want),
        )
        .await?;
    read.as_integer().ok_or_else(|| {
        Error::unexpected_data(SnmpError::WrongValue {
            target: s.target().to_owned(),
            oid: snmp_core::Oid(oid.clone()),
            got: format!("{} {read}", read.type_name()),
            expected: "an INTEGER",
        })
    })
}
