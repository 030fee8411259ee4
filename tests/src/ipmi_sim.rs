//! A simulated BMC on 127.0.0.1 for the end-to-end tests: OpenIPMI's `ipmi_sim` (Debian
//! `openipmi`) with a configuration of our own, and Debian's `ipmitool` as the oracle that reads
//! the same simulator. [`IpmiSim`] is a guard: `start` picks a free port, writes the
//! configuration, starts the simulator, waits until it answers a real IPMI request, and `Drop`
//! kills and reaps it and removes its scratch directory. Nothing here sends a packet anywhere but
//! 127.0.0.1.
//!
//! The readiness probe is a constant Get Channel Authentication Capabilities packet written out
//! below from the IPMI spec, not our IPMI code: a guard must not share the bugs of the code the
//! tests exercise.
//!
//! What Debian's `ipmi_sim` (OpenIPMI 2.0.33) does, found by probing it:
//! - It ships no example configuration; `lan.conf` is written from ipmi_lan(5), and the command
//!   file (`tests/fixtures/ipmi/sim.emu`) from ipmi_sim_cmd(5). Without `mc_setbmc 0x20` it exits
//!   at once with "No bmc_ipmb specified or configured". User names and passwords must be quoted
//!   (unquoted, they are read as 32 hex digits). The address and port are in `lan.conf` (`addr`),
//!   not on the command line, so the file is written per start.
//! - Power follows the `chassis_control` program (`tests/fixtures/ipmi/chassis_control`): the
//!   configured command line gets `get power`, `set power 0|1` or `set reset 1` appended and runs
//!   for every Get Chassis Status and Chassis Control; its state lives in the guard's scratch
//!   directory.
//! - IPMI 1.5: the channel's `allowed_auths_*` lines decide what Get Channel Authentication
//!   Capabilities offers and what Activate Session accepts; the auth types listed on a `user`
//!   line are not enforced. A user's maximum privilege is enforced (Activate Session answers
//!   0x86). An Activate Session with a wrong auth code gets no answer at all.
//! - RMCP+: cipher suite 3 works (ipmitool needs `-C 3` against it); suite 17 is refused
//!   ("invalid authentication algorithm"). A wrong password shows as a RAKP message 2 code that
//!   does not verify, an unknown user as RAKP status "unauthorized name". Neither a user's maximum
//!   privilege nor the channel's `priv_limit` is enforced over RMCP+ (a `user`-level account
//!   gets OPERATOR), nor `priv_limit` over IPMI 1.5.
//! - Debian's ipmitool has no MD2 ("No internal support for MD2"), so MD2 is checked against the
//!   simulator alone.
//! - Start-up to the first answer takes a few milliseconds; it answers a status in about 1 ms.

use std::fmt::Write as _;
use std::fs::File;
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The command that installs the simulator and ipmitool.
pub const INSTALL: &str = "cargo xtask testbed install";

const IPMI_SIM: &str = "/usr/bin/ipmi_sim";
const IPMITOOL: &str = "/usr/bin/ipmitool";

/// The longest the simulator may take to answer after it was started.
pub const READY_WITHIN: Duration = Duration::from_secs(10);

/// Tries at starting the simulator when the free port was taken before it could bind it.
const PORT_TRIES: usize = 5;

/// Get Channel Authentication Capabilities outside a session, channel "this one", USER level,
/// byte by byte from the IPMI v2.0 spec (sections 13.6, 13.8 and 22.13): RMCP header, IPMI 1.5
/// session header with authentication type none, message length, then rsAddr 0x20, NetFn App
/// (0x06 << 2), checksum, rqAddr 0x81, rqSeq 1, command 0x38, channel 0x0E, privilege 0x02,
/// checksum.
const PROBE: [u8; 23] = [
    0x06, 0x00, 0xFF, 0x07, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x09, 0x20, 0x18, 0xC8, 0x81, 0x04, 0x38,
    0x0E, 0x02, 0x33,
];

/// A BMC account of the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct User {
    /// The user name.
    pub name: &'static str,
    /// The password (at most 16 bytes, so IPMI 1.5 can carry it).
    pub password: &'static str,
    /// Its maximum privilege, in ipmi_lan(5)'s words.
    pub privilege: &'static str,
}

/// May do anything.
pub const ADMIN: User = User {
    name: "admin",
    password: "admin-pw-1",
    privilege: "admin",
};
/// May switch the power (OPERATOR).
pub const OPERATOR: User = User {
    name: "operator",
    password: "operator-pw-2",
    privilege: "operator",
};
/// May only read (USER): lacks the privilege for power control.
pub const VIEWER: User = User {
    name: "viewer",
    password: "viewer-pw-3",
    privilege: "user",
};
/// Every account, in user-number order from 2 (1 is the anonymous user, left out).
pub const USERS: [User; 3] = [ADMIN, OPERATOR, VIEWER];

/// What the simulated BMC's LAN channel offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// IPMI 1.5 authentication types offered, in ipmi_lan(5)'s words: `md5`, `md2`,
    /// `straight`, `none`.
    pub auths: Vec<&'static str>,
}

impl Default for SimConfig {
    /// Every authentication type.
    fn default() -> SimConfig {
        SimConfig {
            auths: vec!["none", "md2", "md5", "straight"],
        }
    }
}

/// How ipmitool reaches the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lan {
    /// `-I lan`: IPMI 1.5.
    V15,
    /// `-I lanplus -C 3`: IPMI 2.0, cipher suite 3.
    V20,
}

/// The folder of the simulator's fixtures: the command file and the chassis program.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ipmi")
}

/// `ipmi_sim` serving one simulated BMC on 127.0.0.1 (see the module docs for what it does).
#[derive(Debug)]
pub struct IpmiSim {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl IpmiSim {
    /// The `lan.conf` for `config`, with `@PORT@` and `@CHASSIS@` (the chassis_control command
    /// line) left to fill in. `tests/fixtures/ipmi/lan.conf` holds it for the default
    /// configuration, for `cargo xtask testbed start` (a test keeps it fresh).
    pub fn config_template(config: &SimConfig) -> String {
        let auths = config.auths.join(" ");
        let mut s = String::from(
            "# lan.conf of the dcihandlers test bed, written by e2e::ipmi_sim::IpmiSim::config_template\n\
             # (see ipmi_lan(5)). @PORT@ and @CHASSIS@ are filled in at start.\n\
             name \"dcih\"\n\
             set_working_mc 0x20\n\
             \x20 startlan 1\n\
             \x20   addr 127.0.0.1 @PORT@\n\
             \x20   priv_limit admin\n",
        );
        for level in ["callback", "user", "operator", "admin"] {
            let _ = writeln!(s, "    allowed_auths_{level} {auths}");
        }
        s.push_str("    guid a123456789abcdefa123456789abcdef\n  endlan\n");
        s.push_str("  chassis_control \"@CHASSIS@\"\n");
        for (i, u) in USERS.iter().enumerate() {
            let _ = writeln!(
                s,
                "  user {} true \"{}\" \"{}\" {} 10 {auths}",
                i + 2,
                u.name,
                u.password,
                u.privilege
            );
        }
        s
    }

    /// Starts the simulator with every authentication type and waits until it answers.
    #[track_caller]
    pub fn start() -> IpmiSim {
        IpmiSim::start_with(&SimConfig::default())
    }

    /// Starts the simulator with `config`, the chassis off, and waits until it answers. Panics
    /// with the install command if `ipmi_sim` is missing, and with its log if it does not start.
    #[track_caller]
    pub fn start_with(config: &SimConfig) -> IpmiSim {
        assert!(
            Path::new(IPMI_SIM).is_file(),
            "{IPMI_SIM} is not installed: run `{INSTALL}` (it installs openipmi and ipmitool from Debian)"
        );
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("dcih-e2e-ipmi-{}-{n}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        let state = dir.join("state");
        let chassis = dir.join("chassis");
        for d in [&state, &chassis] {
            std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("creating {}: {e}", d.display()));
        }
        std::fs::write(chassis.join("power"), "0\n").expect("write the chassis state");
        let program = fixtures().join("chassis_control");
        let template = IpmiSim::config_template(config).replace(
            "@CHASSIS@",
            &format!("{} {}", program.display(), chassis.display()),
        );
        let log = dir.join("ipmi_sim.log");
        let started = Instant::now();
        for _ in 0..PORT_TRIES {
            let port = UdpSocket::bind("127.0.0.1:0")
                .and_then(|s| s.local_addr())
                .expect("bind a UDP socket on 127.0.0.1:0")
                .port();
            let conf = dir.join("lan.conf");
            std::fs::write(&conf, template.replace("@PORT@", &port.to_string()))
                .expect("write lan.conf");
            let out = File::create(&log).expect("create the log");
            let child = Command::new(IPMI_SIM)
                .arg("-c")
                .arg(&conf)
                .arg("-f")
                .arg(fixtures().join("sim.emu"))
                .arg("-s")
                .arg(&state)
                .arg("-n")
                .stdin(Stdio::null())
                .stdout(out.try_clone().expect("clone a file handle"))
                .stderr(out)
                .spawn()
                .unwrap_or_else(|e| panic!("starting {IPMI_SIM}: {e}"));
            let mut sim = IpmiSim {
                child,
                port,
                dir: dir.clone(),
            };
            match sim.wait_ready(started) {
                Ok(()) => return sim,
                // Most likely the port was taken between our bind and its own: try another.
                Err(Some(_)) => continue,
                Err(None) => panic!(
                    "ipmi_sim on 127.0.0.1:{port} did not answer within {READY_WITHIN:?}; its log:\n{}",
                    sim.log()
                ),
            }
        }
        panic!(
            "ipmi_sim exited at start {PORT_TRIES} times; its last log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        )
    }

    /// Polls with [`PROBE`] until an IPMI answer; `Err(Some(status))` if the simulator exited,
    /// `Err(None)` after [`READY_WITHIN`].
    fn wait_ready(&mut self, started: Instant) -> Result<(), Option<std::process::ExitStatus>> {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind the probe socket");
        socket
            .connect(("127.0.0.1", self.port))
            .expect("connect the probe socket");
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("set a read timeout");
        let mut buf = [0u8; 256];
        loop {
            if let Some(status) = self.child.try_wait().expect("poll ipmi_sim") {
                return Err(Some(status));
            }
            if started.elapsed() > READY_WITHIN {
                self.stop();
                return Err(None);
            }
            let _ = socket.send(&PROBE);
            match socket.recv(&mut buf) {
                Ok(n) if n > 4 && buf[..4] == PROBE[..4] => return Ok(()),
                // Refused (not bound yet) or nothing yet: poll again.
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The UDP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`, as a handler's `ip` field takes it.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The process id (to check that it is gone after drop).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn chassis(&self) -> PathBuf {
        self.dir.join("chassis")
    }

    /// Sets the chassis power directly (test setup, not through IPMI).
    pub fn set_power(&self, on: bool) {
        std::fs::write(self.chassis().join("power"), if on { "1\n" } else { "0\n" })
            .expect("write the chassis state");
    }

    /// Makes the chassis ignore every command (the BMC still accepts them), or obey again.
    pub fn set_stuck(&self, stuck: bool) {
        let flag = self.chassis().join("stuck");
        if stuck {
            std::fs::write(flag, "").expect("write the stuck flag");
        } else {
            let _ = std::fs::remove_file(flag);
        }
    }

    /// How many hard resets reached the running chassis.
    pub fn resets(&self) -> u32 {
        std::fs::read_to_string(self.chassis().join("resets"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Debian's ipmitool against this simulator as `user`, with the password in the environment
    /// (`-E`, never argv) and `args` after the connection options.
    #[track_caller]
    pub fn ipmitool(&self, lan: Lan, user: &User, args: &[&str]) -> Output {
        assert!(
            Path::new(IPMITOOL).is_file(),
            "{IPMITOOL} is not installed: run `{INSTALL}`"
        );
        let iface: &[&str] = match lan {
            Lan::V15 => &["-I", "lan"],
            Lan::V20 => &["-I", "lanplus", "-C", "3"],
        };
        Command::new(IPMITOOL)
            .args(iface)
            .args([
                "-H",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                user.name,
            ])
            .args(["-E", "-N", "1", "-R", "3"])
            .args(args)
            .env("IPMI_PASSWORD", user.password)
            .stdin(Stdio::null())
            .output()
            .expect("run ipmitool")
    }

    /// The oracle: what `ipmitool chassis power status` reads, `true` for on. Panics with its
    /// output if it reads neither.
    #[track_caller]
    pub fn oracle_power(&self, lan: Lan) -> bool {
        let out = self.ipmitool(lan, &ADMIN, &["chassis", "power", "status"]);
        let text = String::from_utf8_lossy(&out.stdout);
        match text.trim() {
            "Chassis Power is on" => true,
            "Chassis Power is off" => false,
            _ => panic!(
                "ipmitool chassis power status said {text:?} (stderr: {})",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    /// What the simulator logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("ipmi_sim.log")).unwrap_or_default()
    }

    /// The scratch directory (removed on drop).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for IpmiSim {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
