//! The command line: its arguments (clap), the `info` and `call` subcommands, what each prints,
//! and the exit code it ends with.
//!
//! Output rule: standard output carries the handler's document, raw (`--xml`) or rendered
//! (a summary, a table, or `error (TYPE): TEXT` for an `<error>` document); standard error
//! carries the handler's own standard error, passed through, and the harness's messages
//! (timings, the request with `--show-request`, and why a call failed).

mod profile;
mod render;
mod request;
mod secrets;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use dci_harness::{Outcome, RunError, Runner, Transcript, exit_text, fmt_elapsed};
use dci_protocol::{
    AuthLevel, AuthProtocol, Document, Duplex, Endpoint, Func, MappedVlan, PrivProtocol, PvlanType,
    Readings, SnmpVersion, Speed, VlanId, VlanList,
};

const EXIT_CODES: &str = "\
Exit codes:
  0  the handler answered with a response (or a valid -info)
  1  the handler answered with a well-formed <error> document
  2  usage error: bad flags, or a needed secret that cannot be read
  3  the handler broke the protocol: no document, not XML, several documents,
     an invalid document, a response with a non-zero exit status
  4  the handler hung: no exit within the timeout (it was killed)
  5  the handler could not be started

Secrets (community, SNMPv3 phrases, IPMI password) are never taken from the command line:
they come from an environment variable (--*-env VAR), a file whose first line is the secret
(--*-file PATH), or a prompt without echo when standard input is a terminal.";

/// Runs DCImanager handlers exactly as DCImanager does: `HANDLER -info`, or `HANDLER` with one
/// request on standard input.
#[derive(Debug, Parser)]
#[command(name = "dci-harness", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run `HANDLER -info` and show what the handler declares
    #[command(after_help = EXIT_CODES)]
    Info(InfoArgs),
    /// Send one request to HANDLER as DCImanager does and show the answer
    #[command(after_help = EXIT_CODES)]
    Call(Box<CallArgs>),
    /// Run the conformance suite: -info, every declared function, and (with --port) a port
    /// switched off reads back off and is switched on again
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(Box<CheckArgs>),
    /// Device profiles (PDUs and UPSes as data, crates/device-profile)
    #[command(subcommand)]
    Profile(ProfileCommand),
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// Validate profiles and run them over every matching recording. A PDU profile: the
    /// outlets, names, states and watts it reads, and the checks that hold in real data (states
    /// inside the map, no negative watts, outlet watts within 10% of the unit's). UPS profiles,
    /// used together in the order given as the handler does: the readings it answers, each one
    /// left out and why, and whether a status rule decides device_status
    #[command(after_help = PROFILE_EXIT_CODES)]
    Check {
        /// The profiles (TOML): PDU profiles are checked one by one, UPS profiles together
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A folder of .snmprec recordings (snmpsim's format)
        #[arg(long, value_name = "DIR")]
        recordings: Option<PathBuf>,
    },
}

const PROFILE_EXIT_CODES: &str = "\
Exit codes:
  0  the profile is valid, and every check holds on every matching recording
  2  a file or folder cannot be read
  6  the profile is invalid (the error names its line and field), or a check failed";

const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0  every step passed (skipped steps say why they were skipped)
  2  usage error: bad flags, or a needed secret that cannot be read
  6  at least one step failed

With --port, the suite switches that port off and on again (and sets its speed and duplex to
the values it reports); it leaves the port as it found it. Never point it at a port in use.";

/// What `check` is told.
#[derive(Debug, Args)]
struct CheckArgs {
    /// The handler executable (a bare name is a file in the current directory; PATH is not
    /// searched)
    handler: PathBuf,
    #[command(flatten)]
    device: DeviceArgs,
    /// The port the suite may switch off and on, or `auto` for the first enabled one
    /// (simulators and lab devices only); without it, no write is made
    #[arg(long = "port", value_name = "ID")]
    port: Option<String>,
    /// Kill the handler if one call has not exited after SECS seconds
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_timeout)]
    timeout: Duration,
}

/// Flags both subcommands take.
#[derive(Debug, Args)]
struct Common {
    /// Kill the handler if it has not exited after SECS seconds
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_timeout)]
    timeout: Duration,
    /// Print the handler's document as it wrote it, instead of a summary or a table
    #[arg(long)]
    xml: bool,
}

#[derive(Debug, Args)]
struct InfoArgs {
    /// The handler executable (a bare name is a file in the current directory; PATH is not
    /// searched)
    handler: PathBuf,
    #[command(flatten)]
    common: Common,
}

/// The device and its credentials, as `call` and `check` take them.
#[derive(Debug, Args)]
pub(crate) struct DeviceArgs {
    /// The device: an address or host name, optionally with :port ([v6]:port)
    #[arg(long, value_name = "IP", help_heading = "Device")]
    ip: Endpoint,
    /// SNMP version: v1, v2c or v3
    #[arg(long, value_name = "VERSION", help_heading = "SNMP")]
    snmp_ver: Option<SnmpVersion>,
    /// Read the SNMP community (v1, v2c) from environment variable VAR
    #[arg(long, value_name = "VAR", help_heading = "SNMP")]
    community_env: Option<String>,
    /// Read the SNMP community from the first line of PATH
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "community_env",
        help_heading = "SNMP"
    )]
    community_file: Option<PathBuf>,
    /// SNMPv3 user name
    #[arg(long, value_name = "USER", help_heading = "SNMP")]
    snmp_user: Option<String>,
    /// SNMPv3 security level: noauth, authnopriv or authpriv
    #[arg(long, value_name = "LEVEL", help_heading = "SNMP")]
    auth_level: Option<AuthLevel>,
    /// SNMPv3 authentication protocol: md5, sha, sha224, sha256, sha384 or sha512
    #[arg(long, value_name = "PROTO", help_heading = "SNMP")]
    auth_proto: Option<AuthProtocol>,
    /// SNMPv3 privacy protocol: des, aes, aes192 or aes256
    #[arg(long, value_name = "PROTO", help_heading = "SNMP")]
    priv_proto: Option<PrivProtocol>,
    /// Read the SNMPv3 authentication phrase from environment variable VAR
    #[arg(long, value_name = "VAR", help_heading = "SNMP")]
    auth_phrase_env: Option<String>,
    /// Read the SNMPv3 authentication phrase from the first line of PATH
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "auth_phrase_env",
        help_heading = "SNMP"
    )]
    auth_phrase_file: Option<PathBuf>,
    /// Read the SNMPv3 privacy phrase from environment variable VAR
    #[arg(long, value_name = "VAR", help_heading = "SNMP")]
    priv_phrase_env: Option<String>,
    /// Read the SNMPv3 privacy phrase from the first line of PATH
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "priv_phrase_env",
        help_heading = "SNMP"
    )]
    priv_phrase_file: Option<PathBuf>,

    /// IPMI user name
    #[arg(long, value_name = "USER", help_heading = "IPMI")]
    user: Option<String>,
    /// Read the IPMI password from environment variable VAR
    #[arg(long, value_name = "VAR", help_heading = "IPMI")]
    pass_env: Option<String>,
    /// Read the IPMI password from the first line of PATH
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "pass_env",
        help_heading = "IPMI"
    )]
    pass_file: Option<PathBuf>,
}

/// What `call` is told: the low tier, as the user wrote it; [`request::build`] makes the
/// request of it.
#[derive(Debug, Args)]
struct CallArgs {
    /// The handler executable (a bare name is a file in the current directory; PATH is not
    /// searched)
    handler: PathBuf,
    /// The function: status, statistics, port_on, port_off, port_reset, port_speed,
    /// port_duplex, set_vlan or mac_list
    #[arg(value_name = "FUNC")]
    func: Func,

    #[command(flatten)]
    device: DeviceArgs,

    /// The port's identity (any port flag adds a <port> element to the request)
    #[arg(long = "port", value_name = "ID", help_heading = "Port")]
    port: Option<String>,
    /// Port speed: auto, auto10100, 10mbps, 100mbps, 1gbps or 10gbps
    #[arg(long, value_name = "SPEED", help_heading = "Port")]
    speed: Option<Speed>,
    /// Port duplex: auto, half or full
    #[arg(long, value_name = "DUPLEX", help_heading = "Port")]
    duplex: Option<Duplex>,
    /// VLAN number, 1 to 4095
    #[arg(long, value_name = "N", help_heading = "Port")]
    vlan: Option<VlanId>,
    /// VLAN alias (printable ASCII, no spaces)
    #[arg(long, value_name = "NAME", help_heading = "Port")]
    vlan_name: Option<String>,
    /// Make the port a trunk (set_vlan sends is_trunk off without it)
    #[arg(long, help_heading = "Port")]
    trunk: bool,
    /// VLANs a trunk carries, comma-separated: 10,20
    #[arg(long, value_name = "LIST", help_heading = "Port")]
    trunk_members: Option<VlanList>,
    /// PVLAN type of the primary VLAN: 0, 1, 2 or 3
    #[arg(long, value_name = "TYPE", help_heading = "Port")]
    pvlan: Option<PvlanType>,
    /// Mapped VLAN: 1 to 4095, or -1 for none
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Port"
    )]
    mapped_vlan: Option<MappedVlan>,

    /// statistics: readings to add beside the watts, as DCImanager 6's adapter asks
    /// (current in A, energy in kWh): current, energy or current,energy
    #[arg(long, value_name = "LIST")]
    readings: Option<Readings>,

    /// Print the request on standard error before sending it, secrets shown as ***
    #[arg(long)]
    show_request: bool,
    #[command(flatten)]
    common: Common,
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && *t > 0.0 && *t <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("expected a number of seconds above 0, at most 86400, got '{s}'"))
}

/// How the command ends; see [`EXIT_CODES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: a response, or a valid `-info`.
    Answered = 0,
    /// 1: a well-formed `<error>` document.
    ErrorDocument = 1,
    /// 2: bad flags or an unreadable secret (clap uses 2 for its own usage errors too).
    Usage = 2,
    /// 3: the handler broke the protocol.
    ProtocolBreak = 3,
    /// 4: the handler hung and was killed.
    Hung = 4,
    /// 5: the handler could not be started.
    NotStarted = 5,
    /// 6: a conformance step failed.
    CheckFailed = 6,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }
}

/// Runs one subcommand to its end, printing as it goes.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Info(args) => info(&args),
        Command::Call(args) => call(&args),
        Command::Check(args) => check(&args),
        Command::Profile(ProfileCommand::Check { files, recordings }) => {
            profile::check(&files, recordings.as_ref())
        }
    }
}

fn load_secrets(device: &DeviceArgs) -> Result<secrets::Secrets, Exit> {
    // Asked for only when standard input is a terminal; rpassword reads /dev/tty without echo.
    let ask = |label: &str| rpassword::prompt_password(format!("{label}: "));
    let prompt: secrets::Prompt<'_> = std::io::stdin().is_terminal().then_some(&ask);
    let env = |var: &str| std::env::var_os(var);
    secrets::load_all(&request::wanted(device), &env, prompt).map_err(|e| {
        note(&format!("dci-harness: {e}"));
        Exit::Usage
    })
}

fn check(args: &CheckArgs) -> Exit {
    let secrets = match load_secrets(&args.device) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let device = request::device(&args.device, secrets);
    let runner = Runner::new(&args.handler).timeout(args.timeout);
    let port = dci_harness::check::PortChoice::parse(args.port.as_deref());
    let report = dci_harness::check::run(&runner, &device, &port);
    for step in &report.steps {
        out(&step.to_string());
    }
    let (passed, failed, skipped) = report.counts();
    out(&format!(
        "{passed} passed, {failed} failed, {skipped} skipped"
    ));
    if report.passed() {
        Exit::Answered
    } else {
        Exit::CheckFailed
    }
}

fn info(args: &InfoArgs) -> Exit {
    let runner = Runner::new(&args.handler).timeout(args.common.timeout);
    match runner.info() {
        Ok(Outcome {
            document,
            transcript,
        }) => {
            pass_stderr(&transcript);
            if args.common.xml {
                out(&transcript.stdout);
            } else {
                out(&render::info(&document));
                timing(&transcript);
            }
            Exit::Answered
        }
        Err(e) => failed(&e, args.common.xml),
    }
}

fn call(args: &CallArgs) -> Exit {
    let secrets = match load_secrets(&args.device) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let request = match request::build(args, secrets) {
        Ok(r) => r,
        Err(e) => {
            note(&format!("dci-harness: the request would be invalid: {e}"));
            return Exit::Usage;
        }
    };
    if args.show_request {
        note(&request.redacted().to_xml());
    }
    let runner = Runner::new(&args.handler).timeout(args.common.timeout);
    match runner.call(&request) {
        Ok(Outcome {
            document,
            transcript,
        }) => {
            pass_stderr(&transcript);
            let raw = args.common.xml;
            if raw {
                out(&transcript.stdout);
            }
            let exit = match document {
                Document::Response(resp) => {
                    if !raw {
                        out(&render::response(&resp));
                    }
                    Exit::Answered
                }
                Document::Error(doc) => {
                    if !raw {
                        out(&render::error(&doc));
                    }
                    Exit::ErrorDocument
                }
            };
            if !raw {
                timing(&transcript);
            }
            exit
        }
        Err(e) => failed(&e, args.common.xml),
    }
}

/// Reports a call that ended without a valid document, and picks its exit code.
fn failed(e: &RunError, raw: bool) -> Exit {
    let (exit, what) = match e {
        RunError::Spawn { .. } | RunError::Io { .. } => (Exit::NotStarted, ""),
        RunError::Timeout { .. } => (Exit::Hung, "the handler hung: "),
        _ => (Exit::ProtocolBreak, "protocol break: "),
    };
    if let Some(t) = e.transcript() {
        pass_stderr(t);
    }
    note(&format!("dci-harness: {what}{e}"));
    if let Some(t) = e.transcript()
        && !t.stdout.trim().is_empty()
    {
        if raw {
            out(&t.stdout);
        } else {
            note(&format!(
                "standard output was:\n{}",
                render::excerpt(&t.stdout, 40)
            ));
        }
    }
    exit
}

fn timing(t: &Transcript) {
    note(&format!(
        "dci-harness: answered in {}, {}",
        fmt_elapsed(t.elapsed),
        exit_text(t.status)
    ));
}

/// The handler's standard error, as it wrote it.
fn pass_stderr(t: &Transcript) {
    if !t.stderr.is_empty() {
        err_raw(&t.stderr);
    }
}

/// Standard output: the handler's document, raw or rendered. A closed pipe (`| head`) is not
/// an error worth a panic.
#[allow(clippy::print_stdout)]
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
}

/// Standard error: one message of the harness, on its own line.
#[allow(clippy::print_stderr)]
fn note(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", text.trim_end_matches('\n'));
}

/// Standard error: bytes passed through from the handler.
#[allow(clippy::print_stderr)]
fn err_raw(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stderr.write_all(b"\n");
    }
}
