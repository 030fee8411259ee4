//! A DCImanager switch handler for any vendor: only standard MIBs (IF-MIB, EtherLike-MIB,
//! BRIDGE-MIB, Q-BRIDGE-MIB), so an operator with a non-Cisco switch finds a handler whose name
//! says it drives theirs. Everything it does lives in switch-core, which `cisco-switch` shares;
//! this crate only composes it.

use std::borrow::Cow;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, Info, PortId, PortState, Requirement, Response,
    VlanChange,
};
use snmp_core::Session;
use switch_core::{
    Configured, StatusWalk, mac, ports,
    qbridge::{self, Bridge},
};

/// The handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct SnmpSwitch;

impl Handler for SnmpSwitch {
    const INFO: Info = Info {
        device_type: DeviceType::Switch,
        name: Cow::Borrowed("Any SNMP switch: IF-MIB, Q-BRIDGE-MIB (dcihandlers)"),
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
            Func::SetVlan,
            Func::MacList,
        ]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
        let walk = StatusWalk::read(&s, qbridge::STATUS_COLUMNS).await?;
        let mut ports = walk.ports(&s, &|_| Ok(Configured::default())).await?;
        if let Some(bridge) = Bridge::read(&s, &walk.table, StatusWalk::EXTRA).await? {
            let vlans = bridge.vlans();
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

    async fn mac_list(&self, cx: &Context) -> Result<Response, Error> {
        let s = Session::for_call(cx).await?;
        let (learned, interfaces) = mac::read(&s, None, true).await?;
        tracing::debug!(per_vlan = ?learned.per_vlan, "learned MACs");
        Ok(Response {
            hostname: None,
            ports: learned.ports(&interfaces),
            params: vec![],
        })
    }

    async fn set_vlan(
        &self,
        cx: &Context,
        port: &PortId,
        change: &VlanChange,
    ) -> Result<PortState, Error> {
        qbridge::set_vlan(cx, port, change).await
    }
}
