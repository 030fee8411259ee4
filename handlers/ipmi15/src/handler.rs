//! The LAN protocol this handler speaks, IPMI v1.5 (RMCP), and its name in DCImanager; what the four
//! functions do is ipmi-core's `IpmiHandler`, shared with the other IPMI handler.

use ipmi_core::Version;
use ipmi_core::handler::{IpmiHandler, Lan};

/// IPMI v1.5 (RMCP).
#[derive(Debug, Clone, Copy, Default)]
pub struct V15;

impl Lan for V15 {
    const VERSION: Version = Version::V15;
    const NAME: &'static str = "IPMI v1.5 LAN (dcihandlers)";
}

/// The IPMI handler over IPMI v1.5 (RMCP).
pub type Ipmi15 = IpmiHandler<V15>;
