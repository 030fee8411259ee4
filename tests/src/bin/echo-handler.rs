//! `echo-handler`: a test-only handler that declares every function and every requirement and
//! answers from the request alone, so the end-to-end tests can drive the runtime's validation,
//! dispatch, deadline and panic handling through a real process. It is never packaged.
//!
//! Port identities with a meaning: `panic` panics, `stall` sleeps past any deadline.

use std::borrow::Cow;

use dci_protocol::{
    Context, DeviceType, Duplex, Error, Func, Handler, Info, PortId, PortState, PortStatus,
    Requirement, Response, Speed, VlanChange,
};

struct Echo;

fn answer(port: &PortId) -> PortState {
    match port.as_str() {
        "panic" => panic!("echo-handler was asked to panic"),
        _ => PortState::new(port.as_str()),
    }
}

/// A stall is a future that never completes: only the runtime's deadline can end it.
async fn maybe_stall(port: &PortId) {
    if port.as_str() == "stall" {
        std::future::pending::<()>().await;
    }
}

impl Handler for Echo {
    const INFO: Info = Info {
        device_type: DeviceType::Switch,
        name: Cow::Borrowed("echo (tests only)"),
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
        ]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        Ok(Response {
            hostname: Some(cx.device().endpoint.to_string()),
            ports: vec![PortState {
                description: Some("echo".into()),
                admin_status: Some(PortStatus::On),
                oper_status: Some(PortStatus::Off),
                ..PortState::new("1")
            }],
            params: vec![],
        })
    }

    async fn port_on(&self, _cx: &Context, port: &PortId) -> Result<PortState, Error> {
        maybe_stall(port).await;
        Ok(PortState {
            admin_status: Some(PortStatus::On),
            ..answer(port)
        })
    }

    async fn port_off(&self, _cx: &Context, port: &PortId) -> Result<PortState, Error> {
        maybe_stall(port).await;
        Ok(PortState {
            admin_status: Some(PortStatus::Off),
            ..answer(port)
        })
    }

    async fn port_speed(
        &self,
        _cx: &Context,
        port: &PortId,
        speed: Speed,
    ) -> Result<PortState, Error> {
        Ok(PortState {
            speed: Some(speed),
            ..answer(port)
        })
    }

    async fn port_duplex(
        &self,
        _cx: &Context,
        port: &PortId,
        duplex: Duplex,
    ) -> Result<PortState, Error> {
        Ok(PortState {
            duplex: Some(duplex),
            ..answer(port)
        })
    }

    async fn set_vlan(
        &self,
        _cx: &Context,
        port: &PortId,
        change: &VlanChange,
    ) -> Result<PortState, Error> {
        Ok(PortState {
            vlan_id: Some(change.vlan),
            vlan_name: change.name.clone(),
            is_trunk: Some(change.trunk),
            trunk_members: Some(change.trunk_members.clone()),
            ..answer(port)
        })
    }
    // `statistics` is declared and deliberately left unimplemented: the runtime must report it.
}

fn main() -> std::process::ExitCode {
    dci_protocol::run(Echo)
}
