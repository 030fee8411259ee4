//! The DCImanager IPMI handler, generic over the LAN protocol: `ipmi15` and `ipmi20` are this
//! handler with a [`Lan`] each, so what the four functions do cannot differ between them.
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
use std::marker::PhantomData;

use crate::Version;
use crate::power::{self, Call, PowerState};

/// A LAN protocol a handler speaks, and the name DCImanager shows for it.
pub trait Lan {
    /// IPMI v1.5 (RMCP) or v2.0 (RMCP+).
    const VERSION: Version;
    /// The `-info` name.
    const NAME: &'static str;
}

/// The IPMI handler speaking `L`.
#[derive(Debug, Clone, Copy, Default)]
pub struct IpmiHandler<L>(PhantomData<L>);

impl<L> IpmiHandler<L> {
    /// The handler.
    pub const fn new() -> IpmiHandler<L> {
        IpmiHandler(PhantomData)
    }
}

fn call<L: Lan>(cx: &Context) -> Call<'_> {
    Call {
        device: cx.device(),
        limits: cx.limits(),
        deadline: cx.deadline(),
        version: L::VERSION,
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

impl<L: Lan> Handler for IpmiHandler<L> {
    const INFO: Info = Info {
        device_type: DeviceType::Ipmi,
        name: Cow::Borrowed(L::NAME),
        // DCImanager's IPMI handlers declare no requirements: user and pass always come.
        requirements: Cow::Borrowed(&[]),
        funcs: Cow::Borrowed(&[Func::Status, Func::PortOn, Func::PortOff, Func::PortReset]),
    };

    async fn status(&self, cx: &Context) -> Result<Response, Error> {
        let status = power::status(&call::<L>(cx))?;
        let mut p = port(status.power, IPMI_PORT);
        p.description = Some(status.description);
        Ok(Response {
            hostname: None,
            ports: vec![p],
            params: vec![],
        })
    }

    async fn port_on(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        Ok(port(
            power::switch(&call::<L>(cx), PowerState::On)?,
            p.as_str(),
        ))
    }

    async fn port_off(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        Ok(port(
            power::switch(&call::<L>(cx), PowerState::Off)?,
            p.as_str(),
        ))
    }

    async fn port_reset(&self, cx: &Context, p: &PortId) -> Result<PortState, Error> {
        Ok(port(power::reset(&call::<L>(cx))?, p.as_str()))
    }
}
