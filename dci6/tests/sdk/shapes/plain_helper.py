"""The views as plain classes with class annotations and no constructor arguments: the port
field spelled `identify` (the published prose) and typed int, ports in a dict, per-port
statistics in a tuple whose element has no field named like PduStatisticView's."""

import enum
from typing import Dict, Optional, Tuple


class EnumPowerStatus(enum.IntEnum):
    DOWN = 0
    UP = 1
    UNKNOWN = 2


class PduPortView:
    identify: int
    power_status: EnumPowerStatus

    def __init__(self) -> None:
        self.power_status = EnumPowerStatus.UNKNOWN


class PduView:
    port_list: Dict[str, PduPortView]

    def __init__(self) -> None:
        self.port_list = {}


class PduPortStatisticView:
    identify: int
    consumption: float


class PduStatisticView:
    load: Optional[float] = None
    total_consumption: Optional[float] = None
    port_statistic: Tuple[PduPortStatisticView, ...] = ()
