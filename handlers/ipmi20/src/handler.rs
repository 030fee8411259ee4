//! The LAN protocol this handler speaks, IPMI v2.0 (RMCP+, cipher suite 3), and its name in DCImanager; what the four
//! functions do is ipmi-core's `IpmiHandler`, shared with the other IPMI handler.

use ipmi_core::Version;
use ipmi_core::handler::{IpmiHandler, Lan};

/// IPMI v2.0 (RMCP+, cipher suite 3).
#[derive(Debug, Clone, Copy, Default)]
pub struct V20;

impl Lan for V20 {
    const VERSION: Version = Version::V20;
    const NAME: &'static str = "IPMI v2.0 LAN, RMCP+ (dcihandlers)";
}

/// The IPMI handler over IPMI v2.0 (RMCP+, cipher suite 3).
pub type Ipmi20 = IpmiHandler<V20>;
