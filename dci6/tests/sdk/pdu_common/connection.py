"""Stub of DCImanager 6's `pdu_common.connection` (test-only): `PduSnmpData`, in the shape
`DCIH_SDK_SHAPE` names (the published text says only that it has `snmp_params["community"]`)."""

from typing import Any

import shape

PduSnmpData: Any = shape.module("connection").PduSnmpData
