"""PduSnmpData as a dataclass: `ip`, `port`, `snmp_params` with `version` and the v3 keys in
snake case, and the Handler settings in `custom_params` (as IpmiData's are)."""

from dataclasses import dataclass, field
from typing import Any, Dict


@dataclass
class PduSnmpData:
    ip: str
    snmp_params: Dict[str, Any]
    port: int = 161
    custom_params: Dict[str, str] = field(default_factory=dict)
