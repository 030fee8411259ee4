//! Runs a handler executable the way DCImanager does and classifies what it did.
//!
//! Two calls exist on the wire: `HANDLER -info`, with a standard input that is open but never
//! written (DCImanager sends nothing), and `HANDLER` with no arguments and one request document
//! written to standard input, which is then closed. In both, standard output must carry exactly
//! one document. [`Runner`] makes either call with `std::process::Command` (never a shell),
//! reads standard output and standard error on their own threads so that neither pipe can fill
//! up and stall the handler, bounds the call with a timeout (the child is killed and reaped when
//! it passes), and turns what happened into an [`Outcome`] or a [`RunError`] that names the way
//! the handler broke the protocol.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use dci_protocol::{Document, FieldError, FieldErrorKind, Info, Request};

/// How long a call may take unless [`Runner::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The most standard output kept. A 384-port switch answers in about 100 KiB; anything near this
/// is a handler gone wrong, and it must not take the harness's memory with it.
pub const MAX_STDOUT: usize = 16 * 1024 * 1024;

/// How much of standard error is kept: its last bytes, where the reason for a failure usually is.
pub const MAX_STDERR: usize = 64 * 1024;

/// How long the pipes may stay open after the handler has exited. Only a process the handler
/// left behind holds them then; the harness does not wait for it.
const PIPE_GRACE: Duration = Duration::from_millis(500);

/// How long the pipes may stay open after a timed-out handler was killed.
const KILL_GRACE: Duration = Duration::from_millis(200);

/// Runs one handler executable. Cheap to clone; each call starts a new process.
#[derive(Debug, Clone)]
pub struct Runner {
    path: PathBuf,
    timeout: Duration,
    envs: Vec<(OsString, OsString)>,
}

/// What the handler process did, whatever the verdict: its output, how it ended, how long it
/// took.
#[derive(Debug, Clone)]
pub struct Transcript {
    /// Standard output (invalid UTF-8 replaced; at most [`MAX_STDOUT`] bytes).
    pub stdout: String,
    /// Standard error: its last [`MAX_STDERR`] bytes at most, invalid UTF-8 replaced.
    pub stderr: String,
    /// How the process ended (for a timed-out call, the kill).
    pub status: ExitStatus,
    /// From start to exit.
    pub elapsed: Duration,
}

/// A call that ended with a valid document.
#[derive(Debug, Clone)]
pub struct Outcome<T> {
    /// The parsed document: [`Info`] for `-info`, [`Document`] for a request.
    pub document: T,
    /// The process: raw standard output, standard error, exit status, elapsed time. After an
    /// `<error>` document the status may be non-zero (handlers exit 1 then); it is recorded here
    /// and is not a protocol break.
    pub transcript: Transcript,
}

/// A call that did not end with a valid document: the handler could not be started, hung, or
/// broke the protocol. Every variant but [`RunError::Spawn`] and [`RunError::Io`] carries the
/// [`Transcript`] of the run, for the report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The executable could not be started (missing, not executable, bad interpreter line).
    #[error("cannot start {}: {source}", path.display())]
    Spawn {
        /// The path that was executed.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// Waiting for the handler process failed; it was killed.
    #[error("cannot wait for the handler process: {source}")]
    Io {
        /// The operating system's reason.
        source: io::Error,
    },
    /// No exit within the timeout: the handler hung and was killed.
    #[error("no answer within {} (the handler was killed)", crate::fmt_elapsed(*.after))]
    Timeout {
        /// The timeout that passed.
        after: Duration,
        /// What the handler wrote before it was killed.
        transcript: Box<Transcript>,
    },
    /// Nothing but whitespace on standard output.
    #[error(
        "no document on standard output (the handler {}){}",
        exit_text(*.status),
        tail_text(.stderr_tail)
    )]
    NoDocument {
        /// How the handler ended.
        status: ExitStatus,
        /// The last line the handler wrote on standard error, if any.
        stderr_tail: String,
        /// The run.
        transcript: Box<Transcript>,
    },
    /// Standard output is not one well-formed XML document (or not UTF-8).
    #[error("standard output is not an XML document: {reason}")]
    NotXml {
        /// The parser's explanation, with line and column.
        reason: String,
        /// The run.
        transcript: Box<Transcript>,
    },
    /// A second document follows the first on standard output.
    #[error("more than one document on standard output (DCImanager reads exactly one)")]
    SeveralDocuments {
        /// The run.
        transcript: Box<Transcript>,
    },
    /// Text that is not XML follows the document on standard output (a stray print).
    #[error("text after the document on standard output: '{text}'")]
    TrailingText {
        /// The start of that text.
        text: String,
        /// The run.
        transcript: Box<Transcript>,
    },
    /// Well-formed XML that breaks the protocol: an unknown element, a bad value, a missing
    /// field, a wrong root.
    #[error("the document breaks the protocol: {error}")]
    InvalidDocument {
        /// What is wrong, naming the element.
        error: FieldError,
        /// The run.
        transcript: Box<Transcript>,
    },
    /// A valid `-info` or response document, but the process failed. Only an `<error>`
    /// document may come with a non-zero exit status.
    #[error("a valid document, but the handler {}", exit_text(*.status))]
    NonZeroExit {
        /// How the handler ended.
        status: ExitStatus,
        /// The run.
        transcript: Box<Transcript>,
    },
    /// More than [`MAX_STDOUT`] bytes on standard output.
    #[error("more than {limit} bytes on standard output")]
    TooMuchOutput {
        /// The limit that was passed.
        limit: usize,
        /// The run (standard output cut at the limit).
        transcript: Box<Transcript>,
    },
}

impl RunError {
    /// The run, when the handler was started.
    pub fn transcript(&self) -> Option<&Transcript> {
        match self {
            RunError::Spawn { .. } | RunError::Io { .. } => None,
            RunError::Timeout { transcript, .. }
            | RunError::NoDocument { transcript, .. }
            | RunError::NotXml { transcript, .. }
            | RunError::SeveralDocuments { transcript }
            | RunError::TrailingText { transcript, .. }
            | RunError::InvalidDocument { transcript, .. }
            | RunError::NonZeroExit { transcript, .. }
            | RunError::TooMuchOutput { transcript, .. } => Some(transcript),
        }
    }

    /// Whether the handler broke the protocol (as opposed to not starting or hanging).
    pub fn is_protocol_break(&self) -> bool {
        !matches!(
            self,
            RunError::Spawn { .. } | RunError::Io { .. } | RunError::Timeout { .. }
        )
    }
}

/// "exited with status 3", "was killed by signal 9".
pub fn exit_text(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("was killed by signal {sig}");
        }
    }
    format!("ended with {status}")
}

fn tail_text(tail: &str) -> String {
    if tail.is_empty() {
        String::new()
    } else {
        format!("; standard error ends with: {tail}")
    }
}

/// What the process is given: `-info`, or a request on standard input.
enum Call<'a> {
    Info,
    Request(&'a [u8]),
}

impl Runner {
    /// A runner for the executable at `path`, with the [`DEFAULT_TIMEOUT`]. A bare file name
    /// (`ups-sim`) means the file in the current directory, as DCImanager runs a file from its
    /// handler folder: `PATH` is never searched.
    pub fn new(path: impl Into<PathBuf>) -> Runner {
        Runner {
            path: path.into(),
            timeout: DEFAULT_TIMEOUT,
            envs: Vec::new(),
        }
    }

    /// Sets the timeout of each call.
    pub fn timeout(mut self, timeout: Duration) -> Runner {
        self.timeout = timeout;
        self
    }

    /// Adds an environment variable for the handler (it inherits the harness's environment
    /// besides), e.g. the runtime's `DCIH_TIMEOUT`.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Runner {
        self.envs.push((key.into(), value.into()));
        self
    }

    /// The path that is executed.
    pub fn program(&self) -> PathBuf {
        let mut parts = self.path.components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(name)), None) => Path::new(".").join(name),
            _ => self.path.clone(),
        }
    }

    /// Runs `HANDLER -info` and parses the declaration.
    pub fn info(&self) -> Result<Outcome<Info>, RunError> {
        let (info, transcript) = parse_stdout(self.execute(Call::Info)?, Info::parse)?;
        if !transcript.status.success() {
            return Err(RunError::NonZeroExit {
                status: transcript.status,
                transcript,
            });
        }
        Ok(Outcome {
            document: info,
            transcript: *transcript,
        })
    }

    /// Writes `request` to the handler's standard input, as DCImanager would (secrets
    /// included), and parses the answer.
    pub fn call(&self, request: &Request) -> Result<Outcome<Document>, RunError> {
        self.call_raw(request.to_xml().as_bytes())
    }

    /// Writes `input` as it is to the handler's standard input and parses the answer. For
    /// conformance checks that send what DCImanager never would.
    pub fn call_raw(&self, input: &[u8]) -> Result<Outcome<Document>, RunError> {
        let (document, transcript) =
            parse_stdout(self.execute(Call::Request(input))?, Document::parse)?;
        if matches!(document, Document::Response(_)) && !transcript.status.success() {
            return Err(RunError::NonZeroExit {
                status: transcript.status,
                transcript,
            });
        }
        Ok(Outcome {
            document,
            transcript: *transcript,
        })
    }

    /// Starts the process, feeds it, collects its output and waits for it within the timeout.
    fn execute(&self, call: Call<'_>) -> Result<Box<Transcript>, RunError> {
        let path = self.program();
        let mut cmd = Command::new(&path);
        if let Call::Info = call {
            cmd.arg("-info");
        }
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .envs(self.envs.iter().map(|(k, v)| (k, v)));
        let started = Instant::now();
        let mut child = Reaper(Some(
            spawn(&mut cmd).map_err(|source| RunError::Spawn { path, source })?,
        ));
        let proc = child.get();
        let (stdin, stdout, stderr) = (proc.stdin.take(), proc.stdout.take(), proc.stderr.take());

        let (tx, rx) = mpsc::channel::<()>();
        let out = Arc::new(Mutex::new(Capture::head(MAX_STDOUT)));
        let err = Arc::new(Mutex::new(Capture::tail(MAX_STDERR)));
        let mut open = 0;
        if let Some(pipe) = stdout {
            collect(pipe, Arc::clone(&out), tx.clone());
            open += 1;
        }
        if let Some(pipe) = stderr {
            collect(pipe, Arc::clone(&err), tx.clone());
            open += 1;
        }
        drop(tx);

        // `-info`: the pipe stays open, unwritten, until the handler is gone, so a handler that
        // waits for input hangs here as it would under DCImanager. A request: written from a
        // thread (a handler that never reads must not block the harness past its timeout), then
        // closed.
        let held_stdin = match call {
            Call::Info => stdin,
            Call::Request(bytes) => {
                if let Some(mut pipe) = stdin {
                    let bytes = bytes.to_vec();
                    thread::spawn(move || {
                        // A handler may exit without reading its input; the broken pipe that
                        // follows is its business, and its output says what it did.
                        let _ = pipe.write_all(&bytes);
                    });
                }
                None
            }
        };

        let deadline = started + self.timeout;
        let mut exited: Option<(ExitStatus, Instant)> = None;
        let mut nap = Duration::from_micros(50);
        let timed_out = loop {
            if exited.is_none() {
                match child.get().try_wait() {
                    Ok(Some(status)) => exited = Some((status, Instant::now())),
                    Ok(None) => {}
                    Err(source) => return Err(RunError::Io { source }),
                }
            }
            if let Some((_, at)) = exited
                && (open == 0 || at.elapsed() >= PIPE_GRACE)
            {
                break false;
            }
            let now = Instant::now();
            if now >= deadline {
                break true;
            }
            if open > 0 {
                // Output or its end wakes us at once; the slice bounds how late an exit with
                // pipes still held elsewhere is noticed.
                match rx.recv_timeout((deadline - now).min(Duration::from_millis(20))) {
                    Ok(()) => open -= 1,
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => open = 0,
                }
            } else {
                // Both pipes are closed: the process is exiting. Poll briefly for its status.
                thread::sleep(nap.min(deadline - now));
                nap = (nap * 2).min(Duration::from_millis(5));
            }
        };

        let (status, elapsed) = if timed_out {
            let status = child
                .kill_and_reap()
                .map_err(|source| RunError::Io { source })?;
            // Whatever the handler left behind reading its input sees the end of it now.
            drop(held_stdin);
            let elapsed = started.elapsed();
            // Let the readers drain what the killed process wrote, unless something it left
            // behind still holds the pipes.
            let until = Instant::now() + KILL_GRACE;
            while open > 0 {
                let left = until.saturating_duration_since(Instant::now());
                match rx.recv_timeout(left) {
                    Ok(()) => open -= 1,
                    Err(_) => break,
                }
            }
            (status, elapsed)
        } else {
            let (status, at) = exited.unwrap_or_else(|| unreachable!("loop ends with an exit"));
            child.reaped();
            drop(held_stdin);
            (status, at - started)
        };

        let transcript = Box::new(Transcript {
            stdout: out.lock().unwrap_or_else(PoisonError::into_inner).text(),
            stderr: err.lock().unwrap_or_else(PoisonError::into_inner).text(),
            status,
            elapsed,
        });
        let overflowed = out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .overflowed;
        if timed_out {
            return Err(RunError::Timeout {
                after: self.timeout,
                transcript,
            });
        }
        if overflowed {
            return Err(RunError::TooMuchOutput {
                limit: MAX_STDOUT,
                transcript,
            });
        }
        // Non-UTF-8 output is refused before parsing, with the offset of the first bad byte.
        let bytes_ok = out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .utf8_error();
        if let Some(offset) = bytes_ok {
            return Err(RunError::NotXml {
                reason: format!("not valid UTF-8 (first bad byte at offset {offset})"),
                transcript,
            });
        }
        Ok(transcript)
    }
}

/// Starts the process. "Text file busy" is retried: it is a race with another thread of this
/// process that forked while an executable was open for writing (tests write their fake
/// handlers and run them at once), not a property of the handler.
fn spawn(cmd: &mut Command) -> io::Result<Child> {
    let mut tries = 0;
    loop {
        match cmd.spawn() {
            Err(e) if e.kind() == io::ErrorKind::ExecutableFileBusy && tries < 10 => {
                tries += 1;
                thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Owns the child until it is reaped, and kills and reaps it if the harness leaves early, so no
/// handler outlives a call.
struct Reaper(Option<Child>);

impl Reaper {
    fn get(&mut self) -> &mut Child {
        self.0
            .as_mut()
            .unwrap_or_else(|| unreachable!("used after reaping"))
    }

    /// The child has been waited for (`try_wait` returned its status).
    fn reaped(&mut self) {
        self.0 = None;
    }

    fn kill_and_reap(&mut self) -> io::Result<ExitStatus> {
        let mut child = self
            .0
            .take()
            .unwrap_or_else(|| unreachable!("killed after reaping"));
        // It may have exited meanwhile; then kill fails and wait returns its status.
        let _ = child.kill();
        child.wait()
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Bytes read from one pipe, bounded: the head of standard output, the tail of standard error.
struct Capture {
    bytes: Vec<u8>,
    limit: usize,
    keep_tail: bool,
    overflowed: bool,
}

impl Capture {
    fn head(limit: usize) -> Capture {
        Capture {
            bytes: Vec::new(),
            limit,
            keep_tail: false,
            overflowed: false,
        }
    }

    fn tail(limit: usize) -> Capture {
        Capture {
            keep_tail: true,
            ..Capture::head(limit)
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        if self.keep_tail {
            self.bytes.extend_from_slice(chunk);
            // Trimmed in batches, so the copy is paid once per `limit` bytes, not per chunk.
            if self.bytes.len() > 2 * self.limit {
                let cut = self.bytes.len() - self.limit;
                self.bytes.drain(..cut);
                self.overflowed = true;
            }
        } else {
            let room = self.limit.saturating_sub(self.bytes.len());
            if chunk.len() > room {
                self.overflowed = true;
            }
            self.bytes
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
    }

    fn text(&self) -> String {
        if self.keep_tail {
            let cut = self.bytes.len().saturating_sub(self.limit);
            if cut > 0 || self.overflowed {
                return format!("…{}", String::from_utf8_lossy(&self.bytes[cut..]));
            }
        }
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The offset of the first byte that is not UTF-8, if any.
    fn utf8_error(&self) -> Option<usize> {
        std::str::from_utf8(&self.bytes)
            .err()
            .map(|e| e.valid_up_to())
    }
}

/// Reads `pipe` to its end on its own thread, then says so on `done`.
fn collect(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Capture>>,
    done: mpsc::Sender<()>,
) {
    thread::spawn(move || {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => into
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = done.send(());
    });
}

/// Parses standard output with `parse`, classifying every way it can fail.
fn parse_stdout<T>(
    transcript: Box<Transcript>,
    parse: fn(&str) -> Result<T, FieldError>,
) -> Result<(T, Box<Transcript>), RunError> {
    if transcript.stdout.trim().is_empty() {
        return Err(RunError::NoDocument {
            status: transcript.status,
            stderr_tail: last_line(&transcript.stderr),
            transcript,
        });
    }
    match parse(&transcript.stdout) {
        Ok(doc) => Ok((doc, transcript)),
        Err(FieldError {
            kind: FieldErrorKind::NotXml { reason },
            ..
        }) => Err(not_xml(reason, parse, transcript)),
        Err(error) => Err(RunError::InvalidDocument { error, transcript }),
    }
}

/// Tells "two documents" and "a document and then a stray line" apart from other XML errors:
/// when the text up to the end of the first root element is well-formed on its own, whatever
/// follows it is the fault.
fn not_xml<T>(
    reason: String,
    parse: fn(&str) -> Result<T, FieldError>,
    transcript: Box<Transcript>,
) -> RunError {
    let text = transcript.stdout.as_str();
    if let Some(end) = first_root_end(text) {
        let rest = text[end..].trim();
        let prefix_is_xml = !matches!(
            parse(&text[..end]),
            Err(FieldError {
                kind: FieldErrorKind::NotXml { .. },
                ..
            })
        );
        if !rest.is_empty() && prefix_is_xml {
            return if rest.starts_with('<') {
                RunError::SeveralDocuments { transcript }
            } else {
                let text = shorten(rest.lines().next().unwrap_or(rest), 60);
                RunError::TrailingText { text, transcript }
            };
        }
    }
    RunError::NotXml { reason, transcript }
}

/// The byte offset just past the end of the first root element, found by a scan that knows
/// tags, quoted attribute values, comments, CDATA sections, processing instructions and
/// declarations; `None` when the text ends first.
pub(crate) fn first_root_end(text: &str) -> Option<usize> {
    let mut i = 0;
    let mut depth = 0usize;
    while let Some(lt) = text[i..].find('<') {
        let at = i + lt;
        let rest = &text[at..];
        let skip_to = |end: &str| rest.find(end).map(|e| at + e + end.len());
        if rest.starts_with("<?") {
            i = skip_to("?>")?;
        } else if rest.starts_with("<!--") {
            i = skip_to("-->")?;
        } else if rest.starts_with("<![CDATA[") {
            i = skip_to("]]>")?;
        } else if rest.starts_with("<!") {
            i = skip_to(">")?;
        } else if rest.starts_with("</") {
            i = skip_to(">")?;
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        } else {
            let end = tag_end(rest)?;
            i = at + end + 1;
            if rest[..end].ends_with('/') {
                if depth == 0 {
                    return Some(i);
                }
            } else {
                depth += 1;
            }
        }
    }
    None
}

/// The offset of the `>` that closes the start tag at the beginning of `tag`, skipping quoted
/// attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The last non-empty line of `text`, shortened.
fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| shorten(l, 200))
        .unwrap_or_default()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests;
