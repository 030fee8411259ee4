"""Stub of DCImanager 6's `pdu_common.helper` (test-only): the five published names, in the
shape `DCIH_SDK_SHAPE` names (their fields beyond `identity`/`power_status`, `load` and
`total_consumption`, and `EnumPowerStatus` beyond UP, DOWN and UNKNOWN, are not published)."""

from typing import Any

import shape

_m = shape.module("helper")
PduView: Any = _m.PduView
PduPortView: Any = _m.PduPortView
EnumPowerStatus: Any = _m.EnumPowerStatus
PduStatisticView: Any = _m.PduStatisticView
PduPortStatisticView: Any = _m.PduPortStatisticView
