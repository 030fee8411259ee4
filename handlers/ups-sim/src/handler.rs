//! The `Handler` implementation: `-info` and `status`.

use std::borrow::Cow;

use dci_protocol::{Context, DeviceType, Error, Func, Handler, Info, Requirement, Response};

use crate::readings::{FILE_VAR, Readings};

/// The simulated UPS.
#[derive(Debug, Clone, Copy, Default)]
pub struct UpsSim;

impl Handler for UpsSim {
    // The seed's UPS declares SNMPv1 so that DCImanager's form shows the usual SNMP fields; we
    // keep that, so the simulator is added to DCImanager exactly like a real UPS.
    const INFO: Info = Info {
        device_type: DeviceType::Ups,
        name: Cow::Borrowed("Simulated UPS (dcihandlers)"),
        requirements: Cow::Borrowed(&[Requirement::Snmpv1]),
        funcs: Cow::Borrowed(&[Func::Status]),
    };

    async fn status(&self, _cx: &Context) -> Result<Response, Error> {
        let readings = match std::env::var_os(FILE_VAR) {
            Some(path) if !path.is_empty() => {
                Readings::from_file(std::path::Path::new(&path)).map_err(Error::unexpected_data)?
            }
            _ => Readings::default(),
        };
        Ok(Response {
            params: readings.to_params(),
            ..Response::default()
        })
    }
}
