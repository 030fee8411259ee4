//! The Redfish BMC of the end-to-end tests: OpenStack's sushy-tools emulator (from PyPI, in the
//! virtual environment `cargo xtask testbed install` makes) with its fake system driver, on
//! 127.0.0.1 over HTTPS with a certificate made per start (self-signed, or issued by a CA of its
//! own), behind HTTP basic
//! authentication, through the test bed's launcher (`tests/fixtures/redfish/sushy_testbed.py`:
//! power follows after about a second, a system named `stuck` never follows, and a fault file
//! makes it answer 500, HTML, or nothing). [`Sushy`] is a guard: `start` writes the
//! configuration, starts the emulator, waits until it answers, and `Drop` kills it and removes
//! its scratch directory. Nothing here talks to anything but 127.0.0.1.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::Scratch;

/// The user the emulator accepts.
pub const USER: &str = "admin";
/// Its password.
pub const PASSWORD: &str = "redfish-pw-17";

/// How long the emulator may take to answer after its start.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// The virtual environment `cargo xtask testbed install` makes.
fn venv() -> PathBuf {
    if let Some(dir) = std::env::var_os("DCIH_TESTBED_SUSHY") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/testbed/sushy")
}

/// The one system of [`Sushy::start`].
pub const NODE: FakeSystem = FakeSystem {
    name: "node",
    uuid: "27946b59-9e44-4fa7-8e91-f3527a1ef094",
    on: false,
};

/// One fake system.
#[derive(Debug, Clone)]
pub struct FakeSystem {
    /// Its name (`stuck` never follows a command).
    pub name: &'static str,
    /// Its UUID, the last segment of its URI.
    pub uuid: &'static str,
    /// Powered at the start.
    pub on: bool,
}

/// The emulator, serving until dropped.
pub struct Sushy {
    child: Child,
    port: u16,
    dir: Scratch,
}

impl std::fmt::Debug for Sushy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sushy")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Sushy {
    /// The emulator with one system, `node`, off, and a self-signed certificate.
    pub fn start() -> Sushy {
        Sushy::with(&[NODE])
    }

    /// The emulator with these systems and a self-signed certificate.
    #[track_caller]
    pub fn with(systems: &[FakeSystem]) -> Sushy {
        Sushy::serve(systems, false)
    }

    /// The emulator with one system, `node`, off, and a certificate issued by a CA of its own.
    #[track_caller]
    pub fn issued_by_ca() -> Sushy {
        Sushy::serve(&[NODE], true)
    }

    #[track_caller]
    fn serve(systems: &[FakeSystem], issued: bool) -> Sushy {
        let python = venv().join("bin/python3");
        assert!(
            python.is_file(),
            "{} is missing: run `cargo xtask testbed install`",
            python.display()
        );
        static STARTED: AtomicU32 = AtomicU32::new(0);
        let dir = Scratch::new(&format!(
            "sushy-{}-{}",
            systems[0].name,
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        // The emulator's certificate for 127.0.0.1: self-signed, as BMCs make theirs (openssl
        // marks it a CA, as many BMCs do), or issued by a CA of its own, as a site PKI would.
        let (cert, key) = (dir.path("cert.pem"), dir.path("key.pem"));
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        if issued {
            let ext = dir.file(
                "leaf.ext",
                "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
            );
            let ca = ["req", "-x509", "-days", "2", "-subj", "/CN=dcih test CA"];
            openssl(
                dir.dir(),
                &[&ca[..], &ec[..], &["-keyout", "ca.key", "-out", "ca.pem"]].concat(),
            );
            let csr = [
                "req",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "key.pem",
                "-out",
                "leaf.csr",
            ];
            openssl(dir.dir(), &[&csr[..1], &ec[..], &csr[1..]].concat());
            openssl(
                dir.dir(),
                &[
                    "x509",
                    "-req",
                    "-in",
                    "leaf.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-out",
                    "cert.pem",
                    "-extfile",
                    ext.to_str().expect("a path"),
                ],
            );
        } else {
            let own = ["req", "-x509", "-days", "2", "-subj", "/CN=127.0.0.1"];
            let san = ["-addext", "subjectAltName=IP:127.0.0.1"];
            openssl(
                dir.dir(),
                &[
                    &own[..],
                    &ec[..],
                    &san[..],
                    &["-keyout", "key.pem", "-out", "cert.pem"],
                ]
                .concat(),
            );
        }
        // htpasswd with a bcrypt hash, as the emulator's basic authentication reads it.
        let hash = Command::new(&python)
            .args([
                "-c",
                "import bcrypt, sys; print(bcrypt.hashpw(sys.stdin.read().encode(), bcrypt.gensalt(4)).decode())",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().expect("stdin").write_all(PASSWORD.as_bytes())?;
                c.wait_with_output()
            })
            .expect("run bcrypt");
        let htpasswd = dir.file(
            "htpasswd",
            &format!("{USER}:{}\n", String::from_utf8_lossy(&hash.stdout).trim()),
        );
        let systems_py: Vec<String> = systems
            .iter()
            .map(|s| {
                format!(
                    "{{'uuid': '{}', 'name': '{}', 'power_state': '{}', 'external_notifier': False, 'nics': []}}",
                    s.uuid,
                    s.name,
                    if s.on { "On" } else { "Off" }
                )
            })
            .collect();
        let state = dir.path("state");
        std::fs::create_dir_all(&state).expect("state dir");
        let config = dir.file(
            "config.py",
            &format!(
                "SUSHY_EMULATOR_FAKE_DRIVER = True\nSUSHY_EMULATOR_FAKE_SYSTEMS = [{}]\nSUSHY_EMULATOR_STATE_DIR = '{}'\nSUSHY_EMULATOR_AUTH_FILE = '{}'\n",
                systems_py.join(", "),
                state.display(),
                htpasswd.display()
            ),
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let launcher =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/redfish/sushy_testbed.py");
        let log = std::fs::File::create(dir.path("sushy.log")).expect("log file");
        let child = Command::new(&python)
            .arg(launcher)
            .arg("--config")
            .arg(&config)
            .args(["--fake", "-i", "127.0.0.1", "-p", &port.to_string()])
            .arg("--ssl-certificate")
            .arg(&cert)
            .arg("--ssl-key")
            .arg(&key)
            .env("DCIH_SUSHY_FAULT", dir.path("fault"))
            .env_remove("SUSHY_EMULATOR_CONFIG")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start the emulator");
        let mut s = Sushy { child, port, dir };
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok()
                && s.curl(&["/redfish/v1"]).status.success()
            {
                break;
            }
            if let Ok(Some(status)) = s.child.try_wait() {
                panic!("the emulator exited ({status}):\n{}", s.log());
            }
            assert!(
                started.elapsed() < READY_WITHIN,
                "the emulator did not answer within {READY_WITHIN:?}:\n{}",
                s.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    }

    /// `127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The emulator's certificate (PEM).
    pub fn certificate(&self) -> PathBuf {
        self.dir.path("cert.pem")
    }

    /// What a client trusts to reach it (PEM): the CA that issued its certificate, or the
    /// self-signed certificate itself.
    pub fn ca(&self) -> PathBuf {
        let ca = self.dir.path("ca.pem");
        if ca.is_file() { ca } else { self.certificate() }
    }

    /// Its SHA-256 fingerprint, as openssl prints it (`AA:BB:…`).
    pub fn fingerprint(&self) -> String {
        let out = Command::new("openssl")
            .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
            .arg(self.certificate())
            .output()
            .expect("run openssl");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .rsplit('=')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    /// Makes every request after the service root fail as `kind` says (`500`, `html`, `hang`),
    /// or every ComputerSystem.Reset be carried out and its answer lost (`lost-reset`); with
    /// `None`, answer again.
    pub fn fault(&self, kind: Option<&str>) {
        let path = self.dir.path("fault");
        match kind {
            Some(k) => std::fs::write(&path, k).expect("fault file"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    /// curl (the cross-check) GETting `args[0]` with the test user, trusting the certificate;
    /// further args go to curl.
    pub fn curl(&self, args: &[&str]) -> Output {
        let (path, rest) = args.split_first().expect("a path");
        Command::new("curl")
            .args(["--silent", "--show-error", "--fail", "--cacert"])
            .arg(self.ca())
            .args(["--user", &format!("{USER}:{PASSWORD}")])
            .arg(format!("https://{}{path}", self.endpoint()))
            .args(rest)
            .stdin(Stdio::null())
            .output()
            .expect("run curl")
    }

    /// The PowerState curl reads of the system `uuid`.
    pub fn power_state(&self, uuid: &str) -> String {
        let out = self.curl(&[&format!("/redfish/v1/Systems/{uuid}")]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let at = text
            .find("\"PowerState\"")
            .unwrap_or_else(|| panic!("no PowerState in {text}"));
        text[at..].split('"').nth(3).unwrap_or_default().to_owned()
    }

    /// The live Redfish sessions, as curl reads their collection.
    pub fn sessions(&self) -> usize {
        let out = self.curl(&["/redfish/v1/SessionService/Sessions"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.split("\"Members@odata.count\":")
            .nth(1)
            .and_then(|r| r.trim_start().split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no session count in {text}"))
    }

    /// DMTF's python-redfish-library logs in with a session, reads `path`'s `key`, and logs out:
    /// the proof that the test bed's session service is one a Redfish client can use.
    pub fn dmtf_client_reads(&self, path: &str, key: &str) -> Output {
        let script = format!(
            "import os, redfish\n\
             c = redfish.redfish_client(base_url='https://{}', username='{USER}', password=os.environ['RF_PW'], cafile='{}')\n\
             c.login(auth='session')\n\
             print(c.get('{path}').dict['{key}'])\n\
             c.logout()\n",
            self.endpoint(),
            self.ca().display()
        );
        Command::new(venv().join("bin/python3"))
            .args(["-c", &script])
            .env("RF_PW", PASSWORD)
            .stdin(Stdio::null())
            .output()
            .expect("run python-redfish-library")
    }

    /// The emulator's log file (a line per request).
    pub fn log_file(&self) -> PathBuf {
        self.dir.path("sushy.log")
    }

    /// The emulator's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_file()).unwrap_or_default()
    }
}

/// openssl with `args` in `dir`, which must succeed.
#[track_caller]
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for Sushy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
