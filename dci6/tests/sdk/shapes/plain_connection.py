"""PduSnmpData as a plain class: the address an IPv4Address in `address` with `snmp_port`
beside it, `snmp_params` in camel case with the version as a number, the Handler settings a
list of key/value records."""

import ipaddress
from typing import Any, Dict, List


class PduSnmpData:
    def __init__(
        self,
        address: str,
        snmp_port: int,
        snmp_params: Dict[str, Any],
        handler_settings: List[Dict[str, str]],
    ) -> None:
        self.address = ipaddress.IPv4Address(address)
        self.snmp_port = snmp_port
        self.snmp_params = snmp_params
        self.handler_settings = handler_settings
        self.name = "pdu-7"
