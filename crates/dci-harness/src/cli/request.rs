//! From `call`'s flags to the request document DCImanager would send.
//!
//! The flags are already typed by clap with the protocol's own `FromStr` (a bad speed or VLAN
//! is refused before anything runs); [`build`] assembles them with the secrets into a
//! [`Request`] and parses the written document back, so that anything the handler's parser
//! would refuse (a VLAN name with a space) is refused here first, with the field named.

use std::path::PathBuf;

use dci_protocol::{AuthLevel, DeviceParams, FieldError, Func, PortParams, Request, SnmpVersion};

use super::secrets::{Secrets, Source, Wanted};
use super::{CallArgs, DeviceArgs};

fn source(env: &Option<String>, file: &Option<PathBuf>) -> Option<Source> {
    match (env, file) {
        (Some(var), _) => Some(Source::Env(var.clone())),
        (None, Some(path)) => Some(Source::File(path.clone())),
        (None, None) => None,
    }
}

/// The secrets `args` name or need: community, authentication phrase, privacy phrase, IPMI
/// password.
pub(crate) fn wanted(args: &DeviceArgs) -> [Wanted; 4] {
    let v3_level = match args.snmp_ver {
        Some(SnmpVersion::V3) => args.auth_level,
        _ => None,
    };
    [
        Wanted {
            what: "SNMP community",
            env_flag: "--community-env",
            file_flag: "--community-file",
            source: source(&args.community_env, &args.community_file),
            needed: matches!(args.snmp_ver, Some(SnmpVersion::V1 | SnmpVersion::V2c))
                .then_some("for SNMP v1 and v2c"),
        },
        Wanted {
            what: "SNMPv3 authentication phrase",
            env_flag: "--auth-phrase-env",
            file_flag: "--auth-phrase-file",
            source: source(&args.auth_phrase_env, &args.auth_phrase_file),
            needed: matches!(v3_level, Some(AuthLevel::AuthNoPriv | AuthLevel::AuthPriv))
                .then_some("for SNMPv3 authnopriv and authpriv"),
        },
        Wanted {
            what: "SNMPv3 privacy phrase",
            env_flag: "--priv-phrase-env",
            file_flag: "--priv-phrase-file",
            source: source(&args.priv_phrase_env, &args.priv_phrase_file),
            needed: matches!(v3_level, Some(AuthLevel::AuthPriv)).then_some("for SNMPv3 authpriv"),
        },
        Wanted {
            what: "IPMI password",
            env_flag: "--pass-env",
            file_flag: "--pass-file",
            source: source(&args.pass_env, &args.pass_file),
            needed: args.user.is_some().then_some("with --user"),
        },
    ]
}

/// The device params the flags and secrets describe.
pub(crate) fn device(args: &DeviceArgs, secrets: Secrets) -> DeviceParams {
    DeviceParams {
        ip: Some(args.ip.clone()),
        snmp_ver: args.snmp_ver,
        snmp_community: secrets.community,
        snmp_user: args.snmp_user.clone(),
        snmp_auth_phrase: secrets.auth_phrase,
        snmp_priv_phrase: secrets.priv_phrase,
        snmp_auth_level: args.auth_level,
        snmp_auth_proto: args.auth_proto,
        snmp_priv_proto: args.priv_proto,
        user: args.user.clone(),
        pass: secrets.pass,
        ..DeviceParams::default()
    }
}

/// The request the flags describe. A `<port>` element is added when any port flag is given;
/// `set_vlan` always states `is_trunk`, as DCImanager's form does.
pub(crate) fn build(args: &CallArgs, secrets: Secrets) -> Result<Request, FieldError> {
    let mut request = Request::new(args.func);
    request.device = device(&args.device, secrets);
    let port = PortParams {
        identity: args.port.clone(),
        speed: args.speed,
        duplex: args.duplex,
        vlan_id: args.vlan,
        vlan_name: args.vlan_name.clone(),
        is_trunk: if args.trunk {
            Some(true)
        } else if args.func == Func::SetVlan {
            Some(false)
        } else {
            None
        },
        trunk_members: args.trunk_members.clone(),
        vlan_pvlan: args.pvlan,
        mapped_vlan: args.mapped_vlan,
    };
    if port != PortParams::default() {
        request.port = Some(port);
    }
    request.readings = args.readings.unwrap_or_default();
    // What the handler will parse is the written document: refuse here what it would refuse.
    Request::parse(&request.to_xml())?;
    Ok(request)
}

#[cfg(test)]
mod tests;
