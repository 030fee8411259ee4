//! Errors: what was wrong with a request, what a handler reports about a device, and the
//! `<error>` document that carries either to DCImanager.
//!
//! The wire knows two error types, `connection` and `unexpected_data` ([`ErrorType`]). Every
//! error in the project maps onto one of them through [`Error::error_type`].

use std::fmt;
use std::time::Duration;

use crate::Func;
use crate::values::ValueError;

/// `<error><type>`: the two kinds of failure DCImanager distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorType {
    /// The device could not be reached or refused us (no answer, refused, bad credentials).
    Connection,
    /// The exchange happened but something in it was unusable: a bad request, a value the device
    /// should not have sent, a device that did not do what it was told.
    UnexpectedData,
}

impl ErrorType {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorType::Connection => "connection",
            ErrorType::UnexpectedData => "unexpected_data",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(s: &str) -> Option<ErrorType> {
        match s.trim() {
            "connection" => Some(ErrorType::Connection),
            "unexpected_data" => Some(ErrorType::UnexpectedData),
            _ => None,
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `<error>` document as it travels: a type and a human-readable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDoc {
    /// `connection` or `unexpected_data`.
    pub error_type: ErrorType,
    /// What went wrong, for the operator.
    pub text: String,
}

/// A document (request, response or `-info`) that does not fit the protocol. `field` is the path
/// of the offending element (`device_params/snmp_ver`, `port/vlan_id`, or `request` for the
/// document itself), so the text always says where to look:
/// "device_params/snmp_ver: expected …, got 'v4'".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {kind}")]
pub struct FieldError {
    /// Path of the element at fault.
    pub field: &'static str,
    /// What is wrong with it.
    pub kind: FieldErrorKind,
}

impl FieldError {
    /// An error about `field`.
    pub fn new(field: &'static str, kind: FieldErrorKind) -> FieldError {
        FieldError { field, kind }
    }
}

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldErrorKind {
    /// Standard input could not be read at all.
    #[error("cannot read standard input: {reason}")]
    Read {
        /// The I/O error.
        reason: String,
    },
    /// Nothing but whitespace on standard input.
    #[error("empty request: DCImanager sends one XML document on standard input")]
    Empty,
    /// More bytes than any real request has.
    #[error("request larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Bytes that are not UTF-8.
    #[error("not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The XML parser refused the document (including DTDs and entity declarations).
    #[error("not a well-formed XML document: {reason}")]
    NotXml {
        /// The parser's explanation, with line and column.
        reason: String,
    },
    /// The root element is not `<doc>`.
    #[error("root element is <{got}>, expected <doc>")]
    WrongRoot {
        /// The root element's name.
        got: String,
    },
    /// A required element is absent or empty.
    #[error("missing or empty")]
    Missing,
    /// A required element is present but empty.
    #[error("empty")]
    EmptyValue,
    /// An element that may appear once appears more often.
    #[error("given more than once")]
    Repeated,
    /// An element the protocol does not define where only defined ones are allowed (handler
    /// answers; requests ignore unknown elements instead).
    #[error("unknown element <{name}>")]
    UnknownElement {
        /// The element's name (shortened).
        name: String,
    },
    /// An element that must hold text holds elements.
    #[error("must hold text, not elements")]
    NotText,
    /// A value that does not parse.
    #[error("{0}")]
    Invalid(ValueError),
    /// A secret that does not fit; its value is deliberately not shown.
    #[error("invalid value ({reason}; the value is a secret and is not shown)")]
    InvalidSecret {
        /// Why, without the value.
        reason: &'static str,
    },
    /// A `func` no handler knows.
    #[error("unknown function '{got}' (known: {known})")]
    UnknownFunc {
        /// What was asked for.
        got: String,
        /// The protocol's functions.
        known: &'static str,
    },
    /// A `func` this handler does not declare in `-info`.
    #[error("'{func}' is not supported by this handler (it supports: {supported})")]
    UnsupportedFunc {
        /// What was asked for.
        func: Func,
        /// What `-info` declares.
        supported: String,
    },
    /// An SNMP version the handler does not declare.
    #[error("{version} is not supported by this handler (it supports: {supported})")]
    UnsupportedVersion {
        /// What was asked for.
        version: crate::SnmpVersion,
        /// What `-info` declares.
        supported: String,
    },
    /// A field that is required because of another one (v3 needs a user, …).
    #[error("required {because}")]
    RequiredBecause {
        /// The reason, e.g. "for SNMP v3".
        because: &'static str,
    },
    /// An element that only one function takes.
    #[error("only '{func}' takes this element")]
    OnlyFor {
        /// The function.
        func: Func,
    },
    /// A port identity this kind of device cannot have.
    #[error("'{got}' is not a port of this device ({allowed})")]
    WrongPort {
        /// The identity given.
        got: String,
        /// What is allowed.
        allowed: &'static str,
    },
}

/// Everything a handler call can end with other than success. Each maps onto the wire's two
/// error types; see [`Error::error_type`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before the device was touched.
    #[error(transparent)]
    Request(#[from] FieldError),
    /// The process was started with arguments other than `-info`.
    #[error(
        "unexpected command-line argument '{arg}': run with -info, or with no arguments and a request on standard input"
    )]
    Arguments {
        /// The first argument that is not understood.
        arg: String,
    },
    /// The handler declares a function in `-info` but has no implementation for it; a bug in the
    /// handler, reported rather than hidden.
    #[error("handler bug: '{func}' is declared in -info but not implemented")]
    NotImplemented {
        /// The function.
        func: Func,
    },
    /// The overall deadline passed before the handler finished.
    #[error("no result within the overall deadline of {}", fmt_duration(*.deadline))]
    Deadline {
        /// The deadline that passed.
        deadline: Duration,
    },
    /// The handler panicked; the message is logged, not sent (it may hold anything).
    #[error("internal error in the handler (a panic); the log on stderr has the details")]
    Panic,
    /// The device could not be reached or refused the credentials.
    #[error("{0}")]
    Connection(Box<dyn std::error::Error + Send + Sync>),
    /// The device answered, but with something unusable, or did not do what it was told.
    #[error("{0}")]
    UnexpectedData(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// A connection failure carrying a device-specific error.
    pub fn connection(source: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::Connection(Box::new(source))
    }

    /// An unexpected-data failure carrying a device-specific error.
    pub fn unexpected_data(source: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::UnexpectedData(Box::new(source))
    }

    /// The wire error type this error is reported as.
    pub fn error_type(&self) -> ErrorType {
        match self {
            Error::Connection(_) | Error::Deadline { .. } => ErrorType::Connection,
            Error::Request(_)
            | Error::Arguments { .. }
            | Error::NotImplemented { .. }
            | Error::Panic
            | Error::UnexpectedData(_) => ErrorType::UnexpectedData,
        }
    }

    /// The `<error>` document for this error. The text is the error and its chain of causes,
    /// joined with ": ".
    pub fn to_doc(&self) -> ErrorDoc {
        let mut text = self.to_string();
        // `Connection` and `UnexpectedData` display the device error itself; its causes follow.
        let mut source = match self {
            Error::Connection(e) | Error::UnexpectedData(e) => e.source(),
            other => std::error::Error::source(other),
        };
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        ErrorDoc {
            error_type: self.error_type(),
            text,
        }
    }
}

/// Durations in error texts: "1.5 s", "250 ms".
pub fn fmt_duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        let s = d.as_secs_f64();
        if s.fract() == 0.0 {
            format!("{s:.0} s")
        } else {
            format!("{s:.1} s")
        }
    } else {
        format!("{} ms", d.as_millis())
    }
}
