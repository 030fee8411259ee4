//! What each function does with the BMC, over IPMI v2.0 (RMCP+, cipher suite 3).
//!
//! DCImanager's IPMI device has one port, `power` (the runtime refuses any other identity before
//! this code runs). `status` reads the chassis power state and names the BMC from Get Device ID;
//! `port_on`/`port_off` switch the power unless it is there already and wait until the BMC reads
//! it so; `port_reset` hard-resets a running server, or powers on a stopped one. Every answer is
//! the state read back from the BMC.

use std::borrow::Cow;

use dci_protocol::{
    Context, DeviceType, Error, Func, Handler, IPMI_PORT, Info, PortId, PortState, PortStatus,
    Response,
};
use ipmi_core::Version;
use ipmi_core::power::{self, Call, PowerState};

/// The LAN protocol this handler speaks.
const VERSION: Version = Version::V20;

/// The IPMI v2.0 (RMCP+, cipher suite 3) handler.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ipmi20;

fn call(cx: &Context) -> Call<'_> {
    Call {
        device: cx.device(),
        limits: cx.limits(),
        deadline: cx.deadline(),
        version: VERSION,
    }
}

fn port(power: PowerState, port: &str) -> PortState {
    let mut p = PortState::new(port);
    p.admin_status = Some(match power {
        PowerState::On => PortStatus::On,
        PowerState::Off => PortStatus::Off,
    });
    p
}

impl Handler for Ipmi20 {
    const INFO: Info = Info {
        device_type: DeviceType::Ipmi,
        name: Cow::Borrowed("IPMI v2.0 LAN, RMCP+ (dcihandlers)"),
        // DCImanager's IPMI handlers declare no requirements: user and pass always come.
        requirements: Cow::Borrowed(&[]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let status = power::status(&call(cx))?;
        let mut p = port(status.power, IPMI_PORT);
        p.description = Some(status.description);
        Ok(Response {
            hostname: None,
            ports: vec![p],
            params: vec![],
        })
    }

    async fn port_on(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        Ok(port(power::switch(&call(cx), PowerState::On)?, p.as_str()))
    }

    async fn port_off(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        Ok(port(power::switch(&call(cx), PowerState::Off)?, p.as_str()))
    }

    async fn port_reset(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        Ok(port(power::reset(&call(cx))?, p.as_str()))
    }
}
