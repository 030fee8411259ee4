"""The probe as DCImanager 6 would run it: unpacked, imported as `dcih_probe.handler` against
the stub SDK in each shape; the first call writes the report (the facts the adapter needs,
never a secret) to the log and a file, and every call raises the probe's error."""

import shutil
import tempfile
import unittest
from pathlib import Path
from typing import Any, List

from support import Records, load, sdk, unpack

SECRETS = ("s3cret-community-9", "auth-secret-77", "priv-secret-88", "settings-secret-99")


def data_for(shape: str) -> Any:
    PduSnmpData = sdk("pdu_common.connection").PduSnmpData
    if shape == "dataclass":
        return PduSnmpData(
            ip="10.1.2.3",
            snmp_params={"community": SECRETS[0], "version": "2c"},
            port=1161,
            custom_params={"snmp_auth_phrase": SECRETS[3]},
        )
    if shape == "plain":
        return PduSnmpData(
            address="10.1.2.3",
            snmp_port=161,
            snmp_params={"snmpVersion": 3, "authKey": SECRETS[1], "privKey": SECRETS[2]},
            handler_settings=[{"key": "ip", "value": "10.1.2.3"}],
        )
    return PduSnmpData(ip="10.1.2.3", gateway="10.1.2.1", snmp_params={"community": SECRETS[0]}, custom_params={})


class Probe(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="dci6-probe-"))
        self.package = unpack("dcih_probe", self.tmp)

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def report(self, shape: str) -> List[str]:
        mod = load(self.package, shape)
        handler = mod.make_handler(data_for(shape))
        with Records() as logged:
            with self.assertRaises(mod.ProbeError) as e:
                handler.status()
            self.assertIn("dcih_probe is not a PDU handler: it wrote a report", str(e.exception))
            first = logged.lines()
            with self.assertRaises(mod.ProbeError):
                handler.statistic()
            self.assertEqual(logged.lines(), first, "the report is written once")
        written = Path(mod._reported[0]).read_text().splitlines()
        self.assertEqual(written, first)
        for line in first:
            for secret in SECRETS:
                self.assertNotIn(secret, line)
        return first

    def test_dataclass_shape(self) -> None:
        lines = self.report("dataclass")
        text = "\n".join(lines)
        for fact in (
            "called: status()",
            "python: 3.",
            "pdu_data: shapes.dataclass_connection.PduSnmpData",
            "pdu_data.ip: str of 8 characters (an IP address)",
            "pdu_data.port: 1161",
            "pdu_data.custom_params['snmp_auth_phrase']: str of 18 characters (text)",
            "snmp_params keys: ['community', 'version']",
            "class shapes.dataclass_helper.PduView",
            "annotation ports: List[shapes.dataclass_helper.PduPortView]",
            "dataclass field identity: str (required)",
            "member UP = 'up'",
            "class shapes.dataclass_helper.PduStatisticView",
            "method snmp_walk(self, oid: str) -> Any",
            "handler.py: -rw-r--r--",
            "__init__.py: -rw-r--r--",
            "  mount: ",
            "os.memfd_create: available",
        ):
            self.assertIn(fact, text)
        self.assertTrue(any(line.startswith("  pdu_common at ") for line in lines), text)
        self.assertTrue(any(line.startswith("  switch_common: not importable") for line in lines), text)

    def test_plain_shape(self) -> None:
        text = "\n".join(self.report("plain"))
        for fact in (
            "pdu_data.address: IPv4Address (an IP address)",
            "pdu_data.handler_settings: list of 1 (dict)",
            "snmp_params keys: ['authKey', 'privKey', 'snmpVersion']",
            "annotation identify: <class 'int'>",
            "member UNKNOWN = 2",
            "annotation port_statistic: Tuple[shapes.plain_helper.PduPortStatisticView, ...]",
        ):
            self.assertIn(fact, text)

    def test_ambiguous_shape(self) -> None:
        text = "\n".join(self.report("ambiguous"))
        self.assertIn("pdu_data.gateway: str of 8 characters (an IP address)", text)
        self.assertIn("class shapes.ambiguous_helper.PduStatisticView", text)


if __name__ == "__main__":
    unittest.main()
