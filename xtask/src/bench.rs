//! `cargo xtask bench ups`: whole-process figures of handlers against their peers, for the
//! closing notes. Never a timed test: it measures and prints, it does not judge.
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
struct Case {
    label: String,
    program: PathBuf,
    args: Vec<String>,
    stdin: Option<PathBuf>,
}

/// What one case cost.
struct Figures {
    median_wall: Duration,
    cpu_per_run: Duration,
    peak_rss_kib: i64,
}

pub fn run(args: &[String]) -> Result<()> {
    let flags = Flags::parse(args, &["runs"], &[])?;
    let runs: usize = flags
        .value("runs")
        .unwrap_or("50")
        .parse()
        .context("--runs N")?;
    match flags.positional.first().map(String::as_str) {
        Some("ups") => ups(runs),
        _ => bail!("usage: cargo xtask bench ups [--runs N]"),
    }
}

fn ups(runs: usize) -> Result<()> {
    let sh = Shell::new()?;
    let root = workspace::root();
    sh.change_dir(&root);
    cmd!(
        sh,
        "cargo build --release --locked --target {MUSL} -p ups-sim"
    )
    .run()?;
    let exe = root.join("target").join(MUSL).join("release/ups-sim");
    let seed = root.join("../shared/peers/seed_ups.py");
    if !seed.is_file() {
        bail!(
            "{} not found: the peers live in ../shared beside the checkout",
            seed.display()
        );
    }
    let python = python3()?;
    let scratch = root.join("target/bench");
    sh.create_dir(&scratch)?;
    let request = scratch.join("ups-status.xml");
    sh.write_file(
        &request,
        "<doc><func>status</func><device_params><ip>127.0.0.1</ip><snmp_ver>SNMP v1</snmp_ver><snmp_community>public</snmp_community></device_params></doc>",
    )?;
    let seed = seed.to_string_lossy().into_owned();
    let cases = vec![
        Case {
            label: "ups-sim -info".into(),
            program: exe.clone(),
            args: vec!["-info".into()],
            stdin: None,
        },
        Case {
            label: "seed_ups.py -info".into(),
            program: python.clone(),
            args: vec![seed.clone(), "-info".into()],
            stdin: None,
        },
        Case {
            label: "ups-sim status".into(),
            program: exe.clone(),
            args: vec![],
            stdin: Some(request.clone()),
        },
        Case {
            label: "seed_ups.py status".into(),
            program: python,
            args: vec![seed],
            stdin: Some(request),
        },
    ];
    report(&cases, runs)?;
    let size = std::fs::metadata(&exe)?.len();
    print_line(&format!(
        "\nrelease binary ups-sim ({MUSL}, stripped): {size} bytes"
    ));
    Ok(())
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

fn report(cases: &[Case], runs: usize) -> Result<()> {
    print_line(&format!(
        "{runs} runs per case, medians of wall time; CPU is user+system per run; peak RSS is the largest of the runs\n"
    ));
    print_line("| case | wall | CPU | peak RSS |");
    print_line("|---|---|---|---|");
    for c in cases {
        let f = measure(c, runs)?;
        print_line(&format!(
            "| {} | {:.2} ms | {:.2} ms | {:.1} MiB |",
            c.label,
            f.median_wall.as_secs_f64() * 1e3,
            f.cpu_per_run.as_secs_f64() * 1e3,
            f.peak_rss_kib as f64 / 1024.0
        ));
    }
    Ok(())
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
    let out = cmd.stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        bail!("measuring {} failed", c.label);
    }
    let text = String::from_utf8(out.stdout)?;
    let nums: Vec<i64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [wall_ns, cpu_ns, rss] = nums[..] else {
        bail!("bench-child said {text:?}")
    };
    Ok(Figures {
        median_wall: Duration::from_nanos(wall_ns as u64),
        cpu_per_run: Duration::from_nanos(cpu_ns as u64),
        peak_rss_kib: rss,
    })
}

/// The measuring child: `bench-child RUNS STDIN|- PROGRAM ARGS…`. Prints
/// `median_wall_ns cpu_per_run_ns peak_rss_kib`.
pub fn child(args: &[String]) -> Result<()> {
    let [runs, stdin, program, rest @ ..] = args else {
        bail!("bench-child RUNS STDIN PROGRAM ARGS…")
    };
    let runs: usize = runs.parse()?;
    let mut walls = Vec::with_capacity(runs);
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
        if out.stdout.is_empty() {
            bail!(
                "{program} wrote nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    walls.sort();
    let u = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let tv_ns = |t: nix::sys::time::TimeVal| t.tv_sec() * 1_000_000_000 + t.tv_usec() * 1_000;
    let cpu = (tv_ns(u.user_time()) + tv_ns(u.system_time())) / runs as i64;
    print_line(&format!(
        "{} {} {}",
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
