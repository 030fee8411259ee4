//! The handler runtime: everything a handler binary does besides talking to its device.
//!
//! [`run`] is the whole `main` of a handler. It answers `-info` from [`Handler::INFO`] without
//! reading stdin or starting anything; otherwise it sets up logging, reads one bounded request
//! from stdin, validates all of it against `INFO`, dispatches to the handler on a current-thread
//! runtime under one overall deadline, and writes exactly one document to stdout. Every error and
//! every panic ends as an `<error>` document.
//!
//! Exit status: 0 after a response, 1 after an `<error>` document (the seed's Python handlers
//! exit non-zero after printing theirs, so DCImanager reads stdout either way), 2 when stdout
//! itself cannot be written and nothing could be reported.

use std::future::Future;
use std::io::{Read, Write};
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorDoc, FieldError, FieldErrorKind};
use crate::info::{Func, Info};
use crate::request::{Call, Device, Operation, PortId, Request, VlanChange};
use crate::response::{PortState, Response};
use crate::values::{Duplex, Readings, Speed};

/// The largest request read from stdin. DCImanager's requests are a few hundred bytes; anything
/// near this is not a request.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// Environment variables the runtime reads. Each is documented in docs/protocol.md.
pub mod env {
    /// Per-request timeout in seconds (decimals allowed). Default 0.5.
    pub const TIMEOUT: &str = "DCIH_TIMEOUT";
    /// The longest per-request timeout of the rounds that retry after the device has answered,
    /// in seconds: each round doubles the timeout up to this. Default 4.
    pub const TIMEOUT_MAX: &str = "DCIH_TIMEOUT_MAX";
    /// Retries after a timed-out request. Default 5.
    pub const RETRIES: &str = "DCIH_RETRIES";
    /// Overall deadline of one call in seconds. Default 30.
    pub const DEADLINE: &str = "DCIH_DEADLINE";
    /// How long a port change may take to show on the device, in seconds. Default 20.
    pub const CONFIRM: &str = "DCIH_CONFIRM_TIMEOUT";
    /// A file to append logs to, besides stderr.
    pub const LOG_FILE: &str = "DCIH_LOG_FILE";
    /// Log filter (`warn`, `debug`, `snmp_core=trace,info`). Default `warn`.
    pub const LOG: &str = "RUST_LOG";
}

/// Time limits handed to a handler: how long one request to the device may take, how often it
/// is retried, how long a change may take to show, and the deadline of the whole call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// One request to the device (net-snmp's `-t`, ipmitool's per-try timeout).
    pub timeout: Duration,
    /// The cap of the per-try timeout once the device has answered in this call: each round of
    /// retries after that doubles the timeout, up to this (never below `timeout`).
    pub timeout_max: Duration,
    /// Retries after a timeout (net-snmp's `-r`).
    pub retries: u32,
    /// How long to wait for a port change to be read back.
    pub confirm: Duration,
    /// The whole call, from reading the request to writing the answer.
    pub deadline: Duration,
}

impl Default for Limits {
    /// Six tries of 0.5 s: a device that never answers is reported after 3 s, as with three
    /// tries of 1 s, but a first exchange crosses a path that loses 30 % each way 98 times in
    /// 100 (three tries: 87); a later exchange is retried until the deadline (docs/decisions.md,
    /// "Retries and timeouts").
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_millis(500),
            timeout_max: Duration::from_secs(4),
            retries: 5,
            confirm: Duration::from_secs(20),
            deadline: Duration::from_secs(30),
        }
    }
}

/// An environment variable with a value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("environment variable {name}: expected {expected}, got '{got}'")]
pub struct EnvError {
    /// The variable.
    pub name: &'static str,
    /// What it should hold.
    pub expected: &'static str,
    /// What it holds (shortened).
    pub got: String,
}

impl Limits {
    /// The per-try timeout of round `round` (0 = the first tries) of a request retried after
    /// the device has answered: the timeout doubled each round, capped at `timeout_max`.
    pub fn round_timeout(&self, round: u32) -> Duration {
        let grown = self.timeout.saturating_mul(1u32 << round.min(16));
        grown.min(self.timeout_max.max(self.timeout))
    }

    /// The defaults, overridden by whichever `DCIH_*` variables are set.
    pub fn from_env() -> Result<Limits, EnvError> {
        Limits::from_lookup(|name| std::env::var(name).ok())
    }

    /// Same as [`Limits::from_env`] with any lookup, for tests.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Limits, EnvError> {
        let d = Limits::default();
        let secs = |name: &'static str, default: Duration| -> Result<Duration, EnvError> {
            match get(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| EnvError {
                        name,
                        expected: "a number of seconds above 0 and at most 3600",
                        got: crate::values::shown(&v),
                    }),
            }
        };
        let retries = match get(env::RETRIES) {
            None => d.retries,
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|r| *r <= 20)
                .ok_or_else(|| EnvError {
                    name: env::RETRIES,
                    expected: "a whole number from 0 to 20",
                    got: crate::values::shown(&v),
                })?,
        };
        let timeout = secs(env::TIMEOUT, d.timeout)?;
        Ok(Limits {
            timeout,
            // A cap below the first timeout would shrink the later tries: the cap rises to it.
            timeout_max: secs(env::TIMEOUT_MAX, d.timeout_max)?.max(timeout),
            retries,
            confirm: secs(env::CONFIRM, d.confirm)?,
            deadline: secs(env::DEADLINE, d.deadline)?,
        })
    }
}

/// What a handler is given besides its arguments: the device, the limits and the clock.
#[derive(Debug)]
pub struct Context {
    device: Device,
    limits: Limits,
    readings: Readings,
    started: Instant,
}

impl Context {
    /// A context for `device`, with the clock starting now.
    pub fn new(device: Device, limits: Limits) -> Context {
        Context {
            device,
            limits,
            readings: Readings::NONE,
            started: Instant::now(),
        }
    }

    /// The same context, for a `statistics` call asked to add `readings`.
    pub fn with_readings(self, readings: Readings) -> Context {
        Context { readings, ..self }
    }

    /// The readings this `statistics` call adds to the watts (the DCImanager 6 extension;
    /// none from DCImanager 5): only ones the handler's [`Handler::readings`] gives.
    pub fn readings(&self) -> Readings {
        self.readings
    }

    /// The device: its address and the credentials its protocol needs.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The time limits of this call.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// When the whole call must be over.
    pub fn deadline(&self) -> Instant {
        self.started + self.limits.deadline
    }

    /// Time left before the deadline (zero once it has passed).
    pub fn remaining(&self) -> Duration {
        self.deadline().saturating_duration_since(Instant::now())
    }
}

/// A device handler. [`Handler::INFO`] is the one declaration of what it does: the runtime
/// writes it for `-info` and refuses any request for a function it does not list before the
/// handler is called. Functions a handler does not implement keep their default, which reports
/// [`Error::NotImplemented`]; the harness's `check` finds a function declared but not written.
///
/// Each method gets a [`Context`] and the validated arguments of its function, returns typed
/// values, and never writes output itself.
// The runtime drives handlers on a current-thread executor, so their futures need not be `Send`;
// `async fn` in the trait states exactly that.
#[allow(async_fn_in_trait)]
pub trait Handler {
    /// The `-info` declaration.
    const INFO: Info;

    /// The declaration this handler answers `-info` with and validates requests against:
    /// [`Handler::INFO`], unless the handler is built from data (a device profile) that says
    /// its name and functions only once it is read.
    fn info(&self) -> Info {
        Self::INFO
    }

    /// The readings `statistics` adds beside the watts when a request asks for them
    /// (`<readings>`, the DCImanager 6 extension; see docs/protocol.md). None by default.
    fn readings(&self) -> Readings {
        Readings::NONE
    }

    /// `status`: every port (or, for a UPS, every parameter).
    async fn status(&self, cx: &Context) -> Result<Response, Error>;

    /// `statistics`: counters or power per port, and [`Context::readings`] where asked.
    async fn statistics(&self, cx: &Context) -> Result<Response, Error> {
        let _ = cx;
        Err(Error::NotImplemented {
            func: Func::Statistics,
        })
    }

    /// `port_on`: answer with the state read back from the device.
    async fn port_on(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        let _ = (cx, port);
        Err(Error::NotImplemented { func: Func::PortOn })
    }

    /// `port_off`: answer with the state read back from the device.
    async fn port_off(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        let _ = (cx, port);
        Err(Error::NotImplemented {
            func: Func::PortOff,
        })
    }

    /// `port_reset`: answer with the state read back from the device.
    async fn port_reset(&self, cx: &Context, port: &PortId) -> Result<PortState, Error> {
        let _ = (cx, port);
        Err(Error::NotImplemented {
            func: Func::PortReset,
        })
    }

    /// `port_speed`: answer with the speed read back from the device.
    async fn port_speed(
        &self,
        cx: &Context,
        port: &PortId,
        speed: Speed,
    ) -> Result<PortState, Error> {
        let _ = (cx, port, speed);
        Err(Error::NotImplemented {
            func: Func::PortSpeed,
        })
    }

    /// `port_duplex`: answer with the duplex read back from the device.
    async fn port_duplex(
        &self,
        cx: &Context,
        port: &PortId,
        duplex: Duplex,
    ) -> Result<PortState, Error> {
        let _ = (cx, port, duplex);
        Err(Error::NotImplemented {
            func: Func::PortDuplex,
        })
    }

    /// `set_vlan`: answer with the VLAN read back from the device.
    async fn set_vlan(
        &self,
        cx: &Context,
        port: &PortId,
        change: &VlanChange,
    ) -> Result<PortState, Error> {
        let _ = (cx, port, change);
        Err(Error::NotImplemented {
            func: Func::SetVlan,
        })
    }

    /// `mac_list`: the MAC addresses learnt on each port.
    async fn mac_list(&self, cx: &Context) -> Result<Response, Error> {
        let _ = cx;
        Err(Error::NotImplemented {
            func: Func::MacList,
        })
    }
}

/// Runs one validated call on `handler`.
pub async fn dispatch<H: Handler>(
    handler: &H,
    cx: &Context,
    op: &Operation,
) -> Result<Response, Error> {
    Ok(match op {
        Operation::Status => handler.status(cx).await?,
        Operation::Statistics(_) => handler.statistics(cx).await?,
        Operation::MacList => handler.mac_list(cx).await?,
        Operation::PortOn(p) => Response::port(handler.port_on(cx, p).await?),
        Operation::PortOff(p) => Response::port(handler.port_off(cx, p).await?),
        Operation::PortReset(p) => Response::port(handler.port_reset(cx, p).await?),
        Operation::PortSpeed(p, s) => Response::port(handler.port_speed(cx, p, *s).await?),
        Operation::PortDuplex(p, d) => Response::port(handler.port_duplex(cx, p, *d).await?),
        Operation::SetVlan(p, v) => Response::port(handler.set_vlan(cx, p, v).await?),
    })
}

/// The whole `main` of a handler binary: `fn main() -> ExitCode { dci_protocol::run(MyHandler) }`.
pub fn run<H: Handler>(handler: H) -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let first = args.next();
    if first.as_deref() == Some(std::ffi::OsStr::new("-info")) && args.next().is_none() {
        return emit(&handler.info().to_xml(), ExitCode::SUCCESS);
    }
    let _guard = crate::logging::init();
    if let Some(arg) = first {
        return emit_error(&Error::Arguments {
            arg: crate::values::shown(&arg.to_string_lossy()),
        });
    }
    install_panic_hook();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let input = read_request(std::io::stdin().lock())?;
        handle(&handler, &input)
    }));
    match outcome {
        Ok(Ok(resp)) => emit(&resp.to_xml(), ExitCode::SUCCESS),
        Ok(Err(e)) => emit_error(&e),
        Err(_) => emit_error(&Error::Panic),
    }
}

/// Parses, validates and runs one request text. Public so that tests and tools can drive a
/// handler in-process exactly as [`run`] does, minus stdin and stdout.
pub fn handle<H: Handler>(handler: &H, input: &str) -> Result<Response, Error> {
    let limits = Limits::from_env().map_err(|e| Error::Request(env_field_error(e)))?;
    handle_with(handler, input, limits)
}

/// How many distinct ignored element names the log line shows.
const IGNORED_SHOWN: usize = 8;

/// [`handle`] with explicit limits instead of the environment's.
pub fn handle_with<H: Handler>(
    handler: &H,
    input: &str,
    limits: Limits,
) -> Result<Response, Error> {
    let request = Request::parse(input)?;
    if !request.ignored.is_empty() {
        // One line a request, however many: a hostile request must not flood the log.
        let mut names: Vec<&str> = request.ignored.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        let shown: Vec<&str> = names.iter().take(IGNORED_SHOWN).copied().collect();
        tracing::warn!(
            count = request.ignored.len(),
            elements = %shown.join(", "),
            more = names.len().saturating_sub(IGNORED_SHOWN),
            "ignoring elements the protocol does not define"
        );
    }
    let call: Call = request.validate_giving(&handler.info(), handler.readings())?;
    let span = tracing::info_span!("call", func = %call.op.func(), device = %call.device.endpoint);
    let _enter = span.enter();
    tracing::debug!(?call, "validated request");
    let mut cx = Context::new(call.device, limits);
    if let Operation::Statistics(asked) = call.op {
        cx = cx.with_readings(asked);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Connection(Box::new(e)))?;
    let started = Instant::now();
    let result = rt.block_on(async {
        match tokio::time::timeout(cx.remaining(), dispatch(handler, &cx, &call.op)).await {
            Ok(r) => r,
            Err(_) => Err(Error::Deadline {
                deadline: limits.deadline,
            }),
        }
    });
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        ok = result.is_ok(),
        "call finished"
    );
    result
}

fn env_field_error(e: EnvError) -> FieldError {
    FieldError::new(
        "environment",
        FieldErrorKind::Invalid(crate::values::ValueError::Malformed {
            problem: e.to_string(),
        }),
    )
}

/// Reads the request, refusing empty, oversized and non-UTF-8 input.
pub fn read_request(reader: impl Read) -> Result<String, FieldError> {
    let mut buf = Vec::new();
    reader
        .take(MAX_REQUEST_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| {
            FieldError::new(
                "request",
                FieldErrorKind::Read {
                    reason: e.to_string(),
                },
            )
        })?;
    if buf.len() > MAX_REQUEST_BYTES {
        return Err(FieldError::new(
            "request",
            FieldErrorKind::TooLarge {
                limit: MAX_REQUEST_BYTES,
            },
        ));
    }
    let text = String::from_utf8(buf).map_err(|e| {
        FieldError::new(
            "request",
            FieldErrorKind::NotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            },
        )
    })?;
    if text.trim().is_empty() {
        return Err(FieldError::new("request", FieldErrorKind::Empty));
    }
    Ok(text)
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(%location, %message, "handler panicked");
    }));
}

fn emit_error(e: &Error) -> ExitCode {
    let doc: ErrorDoc = e.to_doc();
    tracing::warn!(error_type = %doc.error_type, text = %doc.text, "answering with an error");
    emit(&doc.to_xml(), ExitCode::from(1))
}

/// The one place a handler writes to stdout.
#[allow(clippy::print_stdout)]
fn emit(doc: &str, code: ExitCode) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(doc.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) => {
            tracing::error!(error = %e, "cannot write the answer to stdout");
            ExitCode::from(2)
        }
    }
}

/// Runs `fut` to completion on a fresh current-thread runtime. For tools and tests that want a
/// handler's async code without [`run`].
pub fn block_on<F: Future>(fut: F) -> std::io::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(fut))
}
