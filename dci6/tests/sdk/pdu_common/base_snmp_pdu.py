"""Stub of DCImanager 6's `pdu_common.base_snmp_pdu` (test-only): `BaseSnmpPdu`, which keeps
`pdu_data` and has the published `snmp_get`, `snmp_set` and `snmp_walk`; here they fail the
test, since the adapter must never use the SDK's SNMP."""

from typing import Any


class BaseSnmpPdu:
    def __init__(self, pdu_data: Any) -> None:
        self.pdu_data = pdu_data

    def snmp_get(self, oid: str) -> Any:
        raise AssertionError("the adapter used the SDK's snmp_get")

    def snmp_set(self, oid: str, value: Any) -> Any:
        raise AssertionError("the adapter used the SDK's snmp_set")

    def snmp_walk(self, oid: str) -> Any:
        raise AssertionError("the adapter used the SDK's snmp_walk")
