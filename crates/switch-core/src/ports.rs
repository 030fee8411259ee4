//! Interfaces: the `status` walk and its answer, counters for `statistics`, and `port_on` /
//! `port_off` through ifAdminStatus, for every switch with IF-MIB.
//!
//! A port's identity is its ifIndex, as the guide's handler has it. `status` is one walk: every
//! column of ifTable it needs, and every column the handler adds (a vendor's configured speed,
//! the VLAN tables), travel in each GETBULK, with sysName as a non-repeater of the first. Speed
//! and duplex the handler cannot say come from ifHighSpeed/ifSpeed and dot3StatsDuplexStatus
//! (the running values), read only for the interfaces that need them.

use std::collections::BTreeMap;
use std::time::Duration;

use dci_protocol::{Context, Duplex, Error, PortId, PortState, Response, SnmpVersion, Speed};
use snmp_core::{Row, Session, SnmpError, Table, Value};

use crate::oids::{DOT3_DUPLEX_STATUS, SYS_NAME, if_table, if_x_table};
use crate::values::{IfStatus, dot3_duplex, speed_from_bps, speed_from_mbps};

/// How often a change is read back while waiting for it to show.
pub const CONFIRM_EVERY: Duration = Duration::from_millis(250);

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
    /// The device lists no interface: it is not a switch this handler drives.
    #[error(
        "{target} has none of the IF-MIB tables (no ifTable row): it is not a switch this handler drives"
    )]
    NoInterfaces {
        /// `host:port`.
        target: String,
    },
}

impl From<PortError> for Error {
    fn from(e: PortError) -> Error {
        Error::unexpected_data(e)
    }
}

/// The ifIndex a port identity names.
pub fn if_index(port: &PortId) -> Result<u32, PortError> {
    port.as_str()
        .parse::<u32>()
        .ok()
        .filter(|i| *i >= 1)
        .ok_or_else(|| PortError::NotAnIfIndex {
            identity: port.as_str().to_owned(),
        })
}

/// ifTable's columns in every `status` walk, at positions 0, 1 and 2; a handler's own columns
/// follow them, from [`StatusWalk::EXTRA`].
const BASE_COLUMNS: &[&[u32]] = &[
    if_table::DESCR,
    if_table::ADMIN_STATUS,
    if_table::OPER_STATUS,
];
const S_DESCR: usize = 0;
const S_ADMIN: usize = 1;
const S_OPER: usize = 2;

/// The running speed and duplex, read only for the interfaces whose configured values the
/// handler does not have (all of them on most switches; VLANs and port-channels on a Catalyst).
const RUNNING_COLUMNS: &[&[u32]] = &[if_table::SPEED, if_x_table::HIGH_SPEED, DOT3_DUPLEX_STATUS];
const R_SPEED: usize = 0;
const R_HIGH_SPEED: usize = 1;
const R_DOT3_DUPLEX: usize = 2;

/// Up to this many interfaces, their running values are read by one GET (three objects each,
/// small enough for any agent's message size); beyond, by a walk of [`RUNNING_COLUMNS`].
const RUNNING_BY_GET: usize = 10;

/// What one `status` walk read: sysName, and ifTable's columns with the handler's own, joined
/// by index (rows of other tables share the table only because they travelled in the same
/// requests: a handler reads its cells by column).
#[derive(Debug)]
pub struct StatusWalk {
    /// sysName.0, when the agent has it.
    pub hostname: Option<String>,
    /// Every column walked.
    pub table: Table,
    /// Where the running columns are in [`StatusWalk::table`] (SNMPv1: in the walk itself).
    running_at: Option<usize>,
}

/// A handler's configured speed and duplex of one interface: `None` where its own MIB has no
/// cell for it (the running value is reported then), `Some(None)` where the cell holds a value
/// the protocol cannot say (left out, not replaced by the running one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Configured {
    /// The configured speed.
    pub speed: Option<Option<Speed>>,
    /// The configured duplex.
    pub duplex: Option<Option<Duplex>>,
}

impl StatusWalk {
    /// The position of the first of the handler's own columns in [`StatusWalk::table`].
    pub const EXTRA: usize = BASE_COLUMNS.len();

    /// Walks ifTable's status columns and `extra` together, sysName in the first request.
    /// SNMPv1 walks by GETNEXT, one row of every column per request: the running columns ride
    /// along for free there. Elsewhere they cost values, so they come later, and only for the
    /// interfaces that need them ([`StatusWalk::ports`]).
    pub async fn read(s: &Session, extra: &[&[u32]]) -> Result<StatusWalk, SnmpError> {
        let v1 = s.version() == SnmpVersion::V1;
        let mut columns: Vec<&[u32]> = [BASE_COLUMNS, extra].concat();
        let running_at = v1.then(|| {
            columns.extend_from_slice(RUNNING_COLUMNS);
            BASE_COLUMNS.len() + extra.len()
        });
        let (scalars, table) = s.table_with(&[SYS_NAME], &columns).await?;
        Ok(StatusWalk {
            hostname: scalars[0].as_ref().and_then(Value::as_text),
            table,
            running_at,
        })
    }

    /// The interfaces: rows of one index arc where any of ifDescr, ifAdminStatus or
    /// ifOperStatus answered.
    pub fn interfaces(&self) -> impl Iterator<Item = Row<'_>> {
        self.table
            .rows()
            .filter(|r| r.index.len() == 1 && (S_DESCR..=S_OPER).any(|c| r.value(c).is_some()))
    }

    /// Every interface as `status` reports it: identity = ifIndex, ifDescr, admin and oper
    /// status (a cell the agent did not answer is `unknown`, not a missing element), and speed
    /// and duplex from `configured`, else the running values, else left out. Reads the running
    /// values it needs (nothing, one GET, or a walk) with `s`.
    pub async fn ports(
        &self,
        s: &Session,
        configured: &dyn Fn(u32) -> Result<Configured, SnmpError>,
    ) -> Result<Vec<PortState>, Error> {
        let interfaces: Vec<Row<'_>> = self.interfaces().collect();
        if interfaces.is_empty() {
            return Err(PortError::NoInterfaces {
                target: s.target().to_owned(),
            }
            .into());
        }
        let mut wanted = Vec::with_capacity(interfaces.len());
        for row in &interfaces {
            wanted.push((row, configured(row.index[0])?));
        }
        let read;
        let running = match self.running_at {
            Some(offset) => Running {
                table: &self.table,
                offset,
            },
            None => {
                let needed: Vec<u32> = wanted
                    .iter()
                    .filter(|(_, c)| c.speed.is_none() || c.duplex.is_none())
                    .map(|(r, _)| r.index[0])
                    .collect();
                read = running_values(s, &needed).await?;
                Running {
                    table: &read,
                    offset: 0,
                }
            }
        };
        let status = |row: &Row<'_>, col: usize| -> Result<_, SnmpError> {
            Ok(Some(match row.integer(col)? {
                Some(v) => IfStatus::from_wire(v).to_protocol(),
                None => dci_protocol::PortStatus::Unknown,
            }))
        };
        let mut ports = Vec::with_capacity(wanted.len());
        for (row, c) in wanted {
            let if_index = row.index[0];
            let mut p = PortState::new(if_index.to_string());
            p.description = row.text(S_DESCR)?;
            p.admin_status = status(row, S_ADMIN)?;
            p.oper_status = status(row, S_OPER)?;
            p.speed = match c.speed {
                Some(v) => v,
                None => running.speed(if_index)?,
            };
            p.duplex = match c.duplex {
                Some(v) => v,
                None => running.duplex(if_index)?,
            };
            ports.push(p);
        }
        Ok(ports)
    }
}

/// Where the running speed and duplex columns are: in the status walk itself (SNMPv1) or in a
/// table of their own ([`running_values`]).
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

/// `statistics`: the ifHC counters (packets = unicast + multicast + broadcast); the 32-bit
/// ifTable counters on SNMPv1, which has no Counter64, and for interfaces without ifXTable
/// counters (packets = unicast + non-unicast).
pub async fn statistics(cx: &Context) -> Result<Response, Error> {
    let s = Session::for_call(cx).await?;
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
    let mut ports: BTreeMap<u32, PortState> = BTreeMap::new();
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

/// `port_on` (`up`) and `port_off`: ifAdminStatus read (which also proves the port exists), set
/// unless it is already there, read back until it shows, and answered with what the switch
/// reports.
pub async fn set_admin(cx: &Context, port: &PortId, up: bool) -> Result<PortState, Error> {
    let want = if up { IfStatus::Up } else { IfStatus::Down };
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
