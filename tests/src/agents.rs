//! Real SNMP agents on 127.0.0.1 for the end-to-end tests: Debian's snmpsim serving recordings,
//! and net-snmp's `snmpd` as the reference agent. Each is a guard: `start` picks a free port,
//! starts the agent, waits until it answers a real SNMP request, and `Drop` kills and reaps it
//! and removes its scratch directory. Nothing here sends a packet anywhere but 127.0.0.1.
//!
//! The readiness probe is net-snmp's own `snmpget`, not our SNMP client: a guard must not share
//! the bugs of the code the tests exercise (a client that cannot talk to an agent would make the
//! agent look dead), net-snmp's tools are in the test bed anyway as the cross-check, and the
//! support code needs no async runtime. A probe costs one short process per poll.
//!
//! What Debian's snmpsim 0.4.5 does, found by probing it (see `tests/it/testbed.rs`):
//! - The executable is `/usr/bin/snmpsimd` (Debian drops the `.py`). It refuses to run as root
//!   unless told to drop privileges, so as root it runs as `nobody:nogroup`
//!   (`--process-user/--process-group`); its cache directory must then be writable and its data
//!   readable by nobody, which is why the guard copies the recordings into its own directory.
//!   It binds its port before dropping privileges and before indexing the data.
//! - Communities: a recording `foo.snmprec` in the data directory is served to v1 and v2c under
//!   the community `foo`; an unknown community gets no answer at all (a timeout).
//! - SNMPv3 works: without `--v3-user` options the one user is `simulator`, authPriv MD5
//!   `auctoritas` / DES `privatus`; the recording is chosen by the context name, which is the
//!   community (`-n foo`) or the MD5 hex digest of it; without a context there is no answer.
//!   `--v3-user/--v3-auth-proto/--v3-priv-proto` (MD5, SHA, SHA224..SHA512; DES, AES, AES192,
//!   AES256) replace that user with others.
//! - At most 64 variable bindings in an answer (`--max-varbinds`, default 64), for GETBULK
//!   only: the repetitions are cut to whole rows (`max-repetitions ≤ 64 / columns`) without
//!   tooBig; a GET of 70 OIDs is answered in full.
//! - Writable OIDs use the `writecache` variation module, which Debian installs in
//!   `/usr/share/snmpsim/variation` (on its default search path; the guard names it anyway):
//!   `OID|TAG:writecache|value=V` (or `hexvalue=HEX` for OCTET STRING). A SET of the recorded
//!   type is kept in memory and answered by every later GET/GETNEXT. The cache is keyed by the
//!   OID alone, so one SET is seen under every community of the same snmpsim.
//! - A SET on a read-only or missing OID, or of the wrong type on a writable one, is answered
//!   with noSuchInstance in the binding and error-status noError on v2c/v3 (on v1 it becomes
//!   noSuchName). Setting ifAdminStatus does not move ifOperStatus.
//! - Records must be sorted by OID numerically: snmpsim bisects the file, so a string-sorted
//!   recording (`.10` before `.2`) gives wrong GETNEXT answers. `crate::snmprec` sorts.
//! - Values are read from the line with surrounding whitespace stripped: a string that ends in a
//!   space must be written in hex (`4x`).
//! - Start-up to the first answer takes about 0.35 s for a small recording on this machine kind
//!   (Python, then indexing the recordings); the guard's drop about 7 ms.

use std::fmt::Write as _;
use std::fs::File;
use std::net::UdpSocket;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use dci_protocol::{AuthLevel, AuthProtocol, PrivProtocol, Secret, Usm, UsmSecurity};

/// The command that installs every agent and tool used here.
pub const INSTALL: &str = "cargo xtask testbed install";

/// The longest an agent may take to answer after it was started.
pub const READY_WITHIN: Duration = Duration::from_secs(20);

/// Tries at starting an agent when the free port was taken before the agent could bind it.
const PORT_TRIES: usize = 5;

const SNMPSIMD: &str = "/usr/bin/snmpsimd";
const SNMPD: &str = "/usr/sbin/snmpd";
/// iproute2, to run an agent and its tools inside a network namespace (`ip netns exec`).
pub const IP: &str = "/usr/sbin/ip";
/// Debian's directory of snmpsim's variation modules (`writecache` among them).
const VARIATION_MODULES: &str = "/usr/share/snmpsim/variation";

/// The test bed's own snmpsim variation module, `follow` (tests/fixtures/snmpsim-variation):
/// an outlet state that follows a command object after a delay, or never. Every snmpsim
/// started here can serve records tagged `2:follow`.
const FOLLOW_MODULE: &str = include_str!("../fixtures/snmpsim-variation/follow.py");

/// The test bed's snmpsim variation module `switch` (tests/fixtures/snmpsim-variation): VLAN
/// objects that follow one another, rows that appear when created, changes that never show.
const SWITCH_MODULE: &str = include_str!("../fixtures/snmpsim-variation/switch.py");

/// sysDescr.0, a MIB-2 scalar every agent here answers.
pub const SYS_DESCR_0: &str = "1.3.6.1.2.1.1.1.0";

/// A directory of its own for one agent, removed on drop.
#[derive(Debug)]
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Scratch {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("dcih-e2e-{what}-{}-{n}", std::process::id()));
        if path.exists() {
            // Left over by an earlier process that had the same pid.
            let _ = std::fs::remove_dir_all(&path);
        }
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        // snmpsim runs as nobody and must reach its files below this directory.
        set_mode(&path, 0o755);
        Scratch(path)
    }

    fn dir(&self, name: &str, mode: u32) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        set_mode(&path, mode);
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// A running agent: the process, its port and its log.
#[derive(Debug)]
struct Agent {
    child: Child,
    port: u16,
    log: PathBuf,
    /// The network namespace it runs in (`None`: the host's).
    netns: Option<String>,
}

impl Agent {
    fn stop(&mut self) {
        // SIGKILL: the agents keep nothing worth a clean shutdown (their state lives in the
        // scratch directory, which goes too), and a kill cannot be ignored.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `exe`, or `ip netns exec NETNS exe` when a namespace is given. `ip netns exec` replaces itself
/// with `exe` (no fork), so the child's pid is the program's and killing it kills the program.
fn in_netns(exe: &str, netns: Option<&str>) -> Command {
    match netns {
        None => Command::new(exe),
        Some(ns) => {
            let mut cmd = Command::new(IP);
            cmd.args(["netns", "exec", ns, exe]);
            cmd
        }
    }
}

/// Fails the test with the install command if a test bed executable is missing.
#[track_caller]
fn require(exe: &str) {
    assert!(
        Path::new(exe).is_file(),
        "{exe} is not installed: run `{INSTALL}` (it installs snmpsim, snmpd and snmp from Debian)"
    );
}

/// A free UDP port on 127.0.0.1. The socket is closed again at once, so another process could
/// take the port before the agent binds it; `start_agent` retries then.
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("bind a UDP socket on 127.0.0.1:0")
        .port()
}

/// A net-snmp command line tool (`snmpget`, `snmpset`, `snmpbulkwalk`, …) by absolute path,
/// reading no configuration and loading no MIB (`MIBS` empty: Debian ships only a few, and the
/// tools complain about each missing import), with its persistent state kept in `state`.
/// Inside network namespace `netns` when one is given (`ip netns exec NETNS /usr/bin/TOOL`,
/// which keeps the environment).
#[track_caller]
fn net_snmp_tool(tool: &str, state: &Path, netns: Option<&str>) -> Command {
    let exe = format!("/usr/bin/{tool}");
    require(&exe);
    let mut cmd = in_netns(&exe, netns);
    cmd.env("SNMPCONFPATH", state)
        .env("SNMP_PERSISTENT_DIR", state)
        .env("MIBS", "")
        .stdin(Stdio::null());
    cmd
}

/// Starts an agent on a free port with `command(port)` and waits until it answers a v2c GET
/// with `community`, retrying with another port if the agent could not bind the one it got.
#[track_caller]
fn start_agent(
    name: &str,
    log: &Path,
    tools: &Path,
    community: &str,
    netns: Option<&str>,
    command: &dyn Fn(u16) -> Command,
) -> Agent {
    let started = Instant::now();
    for _ in 0..PORT_TRIES {
        let port = free_port();
        let out = File::create(log).unwrap_or_else(|e| panic!("creating {}: {e}", log.display()));
        let err = out.try_clone().expect("clone a file handle");
        let child = command(port)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        let mut agent = Agent {
            child,
            port,
            log: log.to_owned(),
            netns: netns.map(str::to_owned),
        };
        match wait_ready(&mut agent, tools, community, started) {
            Ready::Yes => return agent,
            Ready::PortTaken => continue,
            Ready::Exited(status) => panic!(
                "{name} exited at start ({status}); its log {}:\n{}",
                log.display(),
                read_log(log)
            ),
            Ready::TimedOut => {
                agent.stop();
                panic!(
                    "{name} on 127.0.0.1:{port} did not answer within {READY_WITHIN:?}; its log {}:\n{}",
                    log.display(),
                    read_log(log)
                )
            }
        }
    }
    panic!(
        "{name} could not bind a free port in {PORT_TRIES} tries; its last log:\n{}",
        read_log(log)
    )
}

enum Ready {
    Yes,
    PortTaken,
    Exited(std::process::ExitStatus),
    TimedOut,
}

/// Polls with `snmpget` (a short timeout, no retries) until an answer, the agent's exit, or
/// [`READY_WITHIN`] since `started`.
fn wait_ready(agent: &mut Agent, tools: &Path, community: &str, started: Instant) -> Ready {
    let target = format!("127.0.0.1:{}", agent.port);
    loop {
        if let Some(status) = agent.child.try_wait().expect("poll the agent") {
            let log = read_log(&agent.log);
            // snmpsim and snmpd say so in these words when the port is taken.
            return if log.contains("Address already in use")
                || log.contains("Error opening specified endpoint")
            {
                Ready::PortTaken
            } else {
                Ready::Exited(status)
            };
        }
        if started.elapsed() > READY_WITHIN {
            return Ready::TimedOut;
        }
        let out = net_snmp_tool("snmpget", tools, agent.netns.as_deref())
            .args(["-v2c", "-c", community, "-r", "0", "-t", "0.1", "-On"])
            .arg(&target)
            .arg(SYS_DESCR_0)
            .output()
            .expect("run snmpget");
        // Any answer is printed on stdout, even "No Such Object"; a timeout only on stderr.
        if !out.stdout.is_empty() {
            return Ready::Yes;
        }
    }
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("(no log: {e})"))
}

/// Copies the recordings of `from` (and its subfolders: `a/b.snmprec` is community `a/b`) into
/// `to`, readable by anyone, and adds their communities to `out`.
fn copy_recordings(from: &Path, to: &Path, prefix: &str, out: &mut Vec<String>) {
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("read a directory entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            let sub = to.join(&name);
            std::fs::create_dir_all(&sub).expect("create a data subfolder");
            set_mode(&sub, 0o755);
            copy_recordings(&path, &sub, &format!("{prefix}{name}/"), out);
        } else if let Some(community) = name.strip_suffix(".snmprec") {
            let target = to.join(&name);
            std::fs::copy(&path, &target)
                .unwrap_or_else(|e| panic!("copying {}: {e}", path.display()));
            set_mode(&target, 0o644);
            out.push(format!("{prefix}{community}"));
        }
    }
}

/// The effective user is root (`/proc/self` belongs to the effective uid).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

/// snmpsim serving a folder of `.snmprec` recordings on 127.0.0.1 (see the module docs for what
/// it does and does not do).
#[derive(Debug)]
pub struct Snmpsim {
    agent: Agent,
    communities: Vec<String>,
    tools: PathBuf,
    // Last: dropped after the agent is dead.
    scratch: Scratch,
}

impl Snmpsim {
    /// The most variable bindings snmpsim puts in one GETBULK answer (its `--max-varbinds`
    /// default, which the guard keeps): max-repetitions is cut to `MAX_VARBINDS / columns`.
    pub const MAX_VARBINDS: usize = 64;

    /// Starts snmpsim serving the recordings in `data_dir` (copied, so the caller may change or
    /// remove the folder afterwards) and waits until it answers. Panics with the install command
    /// if snmpsim or net-snmp's tools are missing, and with snmpsim's log if it does not start.
    #[track_caller]
    pub fn start(data_dir: &Path) -> Snmpsim {
        require(SNMPSIMD);
        let scratch = Scratch::new("snmpsim");
        let data = scratch.dir("data", 0o755);
        // snmpsim keeps its indexes here, as nobody.
        let cache = scratch.dir("cache", 0o777);
        // snmpsim also scans $HOME/.snmpsim for data and modules: point HOME at an empty place.
        let home = scratch.dir("home", 0o755);
        let tools = scratch.dir("tools", 0o700);
        // Our own variation module (`follow`: a state that follows a command after a delay).
        let ours = scratch.dir("variation", 0o755);
        let module = ours.join("follow.py");
        std::fs::write(&module, FOLLOW_MODULE).expect("write the follow variation module");
        set_mode(&module, 0o644);
        let module = ours.join("switch.py");
        std::fs::write(&module, SWITCH_MODULE).expect("write the switch variation module");
        set_mode(&module, 0o644);
        let mut communities = Vec::new();
        copy_recordings(data_dir, &data, "", &mut communities);
        communities.sort();
        let Some(first) = communities.first() else {
            panic!("{} holds no .snmprec recording", data_dir.display())
        };
        let root = is_root();
        let command = |port: u16| {
            let mut cmd = Command::new(SNMPSIMD);
            cmd.arg(format!("--data-dir={}", data.display()))
                .arg(format!("--cache-dir={}", cache.display()))
                .arg(format!("--variation-modules-dir={VARIATION_MODULES}"))
                .arg(format!("--variation-modules-dir={}", ours.display()))
                .arg(format!("--agent-udpv4-endpoint=127.0.0.1:{port}"))
                .env("HOME", &home);
            if root {
                cmd.args(["--process-user=nobody", "--process-group=nogroup"]);
            }
            cmd
        };
        let log = scratch.0.join("snmpsim.log");
        let agent = start_agent("snmpsim", &log, &tools, first, None, &command);
        Snmpsim {
            agent,
            communities,
            tools,
            scratch,
        }
    }

    /// The UDP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.agent.port
    }

    /// `127.0.0.1:PORT`, as a handler's `ip` field takes it.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.agent.port)
    }

    /// The communities served: the recordings' names.
    pub fn communities(&self) -> &[String] {
        &self.communities
    }

    /// The process id (to check that it is gone after drop).
    pub fn pid(&self) -> u32 {
        self.agent.child.id()
    }

    /// What snmpsim logged so far.
    pub fn log(&self) -> String {
        read_log(&self.agent.log)
    }

    /// A net-snmp tool (`snmpget`, `snmpset`, `snmpbulkwalk`, …) by absolute path, with no
    /// configuration, no MIBs and its state in this agent's scratch directory. The caller adds
    /// the arguments, the target [`Snmpsim::endpoint`] among them.
    #[track_caller]
    pub fn net_snmp(&self, tool: &str) -> Command {
        net_snmp_tool(tool, &self.tools, None)
    }

    /// The scratch directory (removed on drop).
    pub fn dir(&self) -> &Path {
        &self.scratch.0
    }
}

impl Drop for Snmpsim {
    fn drop(&mut self) {
        self.agent.stop();
    }
}

/// One SNMPv3 user of [`Snmpd`]: the level, and the protocols and pass phrases it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3User {
    /// The user name: `noauth`, the auth protocol (`sha256`) or auth and privacy (`sha256-aes`),
    /// in dci-protocol's wire spellings.
    pub user: String,
    /// The security level.
    pub level: AuthLevel,
    /// The authentication protocol and pass phrase (authNoPriv and authPriv).
    pub auth: Option<(AuthProtocol, String)>,
    /// The privacy protocol and pass phrase (authPriv).
    pub privacy: Option<(PrivProtocol, String)>,
}

impl V3User {
    /// The credentials as dci-protocol carries them.
    pub fn usm(&self) -> Usm {
        let security = match (&self.auth, &self.privacy) {
            (None, _) => UsmSecurity::NoAuth,
            (Some((auth_protocol, auth)), None) => UsmSecurity::AuthNoPriv {
                auth_protocol: *auth_protocol,
                auth: Secret::new(auth),
            },
            (Some((auth_protocol, auth)), Some((priv_protocol, privacy))) => {
                UsmSecurity::AuthPriv {
                    auth_protocol: *auth_protocol,
                    auth: Secret::new(auth),
                    priv_protocol: *priv_protocol,
                    privacy: Secret::new(privacy),
                }
            }
        };
        Usm {
            user: self.user.clone(),
            security,
        }
    }

    /// The arguments net-snmp's tools take for this user: `-v3 -l LEVEL -u USER [-a P -A PHRASE
    /// [-x P -X PHRASE]]`.
    pub fn net_snmp_args(&self) -> Vec<String> {
        let level = match self.level {
            AuthLevel::NoAuth => "noAuthNoPriv",
            AuthLevel::AuthNoPriv => "authNoPriv",
            AuthLevel::AuthPriv => "authPriv",
        };
        let mut args = vec!["-v3".into(), "-l".into(), level.into(), "-u".into()];
        args.push(self.user.clone());
        if let Some((proto, phrase)) = &self.auth {
            args.extend(["-a".into(), net_snmp_auth(*proto).into(), "-A".into()]);
            args.push(phrase.clone());
        }
        if let Some((proto, phrase)) = &self.privacy {
            args.extend(["-x".into(), net_snmp_priv(*proto).into(), "-X".into()]);
            args.push(phrase.clone());
        }
        args
    }
}

/// net-snmp's spelling of an authentication protocol (tools' `-a`, `createUser`).
pub fn net_snmp_auth(p: AuthProtocol) -> &'static str {
    match p {
        AuthProtocol::Md5 => "MD5",
        AuthProtocol::Sha1 => "SHA",
        AuthProtocol::Sha224 => "SHA-224",
        AuthProtocol::Sha256 => "SHA-256",
        AuthProtocol::Sha384 => "SHA-384",
        AuthProtocol::Sha512 => "SHA-512",
    }
}

/// net-snmp's spelling of a privacy protocol (tools' `-x`, `createUser`). AES-192 and AES-256
/// are the Blumenthal key extension, net-snmp's default for them (Debian builds them in).
pub fn net_snmp_priv(p: PrivProtocol) -> &'static str {
    match p {
        PrivProtocol::Des => "DES",
        PrivProtocol::Aes128 => "AES",
        PrivProtocol::Aes192 => "AES-192",
        PrivProtocol::Aes256 => "AES-256",
    }
}

/// net-snmp's `snmpd` from Debian with a configuration of its own: v1/v2c communities
/// [`Snmpd::RO_COMMUNITY`] and [`Snmpd::RW_COMMUNITY`], and an SNMPv3 user for every
/// combination of security level, authentication and privacy protocol ([`Snmpd::v3_users`]).
///
/// It reads nothing from /etc/snmp and writes nothing to /var/lib/snmp: `SNMPCONFPATH` names
/// only its scratch directory and the persistent directory below it (where the `createUser`
/// lines go, as net-snmp wants them; snmpd replaces them with localized keys), and
/// `SNMP_PERSISTENT_DIR` that persistent directory. It runs in the foreground (`-f`), logs to
/// a file (`-Lf`), listens only on `udp:127.0.0.1:PORT` (given on the command line, so the
/// configuration files do not depend on the port) and without the SMUX module (`-I -smux`),
/// which would otherwise listen on TCP 0.0.0.0:199. Start-up to the first answer takes about
/// 0.25 s.
#[derive(Debug)]
pub struct Snmpd {
    agent: Agent,
    tools: PathBuf,
    scratch: Scratch,
}

impl Snmpd {
    /// The read-only community (v1 and v2c).
    pub const RO_COMMUNITY: &'static str = "public";
    /// The read-write community (v1 and v2c).
    pub const RW_COMMUNITY: &'static str = "private";
    /// sysDescr.0 as configured (read-only then; sysContact, sysName and sysLocation stay
    /// writable through [`Snmpd::RW_COMMUNITY`] and the authPriv users).
    pub const SYS_DESCR: &'static str = "dcihandlers test bed: net-snmp snmpd";

    /// Every SNMPv3 user: noAuthNoPriv, authNoPriv with each authentication protocol, authPriv
    /// with each authentication protocol and each privacy protocol. The pass phrases are
    /// distinct per user, so a mixed-up phrase cannot pass by accident. noAuthNoPriv and
    /// authNoPriv users may read; authPriv users may also write.
    pub fn v3_users() -> Vec<V3User> {
        let mut users = vec![V3User {
            user: "noauth".into(),
            level: AuthLevel::NoAuth,
            auth: None,
            privacy: None,
        }];
        for &a in AuthProtocol::ALL {
            users.push(V3User {
                user: a.as_str().into(),
                level: AuthLevel::AuthNoPriv,
                auth: Some((a, format!("{a}-auth-phrase"))),
                privacy: None,
            });
        }
        for &a in AuthProtocol::ALL {
            for &p in PrivProtocol::ALL {
                let user = format!("{a}-{p}");
                users.push(V3User {
                    auth: Some((a, format!("{user}-auth-phrase"))),
                    privacy: Some((p, format!("{user}-priv-phrase"))),
                    user,
                    level: AuthLevel::AuthPriv,
                });
            }
        }
        users
    }

    /// The last authPriv user of [`Snmpd::v3_users`]: allowed to write, with the last
    /// authentication and privacy protocols listed.
    pub fn v3_writer() -> V3User {
        Snmpd::v3_users()
            .into_iter()
            .rev()
            .find(|u| u.privacy.is_some())
            .expect("an authPriv user")
    }

    /// The agent's `snmpd.conf`: communities, access of the users, sysDescr. The same text is
    /// in `tests/fixtures/snmpd/snmpd.conf` for `cargo xtask testbed start` (a test keeps it
    /// fresh).
    pub fn config() -> String {
        let mut s = String::from(
            "# snmpd.conf of the dcihandlers test bed, written by e2e::agents::Snmpd::config.\n\
             # The address is given on the command line (udp:127.0.0.1:PORT).\n",
        );
        let _ = writeln!(s, "sysDescr {}", Self::SYS_DESCR);
        let _ = writeln!(s, "rocommunity {} 127.0.0.1", Self::RO_COMMUNITY);
        let _ = writeln!(s, "rwcommunity {} 127.0.0.1", Self::RW_COMMUNITY);
        let _ = writeln!(s, "dontLogTCPWrappersConnects yes");
        for u in Self::v3_users() {
            let (directive, level) = match u.level {
                AuthLevel::NoAuth => ("rouser", "noauth"),
                AuthLevel::AuthNoPriv => ("rouser", "auth"),
                AuthLevel::AuthPriv => ("rwuser", "priv"),
            };
            let _ = writeln!(s, "{directive} {} {level}", u.user);
        }
        s
    }

    /// The `createUser` lines for snmpd's persistent directory. Also in
    /// `tests/fixtures/snmpd/users.conf`.
    pub fn users_config() -> String {
        let mut s = String::from(
            "# SNMPv3 users of the dcihandlers test bed, written by e2e::agents::Snmpd::users_config.\n\
             # snmpd reads this from its persistent directory and replaces it with localized keys.\n",
        );
        for u in Self::v3_users() {
            let _ = write!(s, "createUser {}", u.user);
            if let Some((proto, phrase)) = &u.auth {
                let _ = write!(s, " {} {phrase}", net_snmp_auth(*proto));
            }
            if let Some((proto, phrase)) = &u.privacy {
                let _ = write!(s, " {} {phrase}", net_snmp_priv(*proto));
            }
            s.push('\n');
        }
        s
    }

    /// Starts snmpd with [`Snmpd::config`] and [`Snmpd::users_config`] and waits until it
    /// answers. Panics with the install command if snmpd or net-snmp's tools are missing, and
    /// with snmpd's log if it does not start.
    #[track_caller]
    pub fn start() -> Snmpd {
        Snmpd::start_in(None, "", "")
    }

    /// [`Snmpd::start`] that also forwards each `(community, subtree)` of `forward` to the
    /// agent at `upstream` on SNMPv2c with that community (net-snmp's `proxy` directive): GETs,
    /// GETNEXTs, GETBULKs and SETs under the subtree reach the upstream agent, everything else
    /// stays snmpd's own. This puts net-snmp's SNMPv3 (every user of [`Snmpd::v3_users`]) in
    /// front of an snmpsim recording, whose own v3 would need a context name that DCImanager
    /// never sends.
    #[track_caller]
    pub fn start_proxy(upstream: &str, forward: &[(&str, &str)]) -> Snmpd {
        let mut extra = String::new();
        for (community, subtree) in forward {
            assert!(
                !community.contains(char::is_whitespace) && !subtree.contains(char::is_whitespace),
                "proxy community and subtree are single words"
            );
            let _ = writeln!(extra, "proxy -v 2c -c {community} {upstream} {subtree}");
        }
        Snmpd::start_in(None, &extra, "")
    }

    /// The MIB-2 and Cisco subtrees a switch handler reads, which [`Snmpd::start_switch_proxy`]
    /// forwards: system, interfaces, EtherLike-MIB, BRIDGE-MIB (with Q-BRIDGE), IF-MIB's
    /// ifXTable, and Cisco's enterprise tree.
    pub const SWITCH_SUBTREES: &'static [&'static str] = &[
        ".1.3.6.1.2.1.1",
        ".1.3.6.1.2.1.2",
        ".1.3.6.1.2.1.10.7",
        ".1.3.6.1.2.1.17",
        ".1.3.6.1.2.1.31",
        ".1.3.6.1.4.1.9",
    ];

    /// [`Snmpd::start_proxy`] of a whole switch recording served under `community`: every
    /// subtree of [`Snmpd::SWITCH_SUBTREES`] goes to `upstream`, and snmpd's own modules that
    /// would answer for them instead (the host's system group and interfaces) are not loaded.
    #[track_caller]
    pub fn start_switch_proxy(upstream: &str, community: &str) -> Snmpd {
        Snmpd::start_switch_proxy_with_vlans(upstream, community, &[])
    }

    /// [`Snmpd::start_switch_proxy`] that also answers the SNMPv3 context `vlan-V` of each VLAN
    /// V of `vlans` with the recording served under `COMMUNITY@V` (BRIDGE-MIB's subtree), as a
    /// Catalyst answers for each VLAN's bridge; every v3 user may read those contexts (net-snmp
    /// needs the exact context in a `rouser … -V VIEW CONTEXT` line: its prefix form did not
    /// match).
    #[track_caller]
    pub fn start_switch_proxy_with_vlans(upstream: &str, community: &str, vlans: &[u16]) -> Snmpd {
        let mut extra = String::new();
        for subtree in Self::SWITCH_SUBTREES {
            let _ = writeln!(extra, "proxy -v 2c -c {community} {upstream} {subtree}");
        }
        if !vlans.is_empty() {
            let _ = writeln!(extra, "view all included .1");
        }
        for v in vlans {
            let _ = writeln!(
                extra,
                "proxy -Cn vlan-{v} -v 2c -c {community}@{v} {upstream} .1.3.6.1.2.1.17"
            );
            for u in Self::v3_users() {
                let level = match u.level {
                    AuthLevel::NoAuth => "noauth",
                    AuthLevel::AuthNoPriv => "auth",
                    AuthLevel::AuthPriv => "priv",
                };
                let _ = writeln!(extra, "rouser {} {level} -V all vlan-{v}", u.user);
            }
        }
        Snmpd::start_in(
            None,
            &extra,
            ",interfaces,ifTable,ifXTable,system_mib,sysORTable,dot3StatsTable",
        )
    }

    /// [`Snmpd::start`] inside the network namespace `netns` (which must exist, with `lo` up):
    /// snmpd runs as `ip netns exec NETNS /usr/sbin/snmpd …`, so it sees and may change only
    /// that namespace's interfaces, and its 127.0.0.1 is the namespace's own. Its tools
    /// ([`Snmpd::net_snmp`]) run there too; so must every client of it.
    #[track_caller]
    pub fn start_in_netns(netns: &str) -> Snmpd {
        require(IP);
        Snmpd::start_in(Some(netns), "", "")
    }

    #[track_caller]
    fn start_in(netns: Option<&str>, extra: &str, exclude: &str) -> Snmpd {
        require(SNMPD);
        let scratch = Scratch::new("snmpd");
        let conf = scratch.dir("conf", 0o700);
        let persist = scratch.dir("persist", 0o700);
        let tools = scratch.dir("tools", 0o700);
        std::fs::write(conf.join("snmpd.conf"), Self::config() + extra).expect("write snmpd.conf");
        // Rewritten by snmpd at every start and stop: a fresh copy each time.
        std::fs::write(persist.join("snmpd.conf"), Self::users_config()).expect("write the users");
        let log = scratch.0.join("snmpd.log");
        let conf_path = format!("{}:{}", conf.display(), persist.display());
        let command = |port: u16| {
            let mut cmd = in_netns(SNMPD, netns);
            cmd.args(["-f", "-I", &format!("-smux{exclude}"), "-Lf"])
                .arg(&log)
                .arg(format!("udp:127.0.0.1:{port}"))
                .env("SNMPCONFPATH", &conf_path)
                .env("SNMP_PERSISTENT_DIR", &persist)
                .env("MIBS", "");
            cmd
        };
        let agent = start_agent("snmpd", &log, &tools, Self::RO_COMMUNITY, netns, &command);
        Snmpd {
            agent,
            tools,
            scratch,
        }
    }

    /// The UDP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.agent.port
    }

    /// `127.0.0.1:PORT`, as a handler's `ip` field takes it.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.agent.port)
    }

    /// The process id (to check that it is gone after drop).
    pub fn pid(&self) -> u32 {
        self.agent.child.id()
    }

    /// What snmpd logged so far.
    pub fn log(&self) -> String {
        read_log(&self.agent.log)
    }

    /// A net-snmp tool by absolute path, as [`Snmpsim::net_snmp`] (in snmpd's network
    /// namespace, if it has one).
    #[track_caller]
    pub fn net_snmp(&self, tool: &str) -> Command {
        net_snmp_tool(tool, &self.tools, self.agent.netns.as_deref())
    }

    /// The scratch directory (removed on drop).
    pub fn dir(&self) -> &Path {
        &self.scratch.0
    }
}

impl Drop for Snmpd {
    fn drop(&mut self) {
        self.agent.stop();
    }
}
