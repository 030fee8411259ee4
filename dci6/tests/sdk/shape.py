"""Which plausible shape of the unpublished parts the stub SDK takes: `DCIH_SDK_SHAPE`, read when
`pdu_common.connection` and `pdu_common.helper` are imported (the tests import them afresh for
each shape). Not an SDK module: the stub's own switch."""

import importlib
import os
from types import ModuleType

SHAPES = ("dataclass", "plain", "ambiguous")


def module(kind: str) -> ModuleType:
    shape = os.environ.get("DCIH_SDK_SHAPE", "dataclass")
    if shape not in SHAPES:
        raise ValueError(f"DCIH_SDK_SHAPE: {shape!r} is not one of {SHAPES}")
    return importlib.import_module(f"shapes.{shape}_{kind}")
