"""PduSnmpData with two addresses (the PDU's and its gateway's) and nothing naming the version."""

from typing import Any, Dict


class PduSnmpData:
    def __init__(self, ip: str, gateway: str, snmp_params: Dict[str, Any], custom_params: Dict[str, str]) -> None:
        self.ip = ip
        self.gateway = gateway
        self.snmp_params = snmp_params
        self.custom_params = custom_params
