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

fn if_index(port: &PortId) -> Result<u32, PortError> {
    port.as_str()
        .parse::<u32>()
        .ok()
        .filter(|i| *i >= 1)
        .ok_or_else(|| PortError::NotAnIfIndex {
            identity: port.as_str().to_owned(),
        })
}

/// The columns every `status` walks, in this order: ifTable's, and CISCO-STACK-MIB portTable's,
/// whose configured speed and duplex are what a Catalyst reports for its ports.
const STATUS_COLUMNS: &[&[u32]] = &[
    if_table::DESCR,
    if_table::ADMIN_STATUS,
    if_table::OPER_STATUS,
    port_table::IF_INDEX,
    port_table::ADMIN_SPEED,
    port_table::DUPLEX,
];
const S_DESCR: usize = 0;
const S_ADMIN: usize = 1;
const S_OPER: usize = 2;
const S_PORT_IF_INDEX: usize = 3;
const S_PORT_SPEED: usize = 4;
const S_PORT_DUPLEX: usize = 5;

/// The running speed and duplex, read only for the interfaces that portTable does not answer
/// for (all of them on a switch without portTable; VLANs and port-channels on a Catalyst).
const RUNNING_COLUMNS: &[&[u32]] = &[if_table::SPEED, if_x_table::HIGH_SPEED, DOT3_DUPLEX_STATUS];
const R_SPEED: usize = 0;
const R_HIGH_SPEED: usize = 1;
const R_DOT3_DUPLEX: usize = 2;

/// Up to this many interfaces, their running values are read by one GET (three objects each,
/// small enough for any agent's message size); beyond, by a walk of [`RUNNING_COLUMNS`].
const RUNNING_BY_GET: usize = 10;

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
        let s = Session::for_call(cx).await?;
        // SNMPv1 walks by GETNEXT, one row of every column per request: the running columns
        // ride along for free there. Elsewhere they cost values, so they come second, and
        // only for the interfaces that need them.
        let v1 = s.version() == SnmpVersion::V1;
        let columns: Vec<&[u32]> = if v1 {
            [STATUS_COLUMNS, RUNNING_COLUMNS].concat()
        } else {
            STATUS_COLUMNS.to_vec()
        };
        let (scalars, table) = s.table_with(&[SYS_NAME], &columns).await?;
        let hostname = scalars[0].as_ref().and_then(Value::as_text);
        // portTable rows are indexed module.port; portIfIndex ties each to its interface.
        let stack = stack_ports(&table)?;
        // ifTable rows: an index of one arc with an ifDescr. portTable rows (two arcs) share
        // the table only because they travelled in the same requests.
        let interfaces: Vec<Row<'_>> = table
            .rows()
            .filter(|r| r.index.len() == 1 && r.value(S_DESCR).is_some())
            .collect();
        if interfaces.is_empty() {
            return Err(PortError::NoInterfaces {
                target: s.target().to_owned(),
            }
            .into());
        }
        let port_row = |if_index: u32| stack.get(&if_index).and_then(|idx| table.row(idx));
        let read;
        let running = if v1 {
            Running {
                table: &table,
                offset: STATUS_COLUMNS.len(),
            }
        } else {
            // The configured values where portTable has both cells; the running ones elsewhere.
            let needed: Vec<u32> = interfaces
                .iter()
                .map(|r| r.index[0])
                .filter(|&i| {
                    port_row(i).is_none_or(|r| {
                        r.value(S_PORT_SPEED).is_none() || r.value(S_PORT_DUPLEX).is_none()
                    })
                })
                .collect();
            read = running_values(&s, &needed).await?;
            Running {
                table: &read,
                offset: 0,
            }
        };
        answer_status(hostname, &interfaces, &port_row, &running)
    }

    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
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

/// Where the running speed and duplex columns are: in the status walk itself (SNMPv1, after
/// [`STATUS_COLUMNS`]) or in a table of their own ([`running_values`]).
struct Running<'a> {
    table: &'a Table,
    offset: usize,
}

impl Running<'_> {
    /// The running speed: ifHighSpeed (Mbit/s), else ifSpeed (bit/s).
    fn speed(&self, if_index: u32) -> Result<Option<Speed>, SnmpError> {
        let Some(row) = self.table.row(&[if_index]) else {
            return Ok(None);
        };
        Ok(match row.unsigned(self.offset + R_HIGH_SPEED)? {
            Some(mbps) => speed_from_mbps(mbps),
            None => row
                .unsigned(self.offset + R_SPEED)?
                .and_then(speed_from_bps),
        })
    }

    /// The running duplex: dot3StatsDuplexStatus.
    fn duplex(&self, if_index: u32) -> Result<Option<Duplex>, SnmpError> {
        let Some(row) = self.table.row(&[if_index]) else {
            return Ok(None);
        };
        Ok(row
            .integer(self.offset + R_DOT3_DUPLEX)?
            .and_then(dot3_duplex))
    }
}

/// The running speed and duplex of `interfaces`: nothing to read for none, one GET for a few,
/// a walk of [`RUNNING_COLUMNS`] for more. Objects an interface lacks are left out.
async fn running_values(s: &Session, interfaces: &[u32]) -> Result<Table, SnmpError> {
    if interfaces.len() > RUNNING_BY_GET {
        return s.table(RUNNING_COLUMNS).await;
    }
    let mut columns: Vec<snmp_core::Column> = vec![Vec::new(); RUNNING_COLUMNS.len()];
    if !interfaces.is_empty() {
        let oids: Vec<Vec<u32>> = interfaces
            .iter()
            .flat_map(|&i| RUNNING_COLUMNS.iter().map(move |c| [c, &[i][..]].concat()))
            .collect();
        let refs: Vec<&[u32]> = oids.iter().map(Vec::as_slice).collect();
        let got = s.get_optional(&refs).await?;
        for (k, value) in got.into_iter().enumerate() {
            if let Ok(v) = value {
                let i = interfaces[k / RUNNING_COLUMNS.len()];
                columns[k % RUNNING_COLUMNS.len()].push((vec![i], v));
            }
        }
    }
    Ok(Table::join(s.target().to_owned(), RUNNING_COLUMNS, columns))
}

/// The status answer from the walked interfaces, their portTable rows and the running values.
fn answer_status<'t>(
    hostname: Option<String>,
    interfaces: &[Row<'_>],
    port_row: &dyn Fn(u32) -> Option<Row<'t>>,
    running: &Running<'_>,
) -> Result<Response, Error> {
    let mut ports = Vec::new();
    for row in interfaces {
        let if_index = row.index[0];
        let mut p = PortState::new(if_index.to_string());
        p.description = row.text(S_DESCR)?;
        p.admin_status = row
            .integer(S_ADMIN)?
            .map(|v| IfStatus::from_wire(v).to_protocol());
        p.oper_status = row
            .integer(S_OPER)?
            .map(|v| IfStatus::from_wire(v).to_protocol());
        // The configured values where portTable has them; a configured value with no protocol
        // spelling (s155000000, disagree) stays out rather than being replaced by the running
        // one. Where the cell is absent, the running values.
        let port = port_row(if_index);
        let admin_speed = match &port {
            Some(r) => r.integer(S_PORT_SPEED)?,
            None => None,
        };
        let admin_duplex = match &port {
            Some(r) => r.integer(S_PORT_DUPLEX)?,
            None => None,
        };
        p.speed = match admin_speed {
            Some(v) => PortAdminSpeed::from_wire(v).to_protocol(),
            None => running.speed(if_index)?,
        };
        p.duplex = match admin_duplex {
            Some(v) => PortDuplex::from_wire(v).to_protocol(),
            None => running.duplex(if_index)?,
        };
        ports.push(p);
    }
    Ok(Response {
        hostname,
        ports,
        params: vec![],
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
    let s = Session::for_call(cx).await?;
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
    let s = Session::for_call(cx).await?;
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
