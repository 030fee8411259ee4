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

use dci_protocol::{
    Context, DeviceType, Duplex, Error, Func, Handler, Info, PortId, PortState, Requirement,
    Response, Speed, VlanChange,
};
use snmp_core::{Session, SnmpError, Table, Value};
use switch_core::ports::{CONFIRM_EVERY, if_index};
use switch_core::qbridge::{self, Bridge};
use switch_core::{Configured, StatusWalk, ports};

use crate::oids::port_table;
use crate::values::{PortAdminSpeed, PortDuplex};
use crate::vtp;

/// The Cisco switch handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct CiscoSwitch;

/// What is wrong with a speed or duplex request on this switch.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
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

/// The columns every `status` walks, in this order: ifTable's, and CISCO-STACK-MIB portTable's,
/// whose configured speed and duplex are what a Catalyst reports for its ports.
/// CISCO-STACK-MIB portTable's columns in every `status` walk: the configured speed and duplex
/// a Catalyst reports for its ports, joined to ifIndex through portIfIndex.
const PORT_COLUMNS: &[&[u32]] = &[
    port_table::IF_INDEX,
    port_table::ADMIN_SPEED,
    port_table::DUPLEX,
];
const P_IF_INDEX: usize = StatusWalk::EXTRA;
const P_SPEED: usize = StatusWalk::EXTRA + 1;
const P_DUPLEX: usize = StatusWalk::EXTRA + 2;
/// Where the Cisco VLAN columns start in the `status` walk.
const VTP_AT: usize = StatusWalk::EXTRA + PORT_COLUMNS.len();

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
            Func::SetVlan,
            Func::MacList,
        ]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
        let columns = [PORT_COLUMNS, vtp::STATUS_COLUMNS].concat();
        let walk = StatusWalk::read(&s, &columns).await?;
        let table = &walk.table;
        // portTable rows are indexed module.port; portIfIndex ties each to its interface.
        let stack = stack_ports(table)?;
        let configured = |if_index: u32| -> Result<Configured, SnmpError> {
            let Some(row) = stack.get(&if_index).and_then(|idx| table.row(idx)) else {
                return Ok(Configured::default());
            };
            // A configured value with no protocol spelling (s155000000, disagree) stays out
            // rather than being replaced by the running one.
            Ok(Configured {
                speed: row
                    .integer(P_SPEED)?
                    .map(|v| PortAdminSpeed::from_wire(v).to_protocol()),
                duplex: row
                    .integer(P_DUPLEX)?
                    .map(|v| PortDuplex::from_wire(v).to_protocol()),
            })
        };
        let mut ports = walk.ports(&s, &configured).await?;
        // Cisco's own VLAN MIBs where the switch has them; Q-BRIDGE on the Cisco models that
        // use it instead (the Small Business line).
        let vlans = match vtp::read(&s, table, VTP_AT).await? {
            Some(v) => Some(v),
            None => {
                let t = s.table(qbridge::STATUS_COLUMNS).await?;
                Bridge::read(&s, &t, 0).await?.map(|b| b.vlans())
            }
        };
        if let Some(vlans) = vlans {
            ports.iter_mut().for_each(|p| vlans.apply(p));
        }
        Ok(Response {
            hostname: walk.hostname,
            ports,
            params: vec![],
        })
    }

    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        ports::statistics(cx).await
    }

    async fn port_on(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        ports::set_admin(cx, port, true).await
    }

    async fn port_off(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        ports::set_admin(cx, port, false).await
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

    async fn mac_list(&self, cx: &Context) -> Result<Response, Error> {
        crate::mac::mac_list(cx).await
    }

    async fn set_vlan(
        &self,
        cx: &Context,
        port: &PortId,
        change: &VlanChange,
    ) -> Result<PortState, Error> {
        crate::write::set_vlan(cx, port, change).await
    }
}

/// ifIndex → portTable index (module.port), from the portIfIndex column of the status walk.
fn stack_ports(table: &Table) -> Result<BTreeMap<u32, Vec<u32>>, SnmpError> {
    let mut map = BTreeMap::new();
    for row in table.rows().filter(|r| r.index.len() == 2) {
        if let Some(i) = row.integer(P_IF_INDEX)?
            && let Ok(i) = u32::try_from(i)
        {
            map.insert(i, row.index.to_vec());
        }
    }
    Ok(map)
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
