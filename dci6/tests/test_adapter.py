"""The adapter as DCImanager 6 runs it: an archive of `dist/dci6` unpacked, `<dir>.handler`
imported against the stub SDK in each plausible shape, `make_handler(pdu_data)` called, and its
methods driving the real binary against snmpsim on 127.0.0.1 (status, port_up, port_down read
back, statistic); the connection parameters found in each shape or refused with a clear error;
error documents, crashes, hangs and garbage from a fake binary; the exec-bit and noexec
fallbacks."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path
from typing import Any, Dict

import support
from support import Agent, Records, eaton_amps, eaton_kwh, load, outlets, rpcm_amps, sdk, unpack

EATON = "dcih_eaton_pdu"
RPCM = "dcih_rpcm_pdu"
APC = "dcih_apc_pdu"
PORTS = 6


def dataclass_data(port: int, community: str, **extra: Any) -> Any:
    PduSnmpData = sdk("pdu_common.connection").PduSnmpData
    params: Dict[str, Any] = {"community": community, "version": "2c"}
    settings = extra.pop("settings", {})
    return PduSnmpData(ip=extra.pop("ip", "127.0.0.1"), snmp_params=params, port=port, custom_params=settings)


class RealBinary(unittest.TestCase):
    """The archives' real binaries against the test bed's snmpsim."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = Path(tempfile.mkdtemp(prefix="dci6-real-"))
        cls.eaton = Agent("eaton", PORTS, "eaton")
        cls.rpcm = Agent("rpcm", PORTS, "rpcm")
        cls.apc = Agent("apc", 4, "apc")
        for d in (EATON, RPCM, APC):
            unpack(d, cls.tmp)

    @classmethod
    def tearDownClass(cls) -> None:
        for a in (cls.eaton, cls.rpcm, cls.apc):
            a.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_dataclass_shape_status_switching_and_statistics(self) -> None:
        mod = load(self.tmp / EATON, "dataclass")
        helper = sdk("pdu_common.helper")
        up, down = helper.EnumPowerStatus.UP, helper.EnumPowerStatus.DOWN
        handler = mod.make_handler(dataclass_data(self.eaton.port, "eaton"))
        self.assertIsInstance(handler, sdk("pdu_common.base_snmp_pdu").BaseSnmpPdu)
        view = handler.status()
        self.assertIsInstance(view, helper.PduView)
        self.assertEqual(
            [(p.identity, p.power_status) for p in view.ports],
            [(i, up if on else down) for i, on, _ in outlets(PORTS)],
        )
        # Outlet 2 is on: switched off, read back, seen off by status; then on again.
        port = helper.PduPortView(identity="2", power_status=up)
        answered = handler.port_down(port)
        self.assertIs(answered, port)
        self.assertEqual(answered.power_status, down)
        self.assertEqual(handler.status().ports[1].power_status, down)
        self.assertEqual(handler.port_up(helper.PduPortView(identity="2")).power_status, up)
        stats = handler.statistic()
        want = outlets(PORTS)
        self.assertAlmostEqual(stats.load, sum(eaton_amps(w) for _, _, w in want))
        self.assertAlmostEqual(stats.total_consumption, sum(eaton_kwh(w) for _, _, w in want))
        self.assertEqual([p.identity for p in stats.ports], [i for i, _, _ in want])
        for p, (_, _, w) in zip(stats.ports, want):
            self.assertAlmostEqual(p.load, eaton_amps(w))
            self.assertAlmostEqual(p.total_consumption, eaton_kwh(w))

    def test_plain_shape_finds_the_address_port_and_version_by_their_names(self) -> None:
        mod = load(self.tmp / RPCM, "plain")
        helper = sdk("pdu_common.helper")
        data = sdk("pdu_common.connection").PduSnmpData(
            address="127.0.0.1",
            snmp_port=self.rpcm.port,
            snmp_params={"community": "rpcm", "snmpVersion": 1},
            handler_settings=[{"key": "dcih_deadline", "value": "10"}],
        )
        self.assertEqual(
            mod.device_params(data),
            {"ip": f"127.0.0.1:{self.rpcm.port}", "snmp_ver": "SNMP v1", "snmp_community": "rpcm"},
        )
        handler = mod.make_handler(data)
        view = handler.status()
        self.assertEqual(sorted(view.port_list), [i for i, _, _ in outlets(PORTS)])
        self.assertEqual(view.port_list["3"].identify, 3)
        self.assertEqual(view.port_list["3"].power_status, helper.EnumPowerStatus.DOWN)
        port = helper.PduPortView()
        port.identify = 3
        self.assertEqual(handler.port_up(port).power_status, helper.EnumPowerStatus.UP)
        self.assertEqual(handler.port_down(port).power_status, helper.EnumPowerStatus.DOWN)
        with Records() as logged:
            stats = handler.statistic()
        self.assertAlmostEqual(stats.load, sum(rpcm_amps(w) for _, _, w in outlets(PORTS)))
        # The RPCM gives no energy: the consumption is left as the SDK made it, not 0.
        self.assertIsNone(stats.total_consumption)
        self.assertEqual(stats.port_statistic, ())
        self.assertTrue(
            any("PduPortStatisticView has no field named like" in line for line in logged.lines()),
            logged.lines(),
        )

    def test_ambiguous_shape_is_refused_before_the_device_is_asked(self) -> None:
        mod = load(self.tmp / EATON, "ambiguous")
        helper = sdk("pdu_common.helper")
        data = sdk("pdu_common.connection").PduSnmpData(
            ip="127.0.0.1", gateway="127.0.0.2", snmp_params={"community": "eaton"}, custom_params={}
        )
        handler = mod.make_handler(data)
        with self.assertRaises(mod.HandlerError) as e:
            handler.status()
        self.assertEqual(
            str(e.exception),
            "PduView has more than one field annotated as a list of PduPortView (its fields: "
            "ports: List[PduPortView], switched_ports: List[PduPortView]); the dcih_probe "
            "archive reports the SDK's real shape",
        )
        with self.assertRaises(mod.HandlerError) as e:
            handler.port_up(helper.PduPortView(identity="1"))
        self.assertEqual(
            str(e.exception),
            "more than one field holds an IP address: pdu_data.ip, pdu_data.gateway; "
            "give the Handler setting ip",
        )
        # The operator's Handler settings settle what the objects cannot.
        data.custom_params = {"ip": self.eaton.endpoint, "snmp_ver": "SNMP v2c"}
        # (Outlet 1 is on already: the other tests share this agent.)
        self.assertEqual(handler.port_up(helper.PduPortView(identity="1")).power_status, helper.EnumPowerStatus.UP)
        with Records() as logged:
            stats = handler.statistic()
        self.assertGreater(stats.load, 0)
        self.assertTrue(any("per-port statistics left out" in line for line in logged.lines()))

    def test_the_handlers_errors_come_through_with_their_text(self) -> None:
        mod = load(self.tmp / EATON, "dataclass")
        helper = sdk("pdu_common.helper")
        handler = mod.make_handler(dataclass_data(self.eaton.port, "eaton"))
        with self.assertRaises(mod.HandlerError) as e:
            handler.port_up(helper.PduPortView(identity="99"))
        self.assertEqual(e.exception.error_type, "unexpected_data")
        self.assertIn("99", str(e.exception))
        # An unknown community: snmpsim is silent, the binary says so inside its deadline.
        secret = "not-the-community-7"
        handler = mod.make_handler(dataclass_data(self.eaton.port, secret, settings={"dcih_deadline": "3"}))
        started = time.monotonic()
        with self.assertRaises(mod.HandlerError) as e:
            handler.status()
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(e.exception.error_type, "connection")
        self.assertNotIn(secret, str(e.exception))
        self.assertIn("127.0.0.1", str(e.exception))

    def test_watts_only_pdus_cannot_fill_amperes(self) -> None:
        mod = load(self.tmp / APC, "dataclass")
        handler = mod.make_handler(dataclass_data(self.apc.port, "apc"))
        with self.assertRaises(mod.HandlerError) as e:
            handler.statistic()
        self.assertIn("reports neither current nor energy per outlet", str(e.exception))


class ThroughSnmpV3(unittest.TestCase):
    """SNMPv3 authPriv end to end: the keys found in snmp_params by their names, the binary
    through net-snmp's snmpd (in front of snmpsim) as its writing user."""

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="dci6-v3-"))
        self.agent = Agent("eaton", PORTS, "eaton", v3=True)

    def tearDown(self) -> None:
        self.agent.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_status_switching_and_statistics(self) -> None:
        mod = load(unpack(EATON, self.tmp), "dataclass")
        helper = sdk("pdu_common.helper")
        port, user, auth, auth_phrase, privacy, priv_phrase = self.agent.v3
        data = sdk("pdu_common.connection").PduSnmpData(
            ip="127.0.0.1",
            port=int(port),
            snmp_params={
                "version": "v3",
                "user": user,
                "auth_protocol": auth.upper(),
                "auth_password": auth_phrase,
                "priv_protocol": privacy.upper(),
                "priv_password": priv_phrase,
            },
        )
        self.assertEqual(mod.device_params(data)["snmp_auth_level"], "authpriv")
        handler = mod.make_handler(data)
        up, down = helper.EnumPowerStatus.UP, helper.EnumPowerStatus.DOWN
        self.assertEqual(
            [(p.identity, p.power_status) for p in handler.status().ports],
            [(i, up if on else down) for i, on, _ in outlets(PORTS)],
        )
        self.assertEqual(handler.port_down(helper.PduPortView(identity="1")).power_status, down)
        self.assertEqual(handler.port_up(helper.PduPortView(identity="1")).power_status, up)
        stats = handler.statistic()
        self.assertAlmostEqual(stats.load, sum(eaton_amps(w) for _, _, w in outlets(PORTS)))


class Parameters(unittest.TestCase):
    """DCImanager 5's device parameters from each shape of pdu_data, without a device."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = Path(tempfile.mkdtemp(prefix="dci6-params-"))
        unpack(EATON, cls.tmp)

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_v3_keys_in_snake_case(self) -> None:
        mod = load(self.tmp / EATON, "dataclass")
        data = sdk("pdu_common.connection").PduSnmpData(
            ip="10.0.0.9",
            snmp_params={
                "version": "SNMPv3",
                "user": "ops",
                "security_level": "authPriv",
                "auth_protocol": "SHA-256",
                "auth_password": "auth-secret-1",
                "priv_protocol": "AES-256",
                "priv_password": "priv-secret-2",
            },
        )
        self.assertEqual(
            mod.device_params(data),
            {
                "ip": "10.0.0.9",
                "snmp_ver": "SNMP v3",
                "snmp_user": "ops",
                "snmp_auth_level": "authpriv",
                "snmp_auth_proto": "sha256",
                "snmp_auth_phrase": "auth-secret-1",
                "snmp_priv_proto": "aes256",
                "snmp_priv_phrase": "priv-secret-2",
            },
        )

    def test_v3_keys_in_camel_case_with_the_level_from_the_keys_given(self) -> None:
        mod = load(self.tmp / EATON, "plain")
        data = sdk("pdu_common.connection").PduSnmpData(
            address="10.0.0.9",
            snmp_port=161,
            snmp_params={
                "snmpVersion": 3,
                "securityName": "ops",
                "authProtocol": "usmHMACSHAAuthProtocol",
                "authKey": "auth-secret-1",
                "privProtocol": "usmAesCfb128Protocol",
                "privKey": "priv-secret-2",
            },
            handler_settings=[],
        )
        got = mod.device_params(data)
        self.assertEqual(
            (got["ip"], got["snmp_auth_level"], got["snmp_auth_proto"], got["snmp_priv_proto"]),
            ("10.0.0.9", "authpriv", "sha", "aes"),
        )

    def test_what_cannot_be_found_is_named(self) -> None:
        mod = load(self.tmp / EATON, "dataclass")
        PduSnmpData = sdk("pdu_common.connection").PduSnmpData
        cases = [
            (
                PduSnmpData(ip="pdu-7.example", snmp_params={"community": "c", "version": "2c"}),
                "no field of pdu_data holds an IP address (its fields: custom_params, ip, port, "
                "snmp_params); give the Handler setting ip",
            ),
            (
                PduSnmpData(ip="10.0.0.9", snmp_params={"community": "c"}),
                "the SNMP version is in no field of pdu_data and no key of snmp_params (its keys: "
                "community); give the Handler setting snmp_ver (SNMP v1, SNMP v2c or SNMP v3)",
            ),
            (
                PduSnmpData(
                    ip="10.0.0.9",
                    snmp_params={"version": "3", "user": "ops", "auth_password": "auth-secret-1"},
                ),
                "SNMP v3 authnopriv: snmp_auth_proto is in no field found; give the Handler "
                "setting snmp_auth_proto",
            ),
            (
                PduSnmpData(
                    ip="10.0.0.9",
                    snmp_params={"version": "3", "user": "ops", "auth_password": "auth-secret-1", "auth_type": "RC4"},
                ),
                "snmp_params['auth_type'] is 'RC4', which is not a snmp_auth_proto this adapter "
                "knows (md5, sha, sha224, sha256, sha384, sha512); give the Handler setting "
                "snmp_auth_proto",
            ),
            (
                PduSnmpData(ip="10.0.0.9", snmp_params={"version": 0, "community": "c"}),
                "snmp_params['version'] is '0', which is not a snmp_ver this adapter knows (SNMP "
                "v1, SNMP v2c, SNMP v3); give the Handler setting snmp_ver",
            ),
        ]
        for data, text in cases:
            with self.assertRaises(mod.HandlerError) as e:
                mod.device_params(data)
            self.assertEqual(str(e.exception), text)
            for secret in ("auth-secret-1",):
                self.assertNotIn(secret, str(e.exception))

    def test_handler_settings_override_what_the_objects_hold(self) -> None:
        mod = load(self.tmp / EATON, "dataclass")
        data = dataclass_data(161, "from-sdk", settings={"snmp_ver": "SNMP v1", "snmp_community": "from-settings"})
        got = mod.device_params(data)
        self.assertEqual((got["snmp_ver"], got["snmp_community"]), ("SNMP v1", "from-settings"))

    def test_the_request_carries_secrets_in_the_document_only(self) -> None:
        mod = load(self.tmp / EATON, "dataclass")
        xml = mod.request("statistics", {"ip": "10.0.0.9", "snmp_ver": "SNMP v2c", "snmp_community": "a<b&c"}, readings="current energy")
        self.assertEqual(
            xml,
            b"<doc><func>statistics</func><device_params><ip>10.0.0.9</ip><snmp_ver>SNMP v2c</snmp_ver>"
            b"<snmp_community>a&lt;b&amp;c</snmp_community></device_params><readings>current energy</readings></doc>",
        )


FAKE = """#!/bin/sh
printf '%s\\n' "$0" "$@" > "{record}/argv"
cat > "{record}/stdin"
{body}
"""


class FakeBinary(unittest.TestCase):
    """The adapter in front of a binary that misbehaves: each answer mapped to a clear error."""

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="dci6-fake-"))
        self.package = unpack(EATON, self.tmp)

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def fake(self, body: str, **settings: str) -> Any:
        exe = self.package / "eaton-pdu"
        exe.write_text(FAKE.format(record=self.tmp, body=body))
        exe.chmod(0o755)
        mod = load(self.package, "dataclass")
        self.mod = mod
        return mod.make_handler(dataclass_data(161, "s3cret-community", settings=settings))

    def test_an_error_document_is_an_exception_with_its_text_and_type(self) -> None:
        h = self.fake(
            "printf '<doc><error><type>connection</type><text>no answer from 10.0.0.1</text></error></doc>'; exit 1"
        )
        with self.assertRaises(self.mod.HandlerError) as e:
            h.status()
        self.assertEqual((str(e.exception), e.exception.error_type), ("no answer from 10.0.0.1", "connection"))

    def test_secrets_go_on_stdin_never_in_argv(self) -> None:
        h = self.fake("printf '<doc><port><identity>1</identity><admin_status>on</admin_status></port></doc>'")
        self.assertEqual(h.status().ports[0].identity, "1")
        argv = (self.tmp / "argv").read_text().split("\n")
        self.assertEqual(argv[1:], [""])  # no arguments at all
        self.assertNotIn("s3cret-community", (self.tmp / "argv").read_text())
        self.assertIn(b"<snmp_community>s3cret-community</snmp_community>", (self.tmp / "stdin").read_bytes())

    def test_a_crash_without_a_document(self) -> None:
        h = self.fake("echo 'thread main panicked' >&2; exit 101")
        with self.assertRaises(self.mod.HandlerError) as e:
            h.status()
        self.assertEqual(
            str(e.exception),
            "eaton-pdu exited with status 101 without an answer to status; it said: thread main panicked",
        )

    def test_garbage_on_stdout(self) -> None:
        h = self.fake("echo 'HTTP/1.1 200 OK'; echo '<html>'")
        with self.assertRaises(self.mod.HandlerError) as e:
            h.statistic()
        self.assertEqual(str(e.exception), "eaton-pdu exited with status 0 without an answer to statistics")

    def test_a_hang_is_stopped_after_the_deadline(self) -> None:
        h = self.fake("exec sleep 60", dcih_deadline="1")
        started = time.monotonic()
        with self.assertRaises(self.mod.HandlerError) as e:
            h.port_down(sdk("pdu_common.helper").PduPortView(identity="4"))
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(str(e.exception), "eaton-pdu did not answer port_off within 6 s and was stopped")
        self.assertIn(b"<port><identity>4</identity></port>", (self.tmp / "stdin").read_bytes())


def mount_noexec(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "noexec,size=64m", "tmpfs", str(path)], check=True)


class ExecFallbacks(unittest.TestCase):
    """The binary lost its exec bit, or sits on a noexec mount: the adapter still runs it, and
    says once which way."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.agent = Agent("eaton", 3, "eaton")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.agent.stop()

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="dci6-exec-"))
        self.mounts = []  # type: list[Path]

    def tearDown(self) -> None:
        for m in reversed(self.mounts):
            subprocess.run(["umount", str(m)], check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)
        os.environ.pop("TMPDIR", None)
        tempfile.tempdir = None

    def noexec(self, name: str) -> Path:
        path = self.tmp / name
        mount_noexec(path)
        self.mounts.append(path)
        return path

    def way(self, package: Path, prepare: Any = None) -> str:
        mod = load(package, "dataclass")
        if prepare:
            prepare(mod)
        h = mod.make_handler(dataclass_data(self.agent.port, "eaton"))
        with Records() as logged:
            self.assertEqual(len(h.status().ports), 3)
            self.assertEqual(len(h.status().ports), 3)
        said = [line for line in logged.lines() if line.startswith("eaton-pdu runs")]
        self.assertEqual(len(said), 1, logged.lines())
        self.assertIn(mod.BINARY.way, said[0])
        return str(mod.BINARY.way)

    def test_in_place(self) -> None:
        self.assertEqual(self.way(unpack(EATON, self.tmp)), "in place")

    def test_a_lost_exec_bit_is_restored(self) -> None:
        package = unpack(EATON, self.tmp)
        (package / "eaton-pdu").chmod(0o644)
        self.assertEqual(self.way(package), "after restoring its exec bit")
        self.assertEqual((package / "eaton-pdu").stat().st_mode & 0o777, 0o755)

    def test_a_noexec_mount_runs_a_private_copy(self) -> None:
        package = unpack(EATON, self.noexec("archive"))
        self.assertEqual(self.way(package), "from a private copy")

    def test_with_every_directory_noexec_it_runs_from_memory(self) -> None:
        package = unpack(EATON, self.noexec("archive"))
        os.environ["TMPDIR"] = str(self.noexec("tmp"))
        tempfile.tempdir = None

        def nowhere_else(mod: Any) -> None:
            mod.Executable.COPY_DIRS = ()

        self.assertEqual(self.way(package, nowhere_else), "from an in-memory file")


if __name__ == "__main__":
    unittest.main()
