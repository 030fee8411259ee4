"""The views as dataclasses with postponed (string) annotations: `PduView.ports`, and
per-port statistics named like PduStatisticView's published fields."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import List, Optional


class EnumPowerStatus(enum.Enum):
    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


@dataclass
class PduPortView:
    identity: str
    power_status: EnumPowerStatus = EnumPowerStatus.UNKNOWN


@dataclass
class PduView:
    ports: List[PduPortView] = field(default_factory=list)


@dataclass
class PduPortStatisticView:
    identity: str
    load: Optional[float] = None
    total_consumption: Optional[float] = None


@dataclass
class PduStatisticView:
    load: Optional[float] = None
    total_consumption: Optional[float] = None
    ports: List[PduPortStatisticView] = field(default_factory=list)
