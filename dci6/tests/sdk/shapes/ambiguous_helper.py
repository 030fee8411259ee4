"""Views a handler cannot fill without guessing: two port lists in PduView, no annotations on
the statistic views."""

import enum
from typing import List


class EnumPowerStatus(enum.Enum):
    UP = 1
    DOWN = 2
    UNKNOWN = 3


class PduPortView:
    identity: str
    power_status: EnumPowerStatus

    def __init__(self, identity: str = "", power_status: EnumPowerStatus = EnumPowerStatus.UNKNOWN) -> None:
        self.identity = identity
        self.power_status = power_status


class PduView:
    ports: List[PduPortView]
    switched_ports: List[PduPortView]


class PduPortStatisticView:
    pass


class PduStatisticView:
    pass
