//! The test bed itself: the agents start, answer and stop, and net-snmp's tools (the reference
//! client) can GET, GETBULK and SET through them. This proves the agents and their
//! configuration; our own SNMP client is tested against them elsewhere.

use std::net::Ipv4Addr;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use e2e::agents::{SYS_DESCR_0, Snmpd, Snmpsim};
use e2e::snmprec::{Snmprec, Value};

const SYS_NAME_0: &str = "1.3.6.1.2.1.1.5.0";
const SYS_CONTACT_0: &str = "1.3.6.1.2.1.1.4.0";
/// IF-MIB ifAdminStatus and ifOperStatus, the columns a switch handler reads and writes.
const IF_ADMIN_STATUS: &str = "1.3.6.1.2.1.2.2.1.7";
const IF_OPER_STATUS: &str = "1.3.6.1.2.1.2.2.1.8";

/// A small switch-like recording: the system group and a three-port interface table, indexes
/// chosen so that string order and numeric order differ (2 < 10), ifAdminStatus.2 writable.
fn recording() -> Snmprec {
    let mut rec = Snmprec::new();
    rec.add(SYS_DESCR_0, Value::string("test bed switch"))
        .add("1.3.6.1.2.1.1.2.0", Value::Oid("1.3.6.1.4.1.9.1.1".into()))
        .add("1.3.6.1.2.1.1.3.0", Value::TimeTicks(4242))
        .add(SYS_NAME_0, Value::string("sw1"));
    for port in [1, 2, 10] {
        rec.add(&format!("1.3.6.1.2.1.2.2.1.1.{port}"), Value::Integer(port))
            .add(&format!("{IF_ADMIN_STATUS}.{port}"), Value::Integer(1))
            .add(&format!("{IF_OPER_STATUS}.{port}"), Value::Integer(1))
            .add(
                &format!("1.3.6.1.2.1.31.1.1.1.6.{port}"),
                Value::Counter64((port as u64) << 40),
            );
    }
    rec.writable(&format!("{IF_ADMIN_STATUS}.2"), Value::Integer(1));
    rec
}

/// A folder of its own for one test's recordings, removed on drop.
fn data_dir(name: &str) -> e2e::Scratch {
    e2e::Scratch::new(&format!("data-{name}"))
}

/// Runs a prepared net-snmp tool and returns its stdout, failing on a non-zero exit.
#[track_caller]
fn run(mut cmd: Command) -> String {
    let out: Output = cmd.output().expect("run a net-snmp tool");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The `.OID = TYPE: VALUE` lines of a tool's `-On` output, as (OID without the leading dot,
/// `TYPE: VALUE`).
fn lines(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(o, v)| (o.trim_start_matches('.').to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn snmprec_is_sorted_numerically_and_typed() {
    let mut rec = Snmprec::new();
    rec.add("1.3.6.1.2.1.2.2.1.8.10", Value::Integer(2))
        .add(".1.3.6.1.2.1.2.2.1.8.2", Value::Integer(1))
        .add("1.3.6.1.2.1.2.2.1.8.2", Value::Integer(7)) // replaces
        .add("1.3.6.1.4.1.1.1", Value::string("Gi0/1"))
        .add("1.3.6.1.4.1.1.2", Value::OctetString(vec![0, 0xff]))
        .add("1.3.6.1.4.1.1.3", Value::string("ends in a space "))
        .add("1.3.6.1.4.1.1.4", Value::string(""))
        .add("1.3.6.1.4.1.1.5", Value::Oid("1.3.6.1.4.1.9".into()))
        .add(
            "1.3.6.1.4.1.1.6",
            Value::IpAddress(Ipv4Addr::new(10, 0, 0, 1)),
        )
        .add("1.3.6.1.4.1.1.7", Value::Counter32(u32::MAX))
        .add("1.3.6.1.4.1.1.8", Value::Gauge32(7))
        .add("1.3.6.1.4.1.1.9", Value::TimeTicks(100))
        .add("1.3.6.1.4.1.1.10", Value::Counter64(u64::MAX))
        .writable("1.3.6.1.4.1.1.11", Value::Integer(-5))
        .writable("1.3.6.1.4.1.1.12", Value::string("a,b=c"))
        .writable(
            "1.3.6.1.4.1.1.13",
            Value::IpAddress(Ipv4Addr::new(192, 0, 2, 1)),
        );
    assert_eq!(rec.len(), 15);
    assert_eq!(
        rec.to_string(),
        "\
1.3.6.1.2.1.2.2.1.8.2|2|7
1.3.6.1.2.1.2.2.1.8.10|2|2
1.3.6.1.4.1.1.1|4|Gi0/1
1.3.6.1.4.1.1.2|4x|00ff
1.3.6.1.4.1.1.3|4x|656e647320696e206120737061636520
1.3.6.1.4.1.1.4|4|
1.3.6.1.4.1.1.5|6|1.3.6.1.4.1.9
1.3.6.1.4.1.1.6|64|10.0.0.1
1.3.6.1.4.1.1.7|65|4294967295
1.3.6.1.4.1.1.8|66|7
1.3.6.1.4.1.1.9|67|100
1.3.6.1.4.1.1.10|70|18446744073709551615
1.3.6.1.4.1.1.11|2:writecache|value=-5
1.3.6.1.4.1.1.12|4:writecache|hexvalue=612c623d63
1.3.6.1.4.1.1.13|64:writecache|value=192.0.2.1
"
    );
}

#[test]
fn snmpsim_answers_get_getbulk_and_keeps_a_set() {
    let data = data_dir("snmpsim");
    recording().write(data.dir(), "switch");
    let started = Instant::now();
    let sim = Snmpsim::start(data.dir());
    let startup = started.elapsed();
    assert_eq!(sim.communities(), ["switch"]);
    let target = sim.endpoint();
    let v2c = ["-v2c", "-c", "switch", "-On", "-r", "1", "-t", "2"];

    // GET, several OIDs in one request.
    let mut get = sim.net_snmp("snmpget");
    get.args(v2c)
        .arg(&target)
        .args([SYS_DESCR_0, SYS_NAME_0, "1.3.6.1.2.1.31.1.1.1.6.10"]);
    assert_eq!(
        lines(&run(get)),
        [
            (
                SYS_DESCR_0.to_owned(),
                "STRING: \"test bed switch\"".to_owned()
            ),
            (SYS_NAME_0.to_owned(), "STRING: \"sw1\"".to_owned()),
            (
                "1.3.6.1.2.1.31.1.1.1.6.10".to_owned(),
                format!("Counter64: {}", 10u64 << 40)
            ),
        ]
    );

    // GETBULK: the column comes back in numeric order, 2 before 10.
    let mut walk = sim.net_snmp("snmpbulkwalk");
    walk.args(v2c)
        .args(["-Cr25"])
        .arg(&target)
        .arg(IF_OPER_STATUS);
    let oids: Vec<String> = lines(&run(walk)).into_iter().map(|(o, _)| o).collect();
    assert_eq!(
        oids,
        [1, 2, 10].map(|p| format!("{IF_OPER_STATUS}.{p}")),
        "a walk of ifOperStatus"
    );

    // GETBULK answers are cut to whole rows of at most 64 bindings, without tooBig: two
    // columns and max-repetitions 100 give 32 rows (past the end of the data: endOfMibView).
    let mut bulk = sim.net_snmp("snmpbulkget");
    bulk.args(v2c)
        .args(["-Cn0", "-Cr100"])
        .arg(&target)
        .args([IF_ADMIN_STATUS, IF_OPER_STATUS]);
    assert_eq!(lines(&run(bulk)).len(), Snmpsim::MAX_VARBINDS);

    // SET of the writable ifAdminStatus.2, then GET: the new value; ifOperStatus stays.
    let admin2 = format!("{IF_ADMIN_STATUS}.2");
    let mut set = sim.net_snmp("snmpset");
    set.args(v2c).arg(&target).args([&admin2, "i", "2"]);
    assert_eq!(
        lines(&run(set)),
        [(admin2.clone(), "INTEGER: 2".to_owned())]
    );
    let mut get = sim.net_snmp("snmpget");
    get.args(v2c)
        .arg(&target)
        .args([admin2.as_str(), &format!("{IF_OPER_STATUS}.2")]);
    let got = lines(&run(get));
    assert_eq!(got[0].1, "INTEGER: 2", "the SET is visible to the next GET");
    assert_eq!(got[1].1, "INTEGER: 1", "snmpsim does not move ifOperStatus");

    // A SET on a read-only OID: noSuchInstance in the binding, no error status.
    let mut set = sim.net_snmp("snmpset");
    set.args(v2c)
        .arg(&target)
        .args([&format!("{IF_ADMIN_STATUS}.1"), "i", "2"]);
    let out = run(set);
    assert!(out.contains("No Such Instance"), "{out}");

    // SNMPv1 with the same community, and SNMPv3 with snmpsim's default user and the
    // community as context.
    let mut v1 = sim.net_snmp("snmpget");
    v1.args(["-v1", "-c", "switch", "-On"])
        .arg(&target)
        .arg(SYS_NAME_0);
    assert_eq!(lines(&run(v1))[0].1, "STRING: \"sw1\"");
    let mut v3 = sim.net_snmp("snmpget");
    v3.args([
        "-v3",
        "-l",
        "authPriv",
        "-u",
        "simulator",
        "-a",
        "MD5",
        "-A",
        "auctoritas",
        "-x",
        "DES",
        "-X",
        "privatus",
        "-n",
        "switch",
        "-On",
    ])
    .arg(&target)
    .arg(SYS_NAME_0);
    assert_eq!(lines(&run(v3))[0].1, "STRING: \"sw1\"");

    assert!(
        startup < Duration::from_secs(10),
        "snmpsim took {startup:?} to start"
    );
}

#[test]
fn snmpd_answers_v2c_and_writes_with_the_rw_community() {
    let agent = Snmpd::start();
    let target = agent.endpoint();
    let mut get = agent.net_snmp("snmpget");
    get.args(["-v2c", "-c", Snmpd::RO_COMMUNITY, "-On"])
        .arg(&target)
        .arg(SYS_DESCR_0);
    assert_eq!(
        lines(&run(get)),
        [(
            SYS_DESCR_0.to_owned(),
            format!("STRING: \"{}\"", Snmpd::SYS_DESCR)
        )]
    );
    let mut set = agent.net_snmp("snmpset");
    set.args(["-v2c", "-c", Snmpd::RW_COMMUNITY, "-On"])
        .arg(&target)
        .args([SYS_CONTACT_0, "s", "ops@example.net"]);
    run(set);
    let mut get = agent.net_snmp("snmpget");
    get.args(["-v1", "-c", Snmpd::RO_COMMUNITY, "-On"])
        .arg(&target)
        .arg(SYS_CONTACT_0);
    assert_eq!(lines(&run(get))[0].1, "STRING: \"ops@example.net\"");
}

#[test]
fn snmpd_answers_v3_for_every_user() {
    let users = Snmpd::v3_users();
    // noAuthNoPriv, 6 × authNoPriv, 6 × 4 authPriv.
    assert_eq!(users.len(), 1 + 6 + 6 * 4);
    let agent = Snmpd::start();
    let mut failed = Vec::new();
    for u in &users {
        let mut get = agent.net_snmp("snmpget");
        get.args(u.net_snmp_args())
            .args(["-On", "-r", "1", "-t", "2"])
            .arg(agent.endpoint())
            .arg(SYS_DESCR_0);
        let out = get.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || !stdout.contains(Snmpd::SYS_DESCR) {
            failed.push(format!(
                "{}: {stdout}{}",
                u.user,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "v3 users that failed:\n{}",
        failed.join("\n")
    );
}

#[test]
fn snmpd_refuses_a_wrong_pass_phrase() {
    let agent = Snmpd::start();
    let user = Snmpd::v3_users()
        .into_iter()
        .find(|u| u.user == "sha256-aes")
        .unwrap();
    let mut args = user.net_snmp_args();
    let phrase = args.iter().position(|a| a == "-A").unwrap() + 1;
    args[phrase] = "not-the-phrase".into();
    let out = agent
        .net_snmp("snmpget")
        .args(&args)
        .args(["-On", "-r", "0", "-t", "1"])
        .arg(agent.endpoint())
        .arg(SYS_DESCR_0)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn agents_are_gone_after_drop() {
    let data = data_dir("drop");
    recording().write(data.dir(), "switch");
    let sim = Snmpsim::start(data.dir());
    let snmpd = Snmpd::start();
    let pids = [sim.pid(), snmpd.pid()];
    let dirs = [sim.dir().to_owned(), snmpd.dir().to_owned()];
    drop(sim);
    drop(snmpd);
    for pid in pids {
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "agent {pid} still runs"
        );
    }
    for dir in dirs {
        assert!(!dir.exists(), "{} was not removed", dir.display());
    }
}

/// The files `cargo xtask testbed start` uses are the ones the guards generate. Like
/// rust-analyzer's tidy checks: a stale file is rewritten and the test fails, so that the
/// change is seen and committed.
#[test]
fn testbed_fixtures_are_fresh() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut stale = Vec::new();
    for (path, text) in [
        (fixtures.join("snmpd/snmpd.conf"), Snmpd::config()),
        (fixtures.join("snmpd/users.conf"), Snmpd::users_config()),
        (
            fixtures.join("snmp/testbed.snmprec"),
            recording().to_string(),
        ),
    ] {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "rewritten, commit them: {}",
        stale.join(", ")
    );
}
