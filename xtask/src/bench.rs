//! `cargo xtask bench ups|switch|ipmi`: whole-process figures of handlers against their peers,
//! for the closing notes. Never a timed test: it measures and prints, it does not judge.
//!
//! `ipmi` compares `ipmi15 status` and `ipmi20 status` with Debian's `ipmitool -I lan` and
//! `-I lanplus -C 3` `chassis power status` on one `ipmi_sim`; UDP requests are counted the same
//! way, through the relay.
//!
//! `switch` serves a generated 48-port and 384-port switch from snmpsim and compares
//! `cisco-switch status` with the seed's Python handler and net-snmp's `snmpbulkwalk` of
//! ifTable. SNMP requests are counted for all three alike, by sending each once through a
//! counting UDP relay; times are taken without the relay.
//!
//! `pdu` serves a generated 24-outlet metered APC rPDU2 PDU and a 14-bay BladeCenter from
//! snmpsim (outlets follow commands at once, through the test bed's `follow` module) and
//! compares `apc-pdu status` with net-snmp's `snmpbulkwalk` of rPDU2OutletSwitchedStatusTable,
//! and `ibm-blade-pdu status` (SNMPv1, as the seed) with the seed's Python blade handler and
//! `snmpwalk -v1` of bladeSystemStatusTable; then the time from `port_off` to its confirmed
//! answer on an outlet that follows at once (the outlet switched back on, untimed, between runs).
//!
//! `vlan` serves a generated 48-port Catalyst (8 trunks, 20 VLANs) and a 48-port Q-BRIDGE switch
//! (20 VLANs), their VLAN objects writable through the test bed's `switch` module, and the same
//! switches without VLAN tables; it compares `cisco-switch status` and `snmp-switch status` with
//! and without VLANs and with net-snmp's `snmpbulkwalk` of the same columns (one walk per
//! column: net-snmp walks one subtree at a time), then times `set_vlan` (an access move and an
//! access port made a trunk) to the confirmed answer, the port moved back untimed between runs.
//!
//! `mac` serves a generated 48-port Q-BRIDGE switch with about 2,000 learned MACs and compares
//! `snmp-switch mac_list` with `snmpbulkwalk` of dot1qTpFdbPort; then a generated Catalyst with
//! 30 VLANs in use and about 1,500 MACs, each VLAN's bridge under `COMMUNITY@VLAN`, behind a relay
//! that holds every datagram 20 ms each way (a switch further away): `cisco-switch mac_list`
//! against the serial tools' loop, one `snmpbulkwalk` of dot1dBasePortIfIndex and one of
//! dot1dTpFdbPort per VLAN.
//!
//! Each case runs in a child of xtask itself (`bench-child`) that runs the command N times in a
//! row with the request on stdin. That child's `getrusage(RUSAGE_CHILDREN)` then holds exactly
//! the case's CPU time and its peak RSS (the largest of its runs); wall time is taken per run and
//! the median reported.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::resource::{UsageWho, getrusage};
use xshell::{Shell, cmd};

use crate::flags::Flags;
use crate::workspace::{self, MUSL};

/// One thing to measure.
#[derive(Clone)]
struct Case {
    label: String,
    program: PathBuf,
    args: Vec<String>,
    stdin: Option<PathBuf>,
    env: Vec<(String, String)>,
}

/// What one case cost.
struct Figures {
    median_wall: Duration,
    cpu_per_run: Duration,
    peak_rss_kib: i64,
    failed_runs: i64,
}

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["runs", "before"], &[])?;
    let runs: usize = flags
        .value("runs")
        .unwrap_or("50")
        .parse()
        .context("--runs N")?;
    match flags.positional.first().map(String::as_str) {
        Some("ups") => ups(runs),
        Some("switch") => switch(flags.value("runs").map_or(Ok(20), str::parse)?),
        Some("ipmi") => ipmi(runs),
        Some("pdu") => pdu(
            flags.value("runs").map_or(Ok(20), str::parse)?,
            flags.value("before").map(PathBuf::from),
        ),
        Some("vlan") => vlan(flags.value("runs").map_or(Ok(20), str::parse)?),
        Some("mac") => mac(flags.value("runs").map_or(Ok(10), str::parse)?),
        Some("redfish") => redfish(flags.value("runs").map_or(Ok(20), str::parse)?),
        Some("faults") => faults(flags.value("runs").map_or(Ok(20), str::parse)?),
        Some("dci6") => dci6(flags.value("runs").map_or(Ok(20), str::parse)?),
        _ => bail!(
            "usage: cargo xtask bench ups|switch|ipmi|pdu|vlan|mac|redfish|faults|dci6 [--runs N] [--before DIR (pdu: the same cases with DIR's apc-pdu and rpcm-pdu)]"
        ),
    }
}

/// The DCImanager 6 adapter beside its binary and net-snmp (dci6/bench.py), on the archives of
/// a fresh `cargo xtask package`.
fn dci6(runs: usize) -> Result<()> {
    let sh = Shell::new()?;
    let root = workspace::root();
    sh.change_dir(&root);
    crate::package::build(&sh)?;
    cmd!(sh, "cargo build --locked -p e2e --bin pdu-agent").run()?;
    let runs = runs.to_string();
    cmd!(sh, "/usr/bin/python3 dci6/bench.py --runs {runs}")
        .env("DCIH_DCI6_DIST", root.join("dist/dci6"))
        .env("DCIH_PDU_AGENT", root.join("target/debug/pdu-agent"))
        .run()?;
    Ok(())
}

/// `ups-sim` and `seed_ups.py` (process cost: fixed values, no device); `ups-snmp status` on a
/// three-phase UPS-MIB UPS and an APC Smart-UPS (PowerNet-MIB), each against net-snmp's
/// `snmpget` of the same objects (the list ups-snmp logs at debug level) on the same snmpsim.
fn ups(runs: usize) -> Result<()> {
    let b = SnmpBench::prepare("ups", &["ups-sim", "ups-snmp"], "seed_ups.py")?;
    b.generate(&["ups", "three", "three"])?;
    b.generate(&["ups", "apc", "apc"])?;
    let (release, scratch) = (&b.release, &b.scratch);
    let python = python3()?;
    let seed = b.seed.to_string_lossy().into_owned();
    let request = snmp_status_request(&scratch.join("ups-sim.xml"), "127.0.0.1", "v1", "public")?;
    let exe = release.join("ups-sim");
    let cases = vec![
        Case {
            label: "ups-sim -info".into(),
            program: exe.clone(),
            args: vec!["-info".into()],
            stdin: None,
            env: vec![],
        },
        Case {
            label: "seed_ups.py -info".into(),
            program: python.clone(),
            args: vec![seed.clone(), "-info".into()],
            stdin: None,
            env: vec![],
        },
        Case {
            label: "ups-sim status".into(),
            program: exe,
            args: vec![],
            stdin: Some(request.clone()),
            env: vec![],
        },
        Case {
            label: "seed_ups.py status (fixed values)".into(),
            program: python,
            args: vec![seed],
            stdin: Some(request),
            env: vec![],
        },
    ];
    report(&cases, runs)?;
    b.with_snmpsim(&["ups-sim", "ups-snmp"], |agent| {
        preamble(runs, Some("SNMP"));
        let relay = Relay::start(agent)?;
        for (title, community) in [
            ("Three-phase UPS on UPS-MIB, SNMP v2c", "three"),
            ("APC Smart-UPS on PowerNet-MIB, SNMP v2c", "apc"),
        ] {
            let status = |port: u16| -> Result<PathBuf> {
                snmp_status_request(
                    &scratch.join(format!("{community}-{port}.xml")),
                    &format!("127.0.0.1:{port}"),
                    "v2c",
                    community,
                )
            };
            // The objects ups-snmp asks for, from its own debug line.
            let out = std::process::Command::new(release.join("ups-snmp"))
                .env("RUST_LOG", "device_profile=debug")
                .stdin(std::fs::File::open(status(agent)?)?)
                .output()?;
            let log = String::from_utf8_lossy(&out.stderr);
            let objects: Vec<String> = log
                .lines()
                .find(|l| l.contains("one GET of every profile's objects"))
                .and_then(|l| l.split("objects=").nth(1))
                .context("ups-snmp logs the objects it asks for")?
                .split_whitespace()
                .map(|o| o.trim_matches('"').to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            print_line(&format!(
                "\n{title} (snmpsim): {} objects asked for\n",
                objects.len()
            ));
            counted_table("SNMP", runs, agent, &relay, |port| {
                let target = format!("127.0.0.1:{port}");
                let mut args: Vec<String> = ["-v2c", "-c", community, "-On", &target]
                    .map(String::from)
                    .to_vec();
                args.extend(objects.iter().cloned());
                Ok(vec![
                    Case {
                        label: "ups-snmp status".into(),
                        program: release.join("ups-snmp"),
                        args: vec![],
                        stdin: Some(status(port)?),
                        env: vec![],
                    },
                    Case {
                        label: format!("snmpget of the same {} objects", objects.len()),
                        program: PathBuf::from("/usr/bin/snmpget"),
                        args,
                        stdin: None,
                        env: net_snmp_env(scratch)?,
                    },
                ])
            })?;
        }
        Ok(())
    })
}

/// Debian's interpreter where there is one (the peers are measured under it), else any python3.
fn python3() -> Result<PathBuf> {
    for p in ["/usr/bin/python3", "/usr/local/bin/python3"] {
        if Path::new(p).is_file() {
            return Ok(PathBuf::from(p));
        }
    }
    bail!("python3 not found: apt-get install python3")
}

/// Debian's python3 with pysnmp, which the seed's SNMP handlers need.
fn python3_with_pysnmp() -> Result<PathBuf> {
    let python = PathBuf::from("/usr/bin/python3");
    let has_pysnmp = Command::new(&python)
        .args(["-c", "import pysnmp"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_pysnmp {
        bail!("Debian's python3 lacks pysnmp: cargo xtask testbed install (python3-pysnmp4)");
    }
    Ok(python)
}

/// A peer handler from ../shared/peers.
fn peer(root: &Path, name: &str) -> Result<PathBuf> {
    let p = root.join("../shared/peers").join(name);
    if !p.is_file() {
        bail!(
            "{} not found: the peers live in ../shared beside the checkout",
            p.display()
        );
    }
    Ok(p)
}

/// `dir`, emptied: a bench's scratch folder under target/bench.
fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// The line that opens every report; `counted` names what the relay counts, if anything.
fn preamble(runs: usize, counted: Option<&str>) {
    let relay = counted
        .map(|what| format!("; {what} requests counted by a relay in one extra run"))
        .unwrap_or_default();
    print_line(&format!(
        "{runs} runs per case, medians of wall time; CPU is user+system per run; peak RSS is the largest of the runs{relay}\n"
    ));
}

/// One table: each of `cases(agent)` measured `runs` times, its `what` requests counted in one
/// extra run of the same case built against the relay.
fn counted_table(
    what: &str,
    runs: usize,
    agent: u16,
    relay: &Relay,
    cases: impl Fn(u16) -> Result<Vec<Case>>,
) -> Result<()> {
    print_line(&format!(
        "| case | wall | CPU | peak RSS | {what} requests |"
    ));
    print_line("|---|---|---|---|---|");
    let counted = cases(relay.port)?;
    for (c, through_relay) in cases(agent)?.iter().zip(&counted) {
        let requests = relay.count(|| run_once(through_relay))?;
        let f = measure(c, runs)?;
        print_line(&row(&c.label, &f, Some(requests)));
    }
    Ok(())
}

/// The size of each release binary.
fn print_sizes(release: &Path, names: &[&str]) -> Result<()> {
    print_line("");
    for name in names {
        let size = std::fs::metadata(release.join(name))?.len();
        print_line(&format!(
            "release binary {name} ({MUSL}, stripped): {size} bytes"
        ));
    }
    Ok(())
}

/// A `status` request over SNMP, written to `path`.
fn snmp_status_request(path: &Path, ip: &str, version: &str, community: &str) -> Result<PathBuf> {
    std::fs::write(
        path,
        format!(
            "<doc><func>status</func><device_params><ip>{ip}</ip><snmp_ver>SNMP {version}</snmp_ver><snmp_community>{community}</snmp_community></device_params></doc>"
        ),
    )?;
    Ok(path.to_owned())
}

/// net-snmp's tools with no MIBs and a configuration folder of their own under `scratch`.
fn net_snmp_env(scratch: &Path) -> Result<Vec<(String, String)>> {
    let tools = scratch.join("net-snmp");
    std::fs::create_dir_all(&tools)?;
    let tools = tools.to_string_lossy().into_owned();
    Ok(vec![
        ("MIBS".into(), String::new()),
        ("SNMPCONFPATH".into(), tools.clone()),
        ("SNMP_PERSISTENT_DIR".into(), tools),
    ])
}

fn report(cases: &[Case], runs: usize) -> Result<()> {
    preamble(runs, None);
    print_line("| case | wall | CPU | peak RSS |");
    print_line("|---|---|---|---|");
    for c in cases {
        let f = measure(c, runs)?;
        print_line(&row(&c.label, &f, None));
    }
    Ok(())
}

fn row(label: &str, f: &Figures, requests: Option<u64>) -> String {
    let failed = if f.failed_runs > 0 {
        format!(" ({} of the runs failed)", f.failed_runs)
    } else {
        String::new()
    };
    let req = requests.map(|r| format!(" {r} |")).unwrap_or_default();
    format!(
        "| {label}{failed} | {:.2} ms | {:.2} ms | {:.1} MiB |{req}",
        f.median_wall.as_secs_f64() * 1e3,
        f.cpu_per_run.as_secs_f64() * 1e3,
        f.peak_rss_kib as f64 / 1024.0
    )
}

fn measure(c: &Case, runs: usize) -> Result<Figures> {
    let me = std::env::current_exe()?;
    let mut cmd = Command::new(me);
    cmd.arg("bench-child").arg(runs.to_string());
    cmd.arg(
        c.stdin
            .as_deref()
            .map(Path::as_os_str)
            .unwrap_or("-".as_ref()),
    );
    cmd.arg(&c.program).args(&c.args);
    cmd.envs(c.env.iter().map(|(k, v)| (k, v)));
    let out = cmd.stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        bail!("measuring {} failed", c.label);
    }
    let text = String::from_utf8(out.stdout)?;
    let nums: Vec<i64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [wall_ns, cpu_ns, rss, failed] = nums[..] else {
        bail!("bench-child said {text:?}")
    };
    Ok(Figures {
        median_wall: Duration::from_nanos(wall_ns as u64),
        cpu_per_run: Duration::from_nanos(cpu_ns as u64),
        peak_rss_kib: rss,
        failed_runs: failed,
    })
}

/// `redfish-power` against the sushy-tools emulator (`test-redfish`), beside curl of the same
/// resources and DMTF's python-redfish-library: `status` (basic and session login) and a
/// `port_off` confirmed by reading back (the emulator follows after about a second). HTTP
/// requests are counted from the emulator's log (the test bed's launcher writes a line for each),
/// TCP connections by a relay.
fn redfish(runs: usize) -> Result<()> {
    let (sh, release) = built(&["redfish-power"])?;
    let root = workspace::root();
    cmd!(sh, "cargo build --locked -p e2e --bin test-redfish").run()?;
    let scratch = root.join("target/bench/redfish");
    fresh_dir(&scratch)?;
    let mut bmc = Command::new(root.join("target/debug/test-redfish"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("starting test-redfish")?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(bmc.stdout.take().context("test-redfish's stdout")?),
        &mut line,
    )?;
    let parts: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let [port, ca, log] = &parts[..] else {
        bail!("test-redfish said {line:?}")
    };
    let port: u16 = port.parse()?;
    let log = PathBuf::from(log);
    let result = (|| -> Result<()> {
        let relay = TcpRelay::start(port)?;
        let user = "admin";
        let password = "redfish-pw-17";
        let system = "/redfish/v1/Systems/27946b59-9e44-4fa7-8e91-f3527a1ef094";
        let request = |func: &str, port: u16| -> Result<PathBuf> {
            let p = scratch.join(format!("{func}-{port}.xml"));
            let port_el = if func == "status" {
                String::new()
            } else {
                "<port><identity>power</identity></port>".into()
            };
            std::fs::write(
                &p,
                format!(
                    "<doc><func>{func}</func><device_params><ip>127.0.0.1:{port}</ip><user>{user}</user><pass>{password}</pass></device_params>{port_el}</doc>"
                ),
            )?;
            Ok(p)
        };
        let handler = |label: &str, func: &str, port: u16, session: bool| -> Result<Case> {
            let mut env = vec![("DCIH_REDFISH_CA_FILE".to_owned(), ca.clone())];
            if session {
                env.push(("DCIH_REDFISH_AUTH".into(), "session".into()));
            }
            Ok(Case {
                label: label.into(),
                program: release.join("redfish-power"),
                args: vec![],
                stdin: Some(request(func, port)?),
                env,
            })
        };
        let curl = |label: &str, port: u16, paths: &[&str], extra: &[&str]| Case {
            label: label.into(),
            program: PathBuf::from("/usr/bin/curl"),
            args: [
                "--silent",
                "--fail",
                "--cacert",
                ca,
                "--user",
                &format!("{user}:{password}"),
            ]
            .into_iter()
            .map(str::to_owned)
            .chain(extra.iter().map(|s| (*s).to_owned()))
            .chain(paths.iter().map(|p| format!("https://127.0.0.1:{port}{p}")))
            .collect(),
            stdin: None,
            env: vec![],
        };
        let venv = crate::testbed::sushy_venv();
        let dmtf = |port: u16| Case {
            label: "python-redfish-library: session, GET system, logout".into(),
            program: venv.join("bin/python3"),
            args: vec![
                "-c".into(),
                format!(
                    "import os, redfish\nc = redfish.redfish_client(base_url='https://127.0.0.1:{port}', username='{user}', password=os.environ['RF_PW'], cafile='{ca}')\nc.login(auth='session')\nprint(c.get('{system}').dict['PowerState'])\nc.logout()\n"
                ),
            ],
            stdin: None,
            env: vec![("RF_PW".into(), password.into())],
        };
        let log_lines = || -> usize {
            std::fs::read_to_string(&log)
                .map(|t| t.lines().filter(|l| l.starts_with("request ")).count())
                .unwrap_or(0)
        };
        preamble(runs, Some("HTTP"));
        print_line("\nstatus (sushy-tools' fake driver, HTTPS on 127.0.0.1)\n");
        print_line("| case | wall | CPU | peak RSS | HTTP requests | TCP connections |");
        print_line("|---|---|---|---|---|---|");
        let cases = [
            (
                handler("redfish-power status (basic)", "status", port, false)?,
                handler("", "status", relay.port, false)?,
            ),
            (
                handler("redfish-power status (session)", "status", port, true)?,
                handler("", "status", relay.port, true)?,
            ),
            (
                curl("curl GET the system", port, &[system], &[]),
                curl("", relay.port, &[system], &[]),
            ),
            (
                curl(
                    "curl GET /redfish/v1/Systems and the system (one curl)",
                    port,
                    &["/redfish/v1/Systems", system],
                    &[],
                ),
                curl("", relay.port, &["/redfish/v1/Systems", system], &[]),
            ),
            (dmtf(port), dmtf(relay.port)),
        ];
        for (c, counted) in &cases {
            let (before, conns) = (log_lines(), relay.connections());
            run_once(counted)?;
            let requests = log_lines() - before;
            let connections = relay.connections() - conns;
            let f = measure(c, runs)?;
            print_line(&format!(
                "| {} | {:.2} ms | {:.2} ms | {:.1} MiB | {requests} | {connections} |",
                c.label,
                f.median_wall.as_secs_f64() * 1e3,
                f.cpu_per_run.as_secs_f64() * 1e3,
                f.peak_rss_kib as f64 / 1024.0
            ));
        }
        print_line(
            "\nport_off to the answer (the emulator follows after about 1 s; on again, untimed, between runs)\n",
        );
        print_line("| case | median wall | HTTP requests | TCP connections |");
        print_line("|---|---|---|---|");
        let reset = format!("{system}/Actions/ComputerSystem.Reset");
        let post = |label: &str, port: u16, kind: &str| {
            curl(
                label,
                port,
                &[&reset],
                &[
                    "-X",
                    "POST",
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    &format!("{{\"ResetType\": \"{kind}\"}}"),
                ],
            )
        };
        let on = handler("on", "port_on", port, false)?;
        for (off, counted) in [
            (
                handler("redfish-power port_off, confirmed", "port_off", port, false)?,
                handler("", "port_off", relay.port, false)?,
            ),
            (
                post(
                    "curl POST ComputerSystem.Reset ForceOff (not confirmed)",
                    port,
                    "ForceOff",
                ),
                post("", relay.port, "ForceOff"),
            ),
        ] {
            let runs = runs.min(5);
            let mut walls = Vec::with_capacity(runs);
            for _ in 0..runs {
                run_once(&on)?;
                let started = Instant::now();
                run_once(&off)?;
                walls.push(started.elapsed());
            }
            walls.sort();
            run_once(&on)?;
            let (before, conns) = (log_lines(), relay.connections());
            run_once(&counted)?;
            print_line(&format!(
                "| {} | {:.1} ms | {} | {} |",
                off.label,
                walls[runs / 2].as_secs_f64() * 1e3,
                log_lines() - before,
                relay.connections() - conns
            ));
        }
        Ok(())
    })();
    drop(bmc.stdin.take());
    let _ = bmc.wait();
    result?;
    print_sizes(&release, &["redfish-power"])
}

/// A TCP relay on 127.0.0.1 that counts the connections made through it.
struct TcpRelay {
    port: u16,
    count: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl TcpRelay {
    fn start(upstream: u16) -> Result<TcpRelay> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counting = count.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                counting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                for (mut from, mut to) in [
                    (client.try_clone(), server.try_clone()),
                    (server.try_clone(), client.try_clone()),
                ]
                .into_iter()
                .filter_map(|(a, b)| Some((a.ok()?, b.ok()?)))
                {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    });
                }
            }
        });
        Ok(TcpRelay { port, count })
    }

    fn connections(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Success rate, median and largest wall time of `cisco-switch status`, `ipmi15 status` and
/// `ipmi20 status` through the tests' fault proxy (`fault-proxy`) losing 10, 20, 30 and 40 % of
/// the datagrams each way, `seeds` seeded runs each, beside `snmpbulkwalk -Cr50` (net-snmp's
/// defaults: 1 s, 5 retries) and `ipmitool` (`-I lan`, `-I lanplus -C 3`) through the same
/// proxies; then the time to the error through a blackhole and to a closed port. Five runs at a
/// time, each with a proxy of its own.
fn faults(seeds: usize) -> Result<()> {
    let b = SnmpBench::prepare(
        "faults",
        &["cisco-switch", "ipmi15", "ipmi20"],
        "seed_switch.py",
    )?;
    cmd!(b.sh, "cargo build --locked -p e2e --bin fault-proxy").run()?;
    b.generate(&["switch", "--ports", "48", "--community", "sw48"])?;
    let proxy_bin = workspace::root().join("target/debug/fault-proxy");
    let (release, scratch) = (&b.release, &b.scratch);
    let ipmi = crate::testbed::start_ipmi_sim(&scratch.join("ipmi"))?;
    let result = b.with_snmpsim(&["cisco-switch", "ipmi15", "ipmi20"], |agent| {
        let net_snmp = net_snmp_env(scratch)?;
        type CaseAt = Box<dyn Fn(u16) -> Result<Case> + Send + Sync>;
        let snmp_doc = "<doc><func>status</func><device_params><ip>127.0.0.1:PORT</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>sw48</snmp_community></device_params></doc>";
        let ipmi_doc = format!("<doc><func>status</func><device_params><ip>127.0.0.1:PORT</ip><user>{IPMI_USER}</user><pass>{IPMI_PASSWORD}</pass></device_params></doc>");
        let handler = |name: &'static str, doc: String| -> CaseAt {
            let (release, doc) = (release.clone(), doc);
            let scratch = scratch.clone();
            Box::new(move |port| {
                let p = scratch.join(format!("{name}-{port}.xml"));
                std::fs::write(&p, doc.replace("PORT", &port.to_string()))?;
                Ok(Case {
                    label: format!("{name} status"),
                    program: release.join(name),
                    args: vec![],
                    stdin: Some(p),
                    env: vec![],
                })
            })
        };
        let ipmitool = |iface: &'static [&'static str]| -> CaseAt {
            Box::new(move |port| {
                Ok(Case {
                    label: format!("ipmitool {} chassis power status", iface.join(" ")),
                    program: PathBuf::from("/usr/bin/ipmitool"),
                    args: iface
                        .iter()
                        .copied()
                        .chain(["-H", "127.0.0.1", "-p", &port.to_string(), "-U", IPMI_USER, "-E", "chassis", "power", "status"])
                        .map(String::from)
                        .collect(),
                    stdin: None,
                    env: vec![("IPMI_PASSWORD".into(), IPMI_PASSWORD.into())],
                })
            })
        };
        let bulkwalk: CaseAt = {
            let env = net_snmp.clone();
            Box::new(move |port| {
                Ok(Case {
                    label: "snmpbulkwalk -Cr50 ifTable (1 s, 5 retries)".into(),
                    program: PathBuf::from("/usr/bin/snmpbulkwalk"),
                    args: ["-v2c", "-c", "sw48", "-Cr50", "-On", "-t", "1", "-r", "5", &format!("127.0.0.1:{port}"), "1.3.6.1.2.1.2.2"]
                        .map(String::from)
                        .to_vec(),
                    stdin: None,
                    env: env.clone(),
                })
            })
        };
        let cases: Vec<(u16, CaseAt)> = vec![
            (agent, handler("cisco-switch", snmp_doc.to_owned())),
            (agent, bulkwalk),
            (ipmi.port, handler("ipmi15", ipmi_doc.clone())),
            (ipmi.port, ipmitool(&["-I", "lan"])),
            (ipmi.port, handler("ipmi20", ipmi_doc.clone())),
            (ipmi.port, ipmitool(&["-I", "lanplus", "-C", "3"])),
        ];
        let proxied = |agent: u16, extra: &[String], case: &CaseAt| -> Result<(bool, Duration)> {
            let mut proxy = Command::new(&proxy_bin)
                .arg(agent.to_string())
                .args(extra)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            let mut line = String::new();
            std::io::BufRead::read_line(
                &mut std::io::BufReader::new(proxy.stdout.take().context("proxy stdout")?),
                &mut line,
            )?;
            let port: u16 = line.trim().parse().context("fault-proxy prints its port")?;
            let c = case(port)?;
            let mut cmd = command(&c)?;
            let started = Instant::now();
            let out = cmd.output()?;
            let wall = started.elapsed();
            drop(proxy.stdin.take());
            let _ = proxy.wait();
            let text = String::from_utf8_lossy(&out.stdout);
            let ok = out.status.success()
                && !text.contains("<error>")
                && (text.contains("<port>") || text.contains("1.3.6.1.2.1.2.2.1.") || text.contains("Chassis Power is"));
            Ok((ok, wall))
        };
        print_line(&format!("\nStatus through the fault proxy, {seeds} seeded runs per cell (successes, median / largest wall time)\n"));
        print_line("| case | 10 % | 20 % | 30 % | 40 % |");
        print_line("|---|---|---|---|---|");
        for (agent_port, case) in &cases {
            let label = case(0)?.label;
            let mut cells = Vec::new();
            for loss in [0.1, 0.2, 0.3, 0.4] {
                let runs: Vec<(bool, Duration)> = (1..=seeds)
                    .collect::<Vec<_>>()
                    .chunks(5)
                    .map(|chunk| {
                        std::thread::scope(|sc| {
                            let hs: Vec<_> = chunk
                                .iter()
                                .map(|seed| {
                                    let extra = vec!["--seed".to_owned(), seed.to_string(), "--loss".to_owned(), loss.to_string()];
                                    sc.spawn(move || proxied(*agent_port, &extra, case))
                                })
                                .collect();
                            hs.into_iter().map(|h| h.join().expect("a run")).collect::<Result<Vec<_>>>()
                        })
                    })
                    .collect::<Result<Vec<Vec<_>>>>()?
                    .into_iter()
                    .flatten()
                    .collect();
                let ok = runs.iter().filter(|(ok, _)| *ok).count();
                let mut walls: Vec<Duration> = runs.iter().map(|(_, w)| *w).collect();
                walls.sort();
                cells.push(format!(
                    "{ok}/{} · {:.1} / {:.1} s",
                    runs.len(),
                    walls[walls.len() / 2].as_secs_f64(),
                    walls[walls.len() - 1].as_secs_f64()
                ));
            }
            print_line(&format!("| {label} | {} |", cells.join(" | ")));
        }
        print_line("\nTime to the error: a blackhole (everything lost), and a closed port\n");
        print_line("| case | blackhole | closed port |");
        print_line("|---|---|---|");
        let closed = std::net::UdpSocket::bind("127.0.0.1:0")?.local_addr()?.port();
        for (agent_port, case) in &cases {
            let (_, hole) = proxied(*agent_port, &["--blackhole".to_owned()], case)?;
            let c = case(closed)?;
            let mut cmd = command(&c)?;
            let started = Instant::now();
            let _ = cmd.output()?;
            print_line(&format!(
                "| {} | {:.2} s | {:.3} s |",
                c.label,
                hole.as_secs_f64(),
                started.elapsed().as_secs_f64()
            ));
        }
        Ok(())
    });
    crate::testbed::kill_group(ipmi.pid)?;
    result
}

/// The CPU time of this process's waited-for children so far.
fn children_cpu() -> Duration {
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or(Duration::ZERO, |u| {
        let d = |t: nix::sys::time::TimeVal| {
            Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
        };
        d(u.user_time()) + d(u.system_time())
    })
}

/// The measuring child: `bench-child RUNS STDIN|- PROGRAM ARGS…`. Prints
/// `median_wall_ns cpu_per_run_ns peak_rss_kib failed_runs` (a run fails when it exits
/// non-zero or writes nothing: the seed's switch handler does at 384 ports).
pub fn child(args: &[String]) -> Result<()> {
    let [runs, stdin, program, rest @ ..] = args else {
        bail!("bench-child RUNS STDIN PROGRAM ARGS…")
    };
    let runs: usize = runs.parse()?;
    let mut walls = Vec::with_capacity(runs);
    let mut failed = 0;
    for _ in 0..runs {
        let input = if stdin == "-" {
            Stdio::piped()
        } else {
            Stdio::from(std::fs::File::open(stdin)?)
        };
        let started = Instant::now();
        let out = Command::new(program)
            .args(rest)
            .stdin(input)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()?;
        walls.push(started.elapsed());
        if out.stdout.is_empty() || !out.status.success() {
            failed += 1;
        }
    }
    walls.sort();
    let u = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let tv_ns = |t: nix::sys::time::TimeVal| t.tv_sec() * 1_000_000_000 + t.tv_usec() * 1_000;
    let cpu = (tv_ns(u.user_time()) + tv_ns(u.system_time())) / runs as i64;
    print_line(&format!(
        "{} {} {} {failed}",
        walls[runs / 2].as_nanos(),
        cpu,
        u.max_rss()
    ));
    Ok(())
}

#[allow(clippy::print_stdout)]
fn print_line(s: &str) {
    println!("{s}");
}

/// What the SNMP benches share: the test bed installed; `packages` built (release, musl) and
/// the recording generator; the seed's peer handler and Debian's python3 to run it; an empty
/// scratch folder `target/bench/NAME` whose `data` folder takes the recordings.
struct SnmpBench {
    sh: Shell,
    release: PathBuf,
    seed: PathBuf,
    python: PathBuf,
    scratch: PathBuf,
    data: PathBuf,
    generator: PathBuf,
}

impl SnmpBench {
    fn prepare(name: &str, packages: &[&str], seed: &str) -> Result<SnmpBench> {
        let (sh, release) = built(packages)?;
        let root = workspace::root();
        cmd!(sh, "cargo build --locked -p e2e --bin gen-recording").run()?;
        let scratch = root.join("target/bench").join(name);
        let data = scratch.join("data");
        fresh_dir(&data)?;
        Ok(SnmpBench {
            release,
            seed: peer(&root, seed)?,
            python: python3_with_pysnmp()?,
            generator: root.join("target/debug/gen-recording"),
            scratch,
            data,
            sh,
        })
    }

    /// Writes a recording into `data`: `gen-recording ARGS… DATA`.
    fn generate(&self, args: &[&str]) -> Result<()> {
        let (generator, data) = (&self.generator, &self.data);
        cmd!(self.sh, "{generator} {args...} {data}").run()?;
        Ok(())
    }

    /// Runs `measure` with snmpsim serving `data` (its port given), stops snmpsim, then
    /// prints the size of each release binary of `sizes`.
    fn with_snmpsim(&self, sizes: &[&str], measure: impl FnOnce(u16) -> Result<()>) -> Result<()> {
        let agent =
            crate::testbed::start_snmpsim(&self.scratch, &self.data, Duration::from_secs(60))?;
        let result = measure(agent.port);
        crate::testbed::kill_group(agent.pid)?;
        result?;
        print_sizes(&self.release, sizes)
    }
}

fn switch(runs: usize) -> Result<()> {
    let b = SnmpBench::prepare("switch", &["cisco-switch"], "seed_switch.py")?;
    let exe = b.release.join("cisco-switch");
    for (ports, community) in [("48", "sw48"), ("384", "sw384")] {
        // Plain values only: the seed's handler raises on anything it cannot map.
        b.generate(&[
            "switch",
            "--ports",
            ports,
            "--plain",
            "--community",
            community,
        ])?;
    }
    b.with_snmpsim(&["cisco-switch"], |agent| {
        preamble(runs, Some("SNMP"));
        let relay = Relay::start(agent)?;
        for (ports, community) in [(48, "sw48"), (384, "sw384")] {
            print_line(&format!(
                "\n{ports} ports (snmpsim, at most 64 values per answer)\n"
            ));
            counted_table("SNMP", runs, agent, &relay, |port| {
                switch_cases(&b.scratch, &exe, &b.python, &b.seed, community, port)
            })?;
        }
        Ok(())
    })
}

/// The columns `cisco-switch status` walks on a Catalyst: ifTable's, portTable's, Cisco's VLAN
/// columns.
const CISCO_STATUS_COLUMNS: &[&str] = &[
    "1.3.6.1.2.1.2.2.1.2",
    "1.3.6.1.2.1.2.2.1.7",
    "1.3.6.1.2.1.2.2.1.8",
    "1.3.6.1.4.1.9.5.1.4.1.1.11",
    "1.3.6.1.4.1.9.5.1.4.1.1.9",
    "1.3.6.1.4.1.9.5.1.4.1.1.10",
    "1.3.6.1.4.1.9.9.68.1.2.2.1.2",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.13",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.14",
    "1.3.6.1.4.1.9.9.46.1.6.1.1.16",
    "1.3.6.1.4.1.9.9.46.1.3.1.1.4",
];

/// The columns `snmp-switch status` walks: ifTable's, BRIDGE-MIB's port map, Q-BRIDGE's PVID
/// and static VLAN table.
const QBRIDGE_STATUS_COLUMNS: &[&str] = &[
    "1.3.6.1.2.1.2.2.1.2",
    "1.3.6.1.2.1.2.2.1.7",
    "1.3.6.1.2.1.2.2.1.8",
    "1.3.6.1.2.1.17.1.4.1.2",
    "1.3.6.1.2.1.17.7.1.4.5.1.1",
    "1.3.6.1.2.1.17.7.1.4.3.1.1",
    "1.3.6.1.2.1.17.7.1.4.3.1.2",
    "1.3.6.1.2.1.17.7.1.4.3.1.4",
];

fn mac(runs: usize) -> Result<()> {
    let b = SnmpBench::prepare("mac", &["cisco-switch", "snmp-switch"], "seed_switch.py")?;
    b.generate(&[
        "vlans",
        "qbridge",
        "--ports",
        "48",
        "--vlans",
        "6",
        "--macs",
        "42",
        "--community",
        "qb48",
    ])?;
    b.generate(&[
        "vlans",
        "cisco",
        "--ports",
        "48",
        "--vlans",
        "41",
        "--macs",
        "37",
        "--community",
        "cat48",
    ])?;
    let vlans: Vec<String> = std::fs::read_dir(&b.data)?
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            let vlan = name
                .strip_prefix("cat48@")?
                .strip_suffix(".snmprec")?
                .to_owned();
            // The suspended and FDDI VLANs' files are served but never read.
            (vlan != "40" && vlan != "1002").then_some(vlan)
        })
        .collect();
    let (release, scratch) = (&b.release, &b.scratch);
    let mac_list = |handler: &str, community: &str, port: u16| -> Result<Case> {
        let path = scratch.join(format!("mac-{community}-{port}.xml"));
        std::fs::write(
            &path,
            format!(
                "<doc><func>mac_list</func><device_params><ip>127.0.0.1:{port}</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>{community}</snmp_community></device_params></doc>"
            ),
        )?;
        Ok(Case {
            label: format!("{handler} mac_list"),
            program: release.join(handler),
            args: vec![],
            stdin: Some(path),
            env: vec![],
        })
    };
    b.with_snmpsim(&["cisco-switch", "snmp-switch"], |agent| {
        preamble(runs, Some("SNMP"));
        let relay = Relay::start(agent)?;
        print_line("\n48-port Q-BRIDGE switch, 2,016 learned MACs (snmpsim, at most 64 values per answer)\n");
        counted_table("SNMP", runs, agent, &relay, |port| {
            Ok(vec![
                mac_list("snmp-switch", "qb48", port)?,
                Case {
                    label: "snmpbulkwalk -Cr50 dot1qTpFdbPort".into(),
                    program: PathBuf::from("/usr/bin/snmpbulkwalk"),
                    args: ["-v2c", "-c", "qb48", "-Cr50", "-On", &format!("127.0.0.1:{port}"), "1.3.6.1.2.1.17.7.1.2.2.1.2"]
                        .map(String::from)
                        .to_vec(),
                    stdin: None,
                    env: net_snmp_env(scratch)?,
                },
            ])
        })?;
        drop(relay);
        let far = Relay::start_with_delay(agent, Duration::from_millis(20))?;
        print_line(&format!(
            "\nCatalyst, 48 ports, {} VLANs in use, about 1,500 MACs, every datagram held 20 ms each way by a relay\n",
            vlans.len()
        ));
        print_line("| case | wall | CPU | peak RSS | SNMP requests |");
        print_line("|---|---|---|---|---|");
        let target = format!("127.0.0.1:{}", far.port);
        let walks: Vec<String> = vlans
            .iter()
            .flat_map(|v| {
                ["1.3.6.1.2.1.17.1.4.1.2", "1.3.6.1.2.1.17.4.3.1.2"].map(|column| {
                    format!("/usr/bin/snmpbulkwalk -v2c -c cat48@{v} -Cr50 -On {target} {column}")
                })
            })
            .collect();
        let cases = [
            mac_list("cisco-switch", "cat48", far.port)?,
            Case {
                label: format!("snmpbulkwalk -Cr50 per VLAN, one after another ({} walks)", walks.len()),
                program: PathBuf::from("/bin/sh"),
                args: vec!["-c".into(), walks.join("; ")],
                stdin: None,
                env: net_snmp_env(scratch)?,
            },
        ];
        for c in &cases {
            let requests = far.count(|| run_once(c))?;
            let f = measure(c, runs)?;
            print_line(&row(&c.label, &f, Some(requests)));
        }
        Ok(())
    })
}

/// Where `set_vlan` puts a port: (VLAN, trunk, trunk members).
type Place<'a> = (u16, bool, &'a str);

fn vlan(runs: usize) -> Result<()> {
    let b = SnmpBench::prepare("vlan", &["cisco-switch", "snmp-switch"], "seed_switch.py")?;
    b.generate(&["switch", "--ports", "48", "--community", "sw48"])?;
    b.generate(&[
        "switch",
        "--ports",
        "48",
        "--no-port-table",
        "--community",
        "if48",
    ])?;
    for (kind, community) in [("cisco", "cat48"), ("qbridge", "qb48")] {
        b.generate(&[
            "vlans",
            kind,
            "--ports",
            "48",
            "--vlans",
            "20",
            "--community",
            community,
        ])?;
    }
    let (release, scratch) = (&b.release, &b.scratch);
    b.with_snmpsim(&["cisco-switch", "snmp-switch"], |agent| {
        preamble(runs, Some("SNMP"));
        let relay = Relay::start(agent)?;
        for (title, handler, with, without, columns) in [
            ("48-port Catalyst, 8 trunks, 20 VLANs", "cisco-switch", "cat48", "sw48", CISCO_STATUS_COLUMNS),
            ("48-port Q-BRIDGE switch, 8 trunks, 20 VLANs", "snmp-switch", "qb48", "if48", QBRIDGE_STATUS_COLUMNS),
        ] {
            print_line(&format!("\n{title} (snmpsim, at most 64 values per answer)\n"));
            counted_table("SNMP", runs, agent, &relay, |port| {
                let target = format!("127.0.0.1:{port}");
                let request = |community: &str| {
                    snmp_status_request(&scratch.join(format!("{community}-{port}.xml")), &target, "v2c", community)
                };
                let walks: Vec<String> = columns
                    .iter()
                    .map(|c| format!("/usr/bin/snmpbulkwalk -v2c -c {with} -Cr50 -On {target} {c}"))
                    .collect();
                Ok(vec![
                    Case {
                        label: format!("{handler} status"),
                        program: release.join(handler),
                        args: vec![],
                        stdin: Some(request(with)?),
                        env: vec![],
                    },
                    Case {
                        label: format!("{handler} status, same switch without VLAN tables"),
                        program: release.join(handler),
                        args: vec![],
                        stdin: Some(request(without)?),
                        env: vec![],
                    },
                    Case {
                        label: format!("snmpbulkwalk -Cr50 of the same {} columns, one after another", columns.len()),
                        program: PathBuf::from("/bin/sh"),
                        args: vec!["-c".into(), walks.join("; ")],
                        stdin: None,
                        env: net_snmp_env(scratch)?,
                    },
                ])
            })?;
        }
        print_line("\nset_vlan to the confirmed answer (the switch follows at once; the port is moved back, untimed, between runs)\n");
        print_line("| case | median wall | SNMP requests |");
        print_line("|---|---|---|");
        // (handler, community, port, there, back), each place (vlan, trunk, members)
        let moves: [(&str, &str, u32, Place, Place); 4] = [
            ("cisco-switch", "cat48", 10101, (20, false, ""), (10, false, "")),
            ("cisco-switch", "cat48", 10102, (100, true, "10,30"), (20, false, "")),
            ("snmp-switch", "qb48", 10101, (20, false, ""), (10, false, "")),
            ("snmp-switch", "qb48", 10102, (100, true, "10,30"), (20, false, "")),
        ];
        for (handler, community, identity, there, back) in moves {
            let case = |port: u16, (vlan, trunk, members): Place| -> Result<Case> {
                let path = scratch.join(format!("set-{community}-{identity}-{vlan}-{port}.xml"));
                let is_trunk = if trunk { "on" } else { "off" };
                std::fs::write(
                    &path,
                    format!(
                        "<doc><func>set_vlan</func><device_params><ip>127.0.0.1:{port}</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>{community}</snmp_community></device_params><port><identity>{identity}</identity><vlan_id>{vlan}</vlan_id><is_trunk>{is_trunk}</is_trunk><trunk_members>{members}</trunk_members></port></doc>"
                    ),
                )?;
                Ok(Case {
                    label: format!("{handler} set_vlan {identity} {vlan}{}", if trunk { format!(" trunk {members}") } else { " access".into() }),
                    program: release.join(handler),
                    args: vec![],
                    stdin: Some(path),
                    env: vec![],
                })
            };
            let (go, home) = (case(agent, there)?, case(agent, back)?);
            // A move that does not answer with the port is no figure.
            for c in [&go, &home] {
                let out = command(c)?.output()?;
                let doc = String::from_utf8_lossy(&out.stdout);
                if !doc.contains("<vlan_id>") {
                    bail!("{}: {doc}", c.label);
                }
            }
            let mut walls = Vec::with_capacity(runs);
            for _ in 0..runs {
                let started = Instant::now();
                run_once(&go)?;
                walls.push(started.elapsed());
                run_once(&home)?;
            }
            walls.sort();
            let requests = relay.count(|| run_once(&case(relay.port, there)?))?;
            run_once(&home)?;
            print_line(&format!(
                "| {} | {:.2} ms | {requests} |",
                go.label,
                walls[runs / 2].as_secs_f64() * 1e3
            ));
        }
        Ok(())
    })
}

/// The PDU handlers `bench pdu` measures.
const PDU_HANDLERS: &[&str] = &[
    "apc-pdu",
    "ibm-blade-pdu",
    "rpcm-pdu",
    "eaton-pdu",
    "raritan-pdu",
    "servertech-pdu",
];

/// The profile handlers' status cases: title, handler, community, and the state column
/// snmpbulkwalk walks for comparison.
const PROFILE_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "24-outlet Eaton ePDU",
        "eaton-pdu",
        "eaton24",
        "1.3.6.1.4.1.534.6.6.7.6.6.1.2",
    ),
    (
        "24-outlet Raritan PX3",
        "raritan-pdu",
        "raritan24",
        "1.3.6.1.4.1.13742.6.4.1.2.1.3",
    ),
    (
        "24-outlet ServerTech Sentry4",
        "servertech-pdu",
        "sentry4_24",
        "1.3.6.1.4.1.1718.4.1.8.3.1.1",
    ),
];

fn pdu(runs: usize, before: Option<PathBuf>) -> Result<()> {
    let b = SnmpBench::prepare("pdu", PDU_HANDLERS, "seed_blade.py")?;
    for (kind, community) in [
        ("eaton", "eaton24"),
        ("raritan", "raritan24"),
        ("sentry4", "sentry4_24"),
    ] {
        b.generate(&["pdu", kind, "--ports", "24", "--community", community])?;
    }
    b.generate(&["pdu", "apc", "--ports", "24", "--community", "apc24"])?;
    b.generate(&["pdu", "rpcm", "--ports", "24", "--community", "rpcm24"])?;
    b.generate(&["pdu", "blade", "--ports", "14", "--community", "bc14"])?;
    let (release, scratch) = (&b.release, &b.scratch);
    // The binaries of a handler measured: this build's, and `before`'s (labelled so) for the
    // handlers that existed before the move to profiles.
    let builds = |handler: &str| -> Vec<(&'static str, PathBuf)> {
        let mut out = vec![("", release.join(handler))];
        if let Some(dir) = before
            .as_ref()
            .filter(|_| ["apc-pdu", "rpcm-pdu"].contains(&handler))
        {
            out.push((" (before)", dir.join(handler)));
        }
        out
    };
    // Each case, and its twin from `before` where there is one.
    let twins = |cases: Vec<Case>| -> Vec<Case> {
        let mut out = Vec::new();
        for c in cases {
            let name = c
                .program
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let earlier: Vec<Case> = builds(&name)
                .into_iter()
                .skip(1)
                .map(|(suffix, program)| Case {
                    label: format!("{}{suffix}", c.label),
                    program,
                    ..c.clone()
                })
                .collect();
            out.push(c);
            out.extend(earlier);
        }
        out
    };
    b.with_snmpsim(PDU_HANDLERS, |agent| {
        preamble(runs, Some("SNMP"));
        let relay = Relay::start(agent)?;
        for (title, which) in [
            ("24-outlet APC rPDU2 (metered), SNMP v2c", "apc"),
            ("24-output RPCM, SNMP v2c", "rpcm"),
            ("14-bay BladeCenter, SNMP v1", "blade"),
        ] {
            print_line(&format!("\n{title} (snmpsim)\n"));
            counted_table("SNMP", runs, agent, &relay, |port| {
                Ok(twins(pdu_cases(scratch, release, &b.python, &b.seed, which, port)?))
            })?;
        }
        // The handlers that are only profiles: status against a walk of the state column.
        for (title, handler, community, column) in PROFILE_CASES {
            print_line(&format!("\n{title}, SNMP v2c (snmpsim)\n"));
            counted_table("SNMP", runs, agent, &relay, |port| {
                let target = format!("127.0.0.1:{port}");
                Ok(vec![
                    Case {
                        label: format!("{handler} status"),
                        program: release.join(handler),
                        args: vec![],
                        stdin: Some(snmp_status_request(
                            &scratch.join(format!("{community}-{port}.xml")),
                            &target,
                            "v2c",
                            community,
                        )?),
                        env: vec![],
                    },
                    Case {
                        label: format!("snmpbulkwalk -Cr50 {column}"),
                        program: PathBuf::from("/usr/bin/snmpbulkwalk"),
                        args: ["-v2c", "-c", community, "-Cr50", "-On", &target, column]
                            .map(String::from)
                            .to_vec(),
                        stdin: None,
                        env: net_snmp_env(scratch)?,
                    },
                ])
            })?;
        }
        // port_off to the confirmed answer, on an outlet that follows at once.
        print_line("\nport_off of the first outlet to the confirmed answer (it follows at once; switched back on, untimed, between runs)\n");
        print_line("| case | median wall | SNMP requests |");
        print_line("|---|---|---|");
        for (handler, community, outlet) in [
            ("apc-pdu", "apc24", "1"),
            ("rpcm-pdu", "rpcm24", "1"),
            ("eaton-pdu", "eaton24", "1"),
            ("raritan-pdu", "raritan24", "1"),
            ("servertech-pdu", "sentry4_24", "1.1.1"),
        ] {
            let request = |func: &str, port: u16| -> Result<PathBuf> {
                let p = scratch.join(format!("{community}-{func}-{port}.xml"));
                std::fs::write(
                    &p,
                    format!(
                        "<doc><func>{func}</func><device_params><ip>127.0.0.1:{port}</ip><snmp_ver>SNMP v2c</snmp_ver><snmp_community>{community}</snmp_community></device_params><port><identity>{outlet}</identity></port></doc>"
                    ),
                )?;
                Ok(p)
            };
            for (suffix, program) in builds(handler) {
                let case = |func: &str, port: u16| -> Result<Case> {
                    Ok(Case {
                        label: format!("{handler} {func} {outlet}{suffix}"),
                        program: program.clone(),
                        args: vec![],
                        stdin: Some(request(func, port)?),
                        env: vec![],
                    })
                };
                let (on, off) = (case("port_on", agent)?, case("port_off", agent)?);
                let off_relay = case("port_off", relay.port)?;
                let mut walls = Vec::with_capacity(runs);
                for _ in 0..runs {
                    run_once(&on)?;
                    let started = Instant::now();
                    run_once(&off)?;
                    walls.push(started.elapsed());
                }
                walls.sort();
                run_once(&on)?;
                let requests = relay.count(|| run_once(&off_relay))?;
                run_once(&on)?;
                print_line(&format!(
                    "| {} | {:.2} ms | {requests} |",
                    off.label,
                    walls[runs / 2].as_secs_f64() * 1e3
                ));
            }
        }
        Ok(())
    })
}

/// Our PDU handler's status, the seed's (BladeCenter only) and net-snmp's walk, against `port`.
fn pdu_cases(
    scratch: &Path,
    release: &Path,
    python: &Path,
    seed: &Path,
    which: &str,
    port: u16,
) -> Result<Vec<Case>> {
    let net_snmp_env = net_snmp_env(scratch)?;
    let request = |name: &str, ip: &str, version: &str, community: &str| {
        snmp_status_request(
            &scratch.join(format!("{name}-{port}.xml")),
            ip,
            version,
            community,
        )
    };
    let target = format!("127.0.0.1:{port}");
    if which == "rpcm" {
        return Ok(vec![
            Case {
                label: "rpcm-pdu status".into(),
                program: release.join("rpcm-pdu"),
                args: vec![],
                stdin: Some(request("rpcm", &target, "v2c", "rpcm24")?),
                env: vec![],
            },
            Case {
                label: "snmpbulkwalk -Cr50 the output state column".into(),
                program: PathBuf::from("/usr/bin/snmpbulkwalk"),
                args: [
                    "-v2c",
                    "-c",
                    "rpcm24",
                    "-Cr50",
                    "-On",
                    &target,
                    "1.3.6.1.4.1.46235.2.4.2.1.4",
                ]
                .map(String::from)
                .to_vec(),
                stdin: None,
                env: net_snmp_env,
            },
        ]);
    }
    Ok(if which == "apc" {
        vec![
            Case {
                label: "apc-pdu status".into(),
                program: release.join("apc-pdu"),
                args: vec![],
                stdin: Some(request("apc", &target, "v2c", "apc24")?),
                env: vec![],
            },
            Case {
                label: "snmpbulkwalk -Cr50 rPDU2OutletSwitchedStatusTable".into(),
                program: PathBuf::from("/usr/bin/snmpbulkwalk"),
                args: [
                    "-v2c",
                    "-c",
                    "apc24",
                    "-Cr50",
                    "-On",
                    &target,
                    "1.3.6.1.4.1.318.1.1.26.9.2.3",
                ]
                .map(String::from)
                .to_vec(),
                stdin: None,
                env: net_snmp_env,
            },
        ]
    } else {
        vec![
            Case {
                label: "ibm-blade-pdu status".into(),
                program: release.join("ibm-blade-pdu"),
                args: vec![],
                stdin: Some(request("bc", &target, "v1", "bc14")?),
                env: vec![],
            },
            Case {
                label: "seed_blade.py status".into(),
                program: python.to_owned(),
                args: vec![seed.to_string_lossy().into_owned()],
                // The seed takes the address without a port, and the port from SNMP_PORT.
                stdin: Some(request("bc-seed", "127.0.0.1", "v1", "bc14")?),
                env: vec![("SNMP_PORT".into(), port.to_string())],
            },
            Case {
                label: "snmpwalk -v1 bladeSystemStatusTable".into(),
                program: PathBuf::from("/usr/bin/snmpwalk"),
                args: [
                    "-v1",
                    "-c",
                    "bc14",
                    "-On",
                    &target,
                    "1.3.6.1.4.1.2.3.51.2.22.1.5.1.1",
                ]
                .map(String::from)
                .to_vec(),
                stdin: None,
                env: net_snmp_env,
            },
        ]
    })
}

/// Our handler, the seed's, and net-snmp's walk of ifTable, all against `port`.
fn switch_cases(
    scratch: &Path,
    exe: &Path,
    python: &Path,
    seed: &Path,
    community: &str,
    port: u16,
) -> Result<Vec<Case>> {
    let target = format!("127.0.0.1:{port}");
    let ours = snmp_status_request(
        &scratch.join(format!("{community}-{port}-ours.xml")),
        &target,
        "v2c",
        community,
    )?;
    // The seed takes the address without a port, and the port from SNMP_PORT.
    let theirs = snmp_status_request(
        &scratch.join(format!("{community}-{port}-seed.xml")),
        "127.0.0.1",
        "v2c",
        community,
    )?;
    Ok(vec![
        Case {
            label: "cisco-switch status".into(),
            program: exe.to_owned(),
            args: vec![],
            stdin: Some(ours),
            env: vec![],
        },
        Case {
            label: "seed_switch.py status".into(),
            program: python.to_owned(),
            args: vec![seed.to_string_lossy().into_owned()],
            stdin: Some(theirs),
            env: vec![("SNMP_PORT".into(), port.to_string())],
        },
        Case {
            label: "snmpbulkwalk -Cr50 ifTable".into(),
            program: PathBuf::from("/usr/bin/snmpbulkwalk"),
            args: [
                "-v2c",
                "-c",
                community,
                "-Cr50",
                "-On",
                &target,
                "1.3.6.1.2.1.2.2",
            ]
            .map(String::from)
            .to_vec(),
            stdin: None,
            env: net_snmp_env(scratch)?,
        },
    ])
}

/// The process of a case: its program, arguments and environment, its request file (or
/// nothing) on stdin.
fn command(c: &Case) -> Result<Command> {
    let input = match &c.stdin {
        Some(p) => Stdio::from(std::fs::File::open(p)?),
        None => Stdio::null(),
    };
    let mut cmd = Command::new(&c.program);
    cmd.args(&c.args)
        .envs(c.env.iter().map(|(k, v)| (k, v)))
        .stdin(input);
    Ok(cmd)
}

fn run_once(c: &Case) -> Result<()> {
    command(c)?
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    Ok(())
}

/// A UDP relay on 127.0.0.1 in front of an agent, counting the datagrams clients send, with a
/// socket of its own towards the agent for each client (address and port), so that clients
/// with several sockets at once (per-VLAN sessions) get their own answers; `delay` holds each
/// datagram that long in each direction (a switch further away).
struct Relay {
    port: u16,
    requests: std::sync::Arc<std::sync::atomic::AtomicU64>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Relay {
    fn start(agent_port: u16) -> Result<Relay> {
        Relay::start_with_delay(agent_port, Duration::ZERO)
    }

    fn start_with_delay(agent_port: u16, delay: Duration) -> Result<Relay> {
        use std::collections::HashMap;
        use std::net::{SocketAddr, UdpSocket};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
        let front = Arc::new(UdpSocket::bind("127.0.0.1:0")?);
        let tick = Some(Duration::from_millis(50));
        front.set_read_timeout(tick)?;
        let port = front.local_addr()?.port();
        let requests = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (req, stop1) = (requests.clone(), stop.clone());
        // Sends `bytes` on `sock` after the delay, without holding up the relay.
        let later = move |sock: Arc<UdpSocket>, bytes: Vec<u8>, to: Option<SocketAddr>| {
            let send = move || {
                let _ = match to {
                    Some(to) => sock.send_to(&bytes, to),
                    None => sock.send(&bytes),
                };
            };
            if delay.is_zero() {
                send();
            } else {
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    send();
                });
            }
        };
        let relay = std::thread::spawn(move || {
            let mut backs: HashMap<SocketAddr, Arc<UdpSocket>> = HashMap::new();
            let mut downs = Vec::new();
            let mut buf = vec![0u8; 65_536];
            while !stop1.load(Ordering::Relaxed) {
                let Ok((n, from)) = front.recv_from(&mut buf) else {
                    continue;
                };
                req.fetch_add(1, Ordering::Relaxed);
                let back = match backs.get(&from) {
                    Some(b) => b.clone(),
                    None => {
                        let Ok(b) = UdpSocket::bind("127.0.0.1:0") else {
                            continue;
                        };
                        if b.connect(("127.0.0.1", agent_port)).is_err()
                            || b.set_read_timeout(tick).is_err()
                        {
                            continue;
                        }
                        let b = Arc::new(b);
                        let (b2, front2, stop2) = (b.clone(), front.clone(), stop1.clone());
                        downs.push(std::thread::spawn(move || {
                            let mut buf = vec![0u8; 65_536];
                            while !stop2.load(Ordering::Relaxed) {
                                if let Ok(n) = b2.recv(&mut buf) {
                                    later(front2.clone(), buf[..n].to_vec(), Some(from));
                                }
                            }
                        }));
                        backs.insert(from, b.clone());
                        b
                    }
                };
                later(back, buf[..n].to_vec(), None);
            }
            for d in downs {
                let _ = d.join();
            }
        });
        Ok(Relay {
            port,
            requests,
            stop,
            threads: vec![relay],
        })
    }

    /// Runs `f` and returns how many requests passed the relay meanwhile.
    fn count(&self, f: impl FnOnce() -> Result<()>) -> Result<u64> {
        use std::sync::atomic::Ordering;
        let before = self.requests.load(Ordering::Relaxed);
        f()?;
        Ok(self.requests.load(Ordering::Relaxed) - before)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// The test bed installed and `packages` built (release, musl): a shell in the workspace and
/// the folder of the binaries.
fn built(packages: &[&str]) -> Result<(Shell, PathBuf)> {
    let sh = Shell::new()?;
    let root = workspace::root();
    sh.change_dir(&root);
    crate::testbed::install(&sh)?;
    let packages: Vec<String> = packages.iter().map(|p| format!("--package={p}")).collect();
    cmd!(
        sh,
        "cargo build --release --locked --target {MUSL} {packages...}"
    )
    .run()?;
    Ok((sh, root.join("target").join(MUSL).join("release")))
}

/// The test bed's administrator (tests/fixtures/ipmi/lan.conf).
const IPMI_USER: &str = "admin";
const IPMI_PASSWORD: &str = "admin-pw-1";

fn ipmi(runs: usize) -> Result<()> {
    let (sh, release) = built(&["ipmi15", "ipmi20"])?;
    let root = workspace::root();
    let scratch = root.join("target/bench/ipmi");
    fresh_dir(&scratch)?;
    let agent = crate::testbed::start_ipmi_sim(&scratch)?;
    let result = (|| -> Result<()> {
        preamble(runs, Some("UDP"));
        let relay = Relay::start(agent.port)?;
        counted_table("UDP", runs, agent.port, &relay, |port| {
            ipmi_cases(&scratch, &release, port)
        })
    })();
    crate::testbed::kill_group(agent.pid)?;
    result?;
    suite17(&sh, &release, &scratch, runs)?;
    print_sizes(&release, &["ipmi15", "ipmi20"])
}

/// `ipmi20` on cipher suite 17 against the tests' BMC (`test-bmc`, which ipmitool -C 17 proves),
/// beside `ipmitool -I lanplus -C 17`: `status` (negotiated, and pinned with DCIH_IPMI_CIPHER),
/// then a `port_off` confirmed by reading back, against ipmitool's `chassis power off` (which
/// does not read back); the power is switched on again, untimed, between runs.
fn suite17(sh: &Shell, release: &Path, scratch: &Path, runs: usize) -> Result<()> {
    cmd!(sh, "cargo build --locked -p e2e --bin test-bmc").run()?;
    let mut bmc = std::process::Command::new(workspace::root().join("target/debug/test-bmc"))
        .env("TEST_BMC_PASSWORD", IPMI_PASSWORD)
        .args(["--user", IPMI_USER])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("starting test-bmc")?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(bmc.stdout.take().context("test-bmc's stdout")?),
        &mut line,
    )?;
    let bmc_port: u16 = line.trim().parse().context("test-bmc prints its port")?;
    let result = (|| -> Result<()> {
        print_line("\nCipher suite 17 against the tests' BMC (tests/src/bmc.rs)\n");
        let relay = Relay::start(bmc_port)?;
        let request = |func: &str, port: u16| -> Result<PathBuf> {
            let p = scratch.join(format!("s17-{func}-{port}.xml"));
            let port_el = if func == "status" {
                String::new()
            } else {
                "<port><identity>power</identity></port>".into()
            };
            std::fs::write(
                &p,
                format!(
                    "<doc><func>{func}</func><device_params><ip>127.0.0.1:{port}</ip><user>{IPMI_USER}</user><pass>{IPMI_PASSWORD}</pass></device_params>{port_el}</doc>"
                ),
            )?;
            Ok(p)
        };
        let ipmitool = |label: &str, port: u16, what: &[&str]| Case {
            label: label.into(),
            program: PathBuf::from("/usr/bin/ipmitool"),
            args: [
                "-I",
                "lanplus",
                "-C",
                "17",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ]
            .into_iter()
            .chain(["-U", IPMI_USER, "-E", "chassis", "power"])
            .chain(what.iter().copied())
            .map(String::from)
            .collect(),
            stdin: None,
            env: vec![("IPMI_PASSWORD".into(), IPMI_PASSWORD.into())],
        };
        let handler = |label: &str, func: &str, port: u16, pinned: bool| -> Result<Case> {
            Ok(Case {
                label: label.into(),
                program: release.join("ipmi20"),
                args: vec![],
                stdin: Some(request(func, port)?),
                env: if pinned {
                    vec![("DCIH_IPMI_CIPHER".into(), "17".into())]
                } else {
                    vec![]
                },
            })
        };
        counted_table("UDP", runs, bmc_port, &relay, |port| {
            Ok(vec![
                handler(
                    "ipmi20 status (suite negotiated: 17)",
                    "status",
                    port,
                    false,
                )?,
                handler("ipmi20 status (DCIH_IPMI_CIPHER=17)", "status", port, true)?,
                ipmitool(
                    "ipmitool -I lanplus -C 17 chassis power status",
                    port,
                    &["status"],
                ),
            ])
        })?;
        print_line("\nport_off to the answer (on again, untimed, between runs)\n");
        print_line("| case | median wall | CPU | UDP requests |");
        print_line("|---|---|---|---|");
        let on = ipmitool("on", bmc_port, &["on"]);
        for (off, off_relay) in [
            (
                handler(
                    "ipmi20 port_off, confirmed (negotiated)",
                    "port_off",
                    bmc_port,
                    false,
                )?,
                handler("", "port_off", relay.port, false)?,
            ),
            (
                handler(
                    "ipmi20 port_off, confirmed (DCIH_IPMI_CIPHER=17)",
                    "port_off",
                    bmc_port,
                    true,
                )?,
                handler("", "port_off", relay.port, true)?,
            ),
            (
                ipmitool(
                    "ipmitool -C 17 chassis power off (not confirmed)",
                    bmc_port,
                    &["off"],
                ),
                ipmitool("", relay.port, &["off"]),
            ),
        ] {
            let mut walls = Vec::with_capacity(runs);
            let mut cpu = Duration::ZERO;
            for _ in 0..runs {
                run_once(&on)?;
                let before = children_cpu();
                let started = Instant::now();
                run_once(&off)?;
                walls.push(started.elapsed());
                cpu += children_cpu().saturating_sub(before);
            }
            walls.sort();
            run_once(&on)?;
            let requests = relay.count(|| run_once(&off_relay))?;
            print_line(&format!(
                "| {} | {:.2} ms | {:.2} ms | {requests} |",
                off.label,
                walls[runs / 2].as_secs_f64() * 1e3,
                cpu.as_secs_f64() * 1e3 / runs as f64
            ));
        }
        Ok(())
    })();
    drop(bmc.stdin.take());
    let _ = bmc.wait();
    result
}

/// Both handlers' `status` and ipmitool's `chassis power status` over both LAN versions, all
/// against `port`. The password reaches ipmitool through its environment (`-E`), as the seed's
/// handler passes it.
fn ipmi_cases(scratch: &Path, release: &Path, port: u16) -> Result<Vec<Case>> {
    let request = scratch.join(format!("status-{port}.xml"));
    std::fs::write(
        &request,
        format!(
            "<doc><func>status</func><device_params><ip>127.0.0.1:{port}</ip><user>{IPMI_USER}</user><pass>{IPMI_PASSWORD}</pass></device_params></doc>"
        ),
    )?;
    let ipmitool = |label: &str, iface: &[&str]| Case {
        label: label.into(),
        program: PathBuf::from("/usr/bin/ipmitool"),
        args: iface
            .iter()
            .copied()
            .chain([
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                IPMI_USER,
                "-E",
                "chassis",
                "power",
                "status",
            ])
            .map(String::from)
            .collect(),
        stdin: None,
        env: vec![("IPMI_PASSWORD".into(), IPMI_PASSWORD.into())],
    };
    Ok(vec![
        Case {
            label: "ipmi15 status".into(),
            program: release.join("ipmi15"),
            args: vec![],
            stdin: Some(request.clone()),
            env: vec![],
        },
        ipmitool("ipmitool -I lan chassis power status", &["-I", "lan"]),
        Case {
            label: "ipmi20 status".into(),
            program: release.join("ipmi20"),
            args: vec![],
            stdin: Some(request),
            env: vec![],
        },
        ipmitool(
            "ipmitool -I lanplus -C 3 chassis power status",
            &["-I", "lanplus", "-C", "3"],
        ),
    ])
}
