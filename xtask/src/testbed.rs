//! `cargo xtask testbed install|start|stop|status`: the SNMP agents and the simulated IPMI BMC
//! the end-to-end tests and the benchmarks talk to, on 127.0.0.1 only.
//!
//! `install` puts Debian's packages in place (the tests start their own agents through the `e2e`
//! crate's guards, so this is all they need from here). `start`/`stop`/`status` run a long-lived
//! pair of agents for manual work and benchmarks: snmpsim serving a folder of recordings and
//! net-snmp's snmpd with the same configuration the tests use (`tests/fixtures/snmpd/snmpd.conf`,
//! written by the `e2e` crate from its table of users and checked fresh by its tests).

use std::fs::File;
use std::net::UdpSocket;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::workspace;

/// The Debian packages the tests and benchmarks need: the simulator, net-snmp's agent (the
/// reference agent) and its tools (the cross-check), the pysnmp the seed's Python handlers
/// import (for `cargo xtask bench`), and OpenIPMI's BMC simulator with ipmitool (the IPMI
/// handlers' simulated BMC and their cross-check), and the DCImanager 6 adapter's type checker.
const PACKAGES: &[&str] = &[
    "snmpsim",
    "snmpd",
    "snmp",
    "python3-pysnmp4",
    "openipmi",
    "ipmitool",
    // The Redfish emulator's virtual environment, its certificate, and curl, the cross-check.
    "python3-venv",
    "openssl",
    "curl",
    // The DCImanager 6 adapter's type check (`mypy --python-version 3.9`); its tests run under
    // Debian's python3, which the packages above bring.
    "mypy",
];

/// From PyPI, pinned, into one virtual environment: the Redfish emulator (OpenStack
/// sushy-tools; redfish-power's tests are written against this version's fake driver), the
/// HTTP/1.1 server it is run under (cheroot: keep-alive, as BMCs), and DMTF's Redfish client
/// (python-redfish-library), which proves the test bed's session service.
pub const PYPI: &[&str] = &["sushy-tools==2.2.0", "cheroot==11.1.2", "redfish==3.4.2"];

/// Where the emulator's virtual environment lives (the `e2e` crate finds it there).
pub fn sushy_venv() -> PathBuf {
    workspace::root().join("target/testbed/sushy")
}

/// Package lists older than this are refreshed before an install.
const LISTS_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long `start` waits for an agent to answer.
const READY_WITHIN: Duration = Duration::from_secs(20);

const USAGE: &str = "usage: cargo xtask testbed install | start [--data DIR] | stop | status";

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["data"], &[])?;
    let sh = Shell::new()?;
    sh.change_dir(workspace::root());
    match flags.positional.first().map(String::as_str) {
        Some("install") => install(&sh),
        Some("start") => start(&sh, flags.value("data")),
        Some("stop") => stop(),
        Some("status") => status(),
        _ => bail!("{USAGE}"),
    }
}

/// Installs whatever of [`PACKAGES`] is missing, and makes sure Debian's own snmpd service is not
/// left running on udp/161.
pub fn install(sh: &Shell) -> Result<()> {
    let missing = missing_packages(sh);
    if !missing.is_empty() {
        if !is_root()? {
            bail!(
                "the test bed needs Debian packages that are not installed; as root run:\n  \
                 apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
                 --no-install-recommends {}",
                missing.join(" ")
            );
        }
        if lists_need_update(sh, &missing) {
            cmd!(sh, "apt-get update").run()?;
        }
        let packages = missing.clone();
        cmd!(
            sh,
            "apt-get install -y --no-install-recommends {packages...}"
        )
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()?;
        for p in &missing {
            if !installed(sh, p) {
                bail!("apt-get install did not install {p}");
            }
        }
    }
    quiet_system_snmpd(sh, missing.contains(&"snmpd"))?;
    install_sushy(sh)?;
    report(&format!(
        "test bed installed: {}, {}",
        PACKAGES.join(", "),
        PYPI.join(", ")
    ));
    Ok(())
}

/// The Redfish emulator and client in their own virtual environment (Debian's python3), unless
/// the pinned versions are there already.
fn install_sushy(sh: &Shell) -> Result<()> {
    let venv = sushy_venv();
    let python = venv.join("bin/python3");
    let have = |pin: &str| -> bool {
        let (name, version) = pin.split_once("==").unwrap_or((pin, ""));
        let script = format!("import importlib.metadata as m; print(m.version('{name}'))");
        cmd!(sh, "{python} -c {script}")
            .quiet()
            .ignore_stderr()
            .read()
            .is_ok_and(|v| v.trim() == version)
    };
    if PYPI.iter().all(|p| have(p)) {
        return Ok(());
    }
    if !python.is_file() {
        cmd!(sh, "/usr/bin/python3 -m venv {venv}").run()?;
    }
    let pip = venv.join("bin/pip");
    cmd!(
        sh,
        "{pip} install --quiet --disable-pip-version-check {PYPI...}"
    )
    .run()?;
    Ok(())
}

/// `dpkg-query` says the package is installed (not only known or half-configured).
fn installed(sh: &Shell, package: &str) -> bool {
    // dpkg-query's own format syntax, passed as one argument.
    let format = "-f=${Status}";
    cmd!(sh, "dpkg-query -W {format} {package}")
        .quiet()
        .ignore_stderr()
        .read()
        .is_ok_and(|s| s.trim() == "install ok installed")
}

/// The effective user is root (the second `Uid:` field of `/proc/self/status`).
fn is_root() -> Result<bool> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .context("no effective uid in /proc/self/status")?;
    Ok(uid == "0")
}

/// The package lists are missing, older than [`LISTS_MAX_AGE`], or know no candidate for one of
/// the packages.
fn lists_need_update(sh: &Shell, packages: &[&str]) -> bool {
    let newest = std::fs::read_dir("/var/lib/apt/lists")
        .into_iter()
        .flatten()
        .flatten()
        // `…_Packages`, often compressed (`…_Packages.lz4`).
        .filter(|e| e.file_name().to_string_lossy().contains("_Packages"))
        .filter_map(|e| e.metadata().and_then(|m| m.modified()).ok())
        .max();
    let fresh = newest.is_some_and(|t| {
        SystemTime::now()
            .duration_since(t)
            .is_ok_and(|age| age < LISTS_MAX_AGE)
    });
    if !fresh {
        return true;
    }
    packages.iter().any(|p| {
        cmd!(sh, "apt-cache policy {p}")
            .quiet()
            .ignore_stderr()
            .read()
            .map_or(true, |out| {
                !out.lines()
                    .any(|l| l.trim().starts_with("Candidate:") && !l.contains("(none)"))
            })
    })
}

/// Debian's snmpd package enables and starts a system agent on udp/161 (systemd unit, or the
/// SysV script where there is no systemd). The tests need none of it (they start their own on
/// free ports), and a system agent reading /etc/snmp is not what anyone here asked for: stop it
/// and keep it from starting at boot.
///
/// Containers usually have no systemd and a `policy-rc.d` that forbids starting services (as
/// here: the package's start is denied), so there is normally nothing running; the SysV links
/// are still disabled, and a running daemon (its pid in `/run/snmpd.pid`) stopped.
fn quiet_system_snmpd(sh: &Shell, just_installed: bool) -> Result<()> {
    if Path::new("/run/systemd/system").is_dir() {
        if just_installed
            || cmd!(sh, "systemctl is-active --quiet snmpd.service")
                .quiet()
                .run()
                .is_ok()
        {
            cmd!(sh, "systemctl disable --now snmpd.service").run()?;
        }
        return Ok(());
    }
    let init_script = Path::new("/etc/init.d/snmpd");
    if !init_script.is_file() {
        return Ok(());
    }
    if just_installed {
        cmd!(sh, "update-rc.d snmpd disable").quiet().run()?;
    }
    // The init script records the daemon's pid here.
    let running = std::fs::read_to_string("/run/snmpd.pid")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .is_some_and(alive);
    if running {
        cmd!(sh, "{init_script} stop").run()?;
    }
    Ok(())
}

/// The long-lived agents `start` leaves behind, as recorded in `target/testbed/state`.
#[derive(Debug, Default)]
struct State {
    snmpsim: Option<Agent>,
    snmpd: Option<Agent>,
    ipmi_sim: Option<Agent>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Agent {
    pub(crate) pid: u32,
    pub(crate) port: u16,
}

fn dir() -> PathBuf {
    workspace::root().join("target/testbed")
}

fn state_file() -> PathBuf {
    dir().join("state")
}

impl State {
    /// `snmpsim PID PORT` and `snmpd PID PORT` lines; a missing file is an empty state.
    fn load() -> Result<State> {
        let mut state = State::default();
        let Ok(text) = std::fs::read_to_string(state_file()) else {
            return Ok(state);
        };
        for line in text.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [name, pid, port] = fields[..] else {
                bail!("{}: bad line {line:?}", state_file().display())
            };
            let agent = Agent {
                pid: pid.parse()?,
                port: port.parse()?,
            };
            match name {
                "snmpsim" => state.snmpsim = Some(agent),
                "snmpd" => state.snmpd = Some(agent),
                "ipmi_sim" => state.ipmi_sim = Some(agent),
                _ => bail!("{}: unknown agent {name:?}", state_file().display()),
            }
        }
        Ok(state)
    }

    fn save(&self) -> Result<()> {
        let mut text = String::new();
        for (name, agent) in self.agents() {
            text += &format!("{name} {} {}\n", agent.pid, agent.port);
        }
        std::fs::create_dir_all(dir())?;
        std::fs::write(state_file(), text)?;
        Ok(())
    }

    fn agents(&self) -> impl Iterator<Item = (&'static str, Agent)> {
        [
            ("snmpsim", self.snmpsim),
            ("snmpd", self.snmpd),
            ("ipmi_sim", self.ipmi_sim),
        ]
        .into_iter()
        .filter_map(|(n, a)| a.map(|a| (n, a)))
    }
}

/// The process exists (and is not a zombie we would wait for in vain).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        // Field 3, after the parenthesised command name, is the state.
        s.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|st| st != "Z")
    })
}

/// The process runs the program `name` (`snmpsim` runs as `python3 /usr/bin/snmpsimd`).
fn runs(pid: u32, name: &str) -> bool {
    let program = if name == "snmpsim" { "snmpsimd" } else { name };
    std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
        c.split(|b| *b == 0)
            .take(2)
            .any(|arg| arg.ends_with(format!("/{program}").as_bytes()))
    })
}

fn start(sh: &Shell, data: Option<&str>) -> Result<()> {
    let mut state = State::load()?;
    if state.agents().any(|(_, a)| alive(a.pid)) {
        bail!("the test bed is already running (cargo xtask testbed status | stop)");
    }
    require_installed(sh)?;
    let root = workspace::root();
    let data = match data {
        Some(d) => std::path::absolute(d)?,
        None => root.join("tests/fixtures/snmp"),
    };
    let run_dir = dir().join("run");
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)?;
    }
    make_dir(&run_dir, 0o755)?;
    make_dir(&run_dir.join("tools"), 0o700)?;
    state.snmpsim = Some(start_snmpsim(&run_dir, &data, READY_WITHIN)?);
    state.save()?;
    state.snmpd = Some(start_snmpd(&run_dir)?);
    state.save()?;
    state.ipmi_sim = Some(start_ipmi_sim(&run_dir)?);
    state.save()?;
    status()
}

/// The packages of [`PACKAGES`] that are not installed.
fn missing_packages(sh: &Shell) -> Vec<&'static str> {
    PACKAGES
        .iter()
        .copied()
        .filter(|p| !installed(sh, p))
        .collect()
}

/// Fails with the install command if a package of the test bed is missing.
fn require_installed(sh: &Shell) -> Result<()> {
    let missing = missing_packages(sh);
    if !missing.is_empty() {
        bail!(
            "{} not installed: run `cargo xtask testbed install`",
            missing.join(", ")
        );
    }
    Ok(())
}

fn make_dir(path: &Path, mode: u32) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

/// Copies the recordings of `from` into `to`, readable by anyone (snmpsim runs as nobody);
/// returns their communities (the file names without `.snmprec`), sorted.
fn copy_recordings(from: &Path, to: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(community) = name.strip_suffix(".snmprec") {
            let target = to.join(&name);
            // Another name for a recording (a Cisco VLAN's community): a link again.
            if entry.file_type()?.is_symlink() {
                std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &target)?;
                out.push(community.to_owned());
                continue;
            }
            std::fs::copy(entry.path(), &target)?;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644))?;
            out.push(community.to_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// A free UDP port on 127.0.0.1, released for the agent to take.
fn free_port() -> Result<u16> {
    Ok(UdpSocket::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Spawns a daemon in its own process group, so that a ^C in the terminal does not reach it,
/// with its output in `log`.
fn spawn(mut cmd: Command, log: &Path) -> Result<u32> {
    let out = File::create(log)?;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {:?}", cmd.get_program()))?;
    Ok(child.id())
}

/// A net-snmp tool reading no configuration and loading no MIB (Debian ships few, and the
/// tools complain about every missing import).
fn net_snmp(tool: &str) -> Command {
    let state = dir().join("run/tools");
    let mut cmd = Command::new(format!("/usr/bin/{tool}"));
    cmd.env("SNMPCONFPATH", &state)
        .env("SNMP_PERSISTENT_DIR", &state)
        .env("MIBS", "");
    cmd
}

enum Started {
    Ready,
    PortTaken,
}

/// Polls with net-snmp's `snmpget` until the agent answers, the process dies or time runs out.
fn wait_ready(
    name: &str,
    pid: u32,
    port: u16,
    community: &str,
    log: &Path,
    within: Duration,
) -> Result<Started> {
    let started = Instant::now();
    let target = format!("127.0.0.1:{port}");
    while started.elapsed() < within {
        if !alive(pid) {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            // snmpsim and snmpd say so in these words when the port is taken.
            if text.contains("Address already in use")
                || text.contains("Error opening specified endpoint")
            {
                return Ok(Started::PortTaken);
            }
            bail!(
                "{name} exited at start; its log ({}):\n{text}",
                log.display()
            );
        }
        let out = net_snmp("snmpget")
            .args(["-v2c", "-c", community, "-r", "0", "-t", "0.1", "-On"])
            .arg(&target)
            .arg("1.3.6.1.2.1.1.1.0")
            .output()
            .context("running /usr/bin/snmpget (cargo xtask testbed install)")?;
        // Any answer is printed on stdout, even "No Such Object"; a timeout only on stderr.
        if !out.stdout.is_empty() {
            return Ok(Started::Ready);
        }
    }
    bail!(
        "{name} on {target} did not answer within {within:?}; its log: {}",
        log.display()
    )
}

/// Starts an agent with `command(port)` on a free port, retrying when another process took
/// the port first.
fn start_agent(
    name: &str,
    community: &str,
    log: &Path,
    within: Duration,
    command: &dyn Fn(u16) -> Command,
) -> Result<Agent> {
    for _ in 0..5 {
        let port = free_port()?;
        let pid = spawn(command(port), log)?;
        match wait_ready(name, pid, port, community, log, within) {
            Ok(Started::Ready) => return Ok(Agent { pid, port }),
            Ok(Started::PortTaken) => continue,
            Err(e) => {
                kill_group(pid)?;
                return Err(e);
            }
        }
    }
    bail!(
        "{name} found no free port in five tries; see {}",
        log.display()
    )
}

/// snmpsim as the e2e guard runs it (see tests/src/agents.rs for why each option).
pub(crate) fn start_snmpsim(run_dir: &Path, data: &Path, within: Duration) -> Result<Agent> {
    let sim = run_dir.join("snmpsim");
    make_dir(&sim, 0o755)?;
    let copy = sim.join("data");
    make_dir(&copy, 0o755)?;
    let communities = copy_recordings(data, &copy)?;
    let Some(first) = communities.first() else {
        bail!("{} holds no .snmprec recording", data.display())
    };
    let cache = sim.join("cache");
    make_dir(&cache, 0o777)?;
    let home = sim.join("home");
    make_dir(&home, 0o755)?;
    let follow = sim.join("variation");
    make_dir(&follow, 0o755)?;
    for name in ["follow.py", "switch.py"] {
        let module = workspace::root()
            .join("tests/fixtures/snmpsim-variation")
            .join(name);
        std::fs::copy(&module, follow.join(name))
            .with_context(|| format!("copying {}", module.display()))?;
    }
    let root = is_root()?;
    let command = |port: u16| {
        let mut cmd = Command::new("/usr/bin/snmpsimd");
        cmd.arg(format!("--data-dir={}", copy.display()))
            .arg(format!("--cache-dir={}", cache.display()))
            .arg("--variation-modules-dir=/usr/share/snmpsim/variation")
            // The test bed's own modules: `follow` (PDU recordings of `gen-recording pdu`) and
            // `switch` (VLAN recordings of `gen-recording vlans`).
            .arg(format!("--variation-modules-dir={}", follow.display()))
            .arg(format!("--agent-udpv4-endpoint=127.0.0.1:{port}"))
            .env("HOME", &home);
        if root {
            cmd.args(["--process-user=nobody", "--process-group=nogroup"]);
        }
        cmd
    };
    start_agent("snmpsim", first, &sim.join("snmpsim.log"), within, &command)
}

/// snmpd as the e2e guard runs it, with the configuration it generates (kept in
/// tests/fixtures/snmpd by a test): nothing read from /etc/snmp, nothing written to
/// /var/lib/snmp, no SMUX listener.
fn start_snmpd(run_dir: &Path) -> Result<Agent> {
    let fixtures = workspace::root().join("tests/fixtures/snmpd");
    let snmpd = run_dir.join("snmpd");
    let conf = snmpd.join("conf");
    let persist = snmpd.join("persist");
    make_dir(&conf, 0o700)?;
    make_dir(&persist, 0o700)?;
    for (from, to) in [
        ("snmpd.conf", conf.join("snmpd.conf")),
        // snmpd reads createUser lines from its persistent directory and rewrites the file.
        ("users.conf", persist.join("snmpd.conf")),
    ] {
        let from = fixtures.join(from);
        std::fs::copy(&from, &to).with_context(|| format!("copying {}", from.display()))?;
    }
    let log = snmpd.join("snmpd.log");
    let conf_path = format!("{}:{}", conf.display(), persist.display());
    let command = |port: u16| {
        let mut cmd = Command::new("/usr/sbin/snmpd");
        cmd.args(["-f", "-I", "-smux", "-Lf"])
            .arg(&log)
            .arg(format!("udp:127.0.0.1:{port}"))
            .env("SNMPCONFPATH", &conf_path)
            .env("SNMP_PERSISTENT_DIR", &persist)
            .env("MIBS", "");
        cmd
    };
    start_agent(
        "snmpd",
        "public",
        &snmpd.join("stdout.log"),
        READY_WITHIN,
        &command,
    )
}

/// Stops a process group led by `pid`: TERM, then KILL after five seconds.
pub(crate) fn kill_group(pid: u32) -> Result<()> {
    let sh = Shell::new()?;
    let group = format!("-{pid}");
    cmd!(sh, "kill -TERM -- {group}")
        .quiet()
        .ignore_stderr()
        .run()
        .ok();
    let asked = Instant::now();
    while alive(pid) && asked.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    if alive(pid) {
        cmd!(sh, "kill -KILL -- {group}")
            .quiet()
            .ignore_stderr()
            .run()
            .ok();
    }
    Ok(())
}

fn stop() -> Result<()> {
    let state = State::load()?;
    for (name, agent) in state.agents() {
        // The pid may have been reused since `start` if the agent died: kill only our agent.
        if alive(agent.pid) && runs(agent.pid, name) {
            // Each agent leads its own process group (see `spawn`).
            kill_group(agent.pid)?;
            report(&format!("stopped {name} (pid {})", agent.pid));
        }
    }
    if state_file().exists() {
        std::fs::remove_file(state_file())?;
    }
    Ok(())
}

fn status() -> Result<()> {
    let state = State::load()?;
    if state.agents().next().is_none() {
        report("test bed not running (cargo xtask testbed start)");
        return Ok(());
    }
    for (name, agent) in state.agents() {
        let how = if alive(agent.pid) && runs(agent.pid, name) {
            "running"
        } else {
            "DEAD"
        };
        report(&format!(
            "{name:<8} {how:<7} pid {:<7} udp 127.0.0.1:{}",
            agent.pid, agent.port
        ));
    }
    let run = dir().join("run");
    if state.snmpsim.is_some() {
        let communities = communities_in(&run.join("snmpsim/data"));
        report(&format!(
            "snmpsim: v1/v2c communities (v3 contexts) {}; log {}",
            communities.join(", "),
            run.join("snmpsim/snmpsim.log").display()
        ));
    }
    if state.snmpd.is_some() {
        report(&format!(
            "snmpd:   communities public (ro), private (rw); v3 users in tests/fixtures/snmpd/users.conf; log {}",
            run.join("snmpd/snmpd.log").display()
        ));
    }
    if state.ipmi_sim.is_some() {
        report(&format!(
            "ipmi_sim: IPMI 1.5 and RMCP+ (ipmitool -C 3); users in tests/fixtures/ipmi/lan.conf; chassis state in {}",
            run.join("ipmi_sim/chassis").display()
        ));
    }
    Ok(())
}

/// The communities of the recordings in `dir`.
fn communities_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".snmprec")
                .map(str::to_owned)
        })
        .collect();
    out.sort();
    out
}

#[allow(clippy::print_stdout)]
fn report(s: &str) {
    println!("{s}");
}

/// OpenIPMI's `ipmi_sim` as the e2e guard runs it (see tests/src/ipmi_sim.rs): the default
/// configuration from `tests/fixtures/ipmi/lan.conf` (written by the `e2e` crate and checked
/// fresh by its tests) with the port and the chassis program filled in, the chassis off.
pub(crate) fn start_ipmi_sim(run_dir: &Path) -> Result<Agent> {
    let fixtures = workspace::root().join("tests/fixtures/ipmi");
    let sim = run_dir.join("ipmi_sim");
    let state = sim.join("state");
    let chassis = sim.join("chassis");
    make_dir(&state, 0o700)?;
    make_dir(&chassis, 0o755)?;
    std::fs::write(chassis.join("power"), "0\n")?;
    let template = std::fs::read_to_string(fixtures.join("lan.conf"))
        .context("reading tests/fixtures/ipmi/lan.conf")?
        .replace(
            "@CHASSIS@",
            &format!(
                "{} {}",
                fixtures.join("chassis_control").display(),
                chassis.display()
            ),
        );
    let log = sim.join("ipmi_sim.log");
    for _ in 0..5 {
        let port = free_port()?;
        let conf = sim.join("lan.conf");
        std::fs::write(&conf, template.replace("@PORT@", &port.to_string()))?;
        let mut cmd = Command::new("/usr/bin/ipmi_sim");
        cmd.arg("-c")
            .arg(&conf)
            .arg("-f")
            .arg(fixtures.join("sim.emu"))
            .arg("-s")
            .arg(&state)
            .arg("-n");
        let pid = spawn(cmd, &log)?;
        if ipmi_sim_ready(pid, port)? {
            return Ok(Agent { pid, port });
        }
    }
    bail!("ipmi_sim exited at start five times; see {}", log.display())
}

/// Polls with an IPMI Get Channel Authentication Capabilities request (bytes from the spec, as
/// the e2e guard's probe) until an answer; `false` if the simulator exited.
fn ipmi_sim_ready(pid: u32, port: u16) -> Result<bool> {
    const PROBE: [u8; 23] = [
        0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x09, 0x20, 0x18, 0xC8, 0x81, 0x04,
        0x38, 0x0E, 0x02, 0x33,
    ];
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.connect(("127.0.0.1", port))?;
    socket.set_read_timeout(Some(Duration::from_millis(50)))?;
    let started = Instant::now();
    let mut buf = [0u8; 256];
    while started.elapsed() < READY_WITHIN {
        if !alive(pid) {
            return Ok(false);
        }
        let _ = socket.send(&PROBE);
        if let Ok(n) = socket.recv(&mut buf)
            && n > 4
            && buf[..4] == PROBE[..4]
        {
            return Ok(true);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    kill_group(pid)?;
    bail!("ipmi_sim on 127.0.0.1:{port} did not answer within {READY_WITHIN:?}")
}
