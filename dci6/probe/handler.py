"""dcih_probe: a DCImanager 6 PDU "handler" that reports what the platform gives a handler.

Upload it once as a PDU handler (docs/dcimanager6.md) and add a PDU that uses it. On its first
poll it writes a report to its log (and to `dcih-probe-report.txt` in the temporary directory):
the Python version and platform; the type, fields, annotations and constructor of `pdu_data` and
of everything it holds; the keys of `snmp_params` (never their values); the SDK's view classes
(PduView, PduPortView, PduStatisticView, PduPortStatisticView, EnumPowerStatus, BaseSnmpPdu:
their fields, annotations, members and signatures); the SDK's packages; the archive's files with
their modes; the mount flags of the archive's directory and of the temporary directories. Then it
raises an error saying so. No value that may be a secret is written: a text is shown by its
length and whether it is an IP address, never by its content.

Python 3.9 or later, standard library only. Imports only the published SDK names.
"""

import dataclasses
import enum
import importlib
import inspect
import ipaddress
import os
import pkgutil
import platform
import stat
import sys
import tempfile
import typing
from typing import Any, Dict, List, Mapping, Optional, Set

from common.logger import get_logger
from pdu_common.base_snmp_pdu import BaseSnmpPdu
from pdu_common.connection import PduSnmpData
from pdu_common.helper import (
    EnumPowerStatus,
    PduPortStatisticView,
    PduPortView,
    PduStatisticView,
    PduView,
)

log = get_logger("dcih.probe")

REPORT_NAME = "dcih-probe-report.txt"
_reported: List[str] = []


class ProbeError(Exception):
    """The probe's one answer: the report is written; this is not a PDU handler."""


def shown(value: Any) -> str:
    """A value without its content where the content could be a secret."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name} (value {type(value.value).__name__})"
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return f"{type(value).__name__} (an IP address)"
    if isinstance(value, (str, bytes)):
        kind = "text"
        try:
            ipaddress.ip_address(value.strip() if isinstance(value, str) else value.decode().strip())
            kind = "an IP address"
        except (ValueError, UnicodeDecodeError):
            pass
        return f"{type(value).__name__} of {len(value)} characters ({kind})"
    if isinstance(value, Mapping):
        return f"{type(value).__name__} with keys {sorted(map(str, value))}"
    if isinstance(value, (list, tuple, set)):
        items = sorted({type(v).__name__ for v in value})
        return f"{type(value).__name__} of {len(value)} ({', '.join(items) or 'empty'})"
    return f"{type(value).__module__}.{type(value).__qualname__}"


def hints(cls: type) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        for k, v in getattr(klass, "__annotations__", {}).items():
            out[k] = v if isinstance(v, str) else str(v).replace("typing.", "")
    try:
        for k, v in typing.get_type_hints(cls).items():
            out[k] = str(v).replace("typing.", "")
    except Exception as e:  # an unresolvable forward reference: say so
        out["(get_type_hints failed)"] = repr(e)[:200]
    return out


def describe_class(cls: Any, lines: List[str], indent: str = "  ") -> None:
    if not isinstance(cls, type):
        lines.append(f"{indent}not a class: {type(cls).__module__}.{type(cls).__qualname__}")
        return
    lines.append(f"{indent}class {cls.__module__}.{cls.__qualname__}")
    lines.append(f"{indent}  bases: {[f'{b.__module__}.{b.__qualname__}' for b in cls.__mro__[1:]]}")
    for k, v in hints(cls).items():
        lines.append(f"{indent}  annotation {k}: {v}")
    if dataclasses.is_dataclass(cls):
        for f in dataclasses.fields(cls):
            default = "required" if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING else "has a default"
            lines.append(f"{indent}  dataclass field {f.name}: {f.type} ({default})")
    for attr in ("model_fields", "__fields__"):
        model = getattr(cls, attr, None)
        if isinstance(model, Mapping):
            lines.append(f"{indent}  {attr}: {sorted(model)}")
    if issubclass(cls, enum.Enum):
        for m in cls:
            lines.append(f"{indent}  member {m.name} = {m.value!r}")
    try:
        lines.append(f"{indent}  constructor{inspect.signature(cls)}")
    except (TypeError, ValueError) as e:
        lines.append(f"{indent}  constructor: no signature ({e})")
    for name, member in sorted(vars(cls).items()):
        if name.startswith("__") or not callable(member):
            continue
        try:
            lines.append(f"{indent}  method {name}{inspect.signature(member)}")
        except (TypeError, ValueError):
            lines.append(f"{indent}  method {name}")
    try:
        empty = cls()
        lines.append(f"{indent}  made with no arguments; attributes: " + ", ".join(
            f"{k}={shown(v)}" for k, v in sorted(vars(empty).items())
        ) if hasattr(empty, "__dict__") else f"{indent}  made with no arguments")
    except Exception as e:
        lines.append(f"{indent}  cannot be made with no arguments: {type(e).__name__}: {str(e)[:200]}")


def describe_object(obj: Any, path: str, lines: List[str], depth: int, seen: Set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    lines.append(f"  {path}: {type(obj).__module__}.{type(obj).__qualname__}")
    names: List[str] = []
    if dataclasses.is_dataclass(obj):
        names += [f.name for f in dataclasses.fields(obj)]
    names += list(hints(type(obj)))
    names += list(getattr(obj, "__dict__", {}))
    for klass in type(obj).__mro__:
        slots = getattr(klass, "__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    done: Set[str] = set()
    for name in names:
        if name in done or name.startswith("__"):
            continue
        done.add(name)
        try:
            value = getattr(obj, name)
        except Exception as e:
            lines.append(f"    {path}.{name}: cannot be read ({type(e).__name__})")
            continue
        if callable(value) and not isinstance(value, type):
            continue
        lines.append(f"    {path}.{name}: {shown(value)}")
        if isinstance(value, Mapping):
            for k, v in value.items():
                lines.append(f"      {path}.{name}[{k!r}]: {shown(v)}")
        elif depth > 0 and not isinstance(
            value, (str, bytes, int, float, bool, list, tuple, set, enum.Enum, type(None))
        ) and not isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            describe_object(value, f"{path}.{name}", lines, depth - 1, seen)


def mounts() -> List[Dict[str, str]]:
    out: List[Dict[str, str]] = []
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                parts = line.split()
                sep = parts.index("-")
                out.append({"point": parts[4], "options": parts[5], "fs": parts[sep + 1],
                            "super": parts[sep + 3] if len(parts) > sep + 3 else ""})
    except (OSError, ValueError):
        pass
    return out


def mount_of(path: str, table: List[Dict[str, str]]) -> str:
    real = os.path.realpath(path)
    best: Optional[Dict[str, str]] = None
    for m in table:
        point = m["point"]
        if real == point or real.startswith(point.rstrip("/") + "/"):
            if best is None or len(point) >= len(best["point"]):
                best = m
    if best is None:
        return "unknown (no /proc/self/mountinfo)"
    return f"{best['point']} ({best['fs']}) {best['options']} {best['super']}"


def report(pdu_data: Any) -> List[str]:
    lines: List[str] = ["dcih probe report"]
    lines.append(f"python: {sys.version.split()[0]} ({sys.implementation.name}) at {sys.executable}")
    lines.append(f"platform: {platform.platform()}; machine {platform.machine()}; libc {platform.libc_ver()}")
    lines.append(f"process: uid {os.getuid()} gid {os.getgid()} pid {os.getpid()} cwd {os.getcwd()}")
    lines.append(f"sys.path: {sys.path}")
    lines.append(f"argv: {len(sys.argv)} arguments; environment variable names: {sorted(os.environ)}")
    lines.append("pdu_data:")
    describe_object(pdu_data, "pdu_data", lines, 2, set())
    params = getattr(pdu_data, "snmp_params", None)
    if isinstance(params, Mapping):
        lines.append(f"snmp_params keys: {sorted(map(str, params))}")
    lines.append("SDK classes:")
    for cls in (PduSnmpData, PduView, PduPortView, PduStatisticView, PduPortStatisticView, EnumPowerStatus, BaseSnmpPdu):
        describe_class(cls, lines)
    lines.append("SDK packages:")
    for package in ("common", "pdu_common", "switch_common", "ipmi_common", "vpu_common", "dss_common"):
        try:
            mod = importlib.import_module(package)
        except Exception as e:
            lines.append(f"  {package}: not importable ({type(e).__name__})")
            continue
        where = list(getattr(mod, "__path__", []))
        names = sorted(m.name for m in pkgutil.iter_modules(where))
        lines.append(f"  {package} at {where}: modules {names}")
    here = os.path.dirname(os.path.abspath(__file__))
    table = mounts()
    lines.append(f"archive directory: {here}")
    for entry in sorted(os.listdir(here)):
        st = os.lstat(os.path.join(here, entry))
        lines.append(f"  {entry}: {stat.filemode(st.st_mode)} uid {st.st_uid} gid {st.st_gid} {st.st_size} bytes")
    lines.append(f"  mount: {mount_of(here, table)}")
    for d in {tempfile.gettempdir(), "/tmp", "/dev/shm", os.environ.get("XDG_RUNTIME_DIR", "")}:
        if d and os.path.isdir(d):
            lines.append(f"temporary directory {d}: writable {os.access(d, os.W_OK)}; mount {mount_of(d, table)}")
    lines.append(f"os.memfd_create: {'available' if hasattr(os, 'memfd_create') else 'missing'}")
    return lines


class Probe(BaseSnmpPdu):
    """Answers every call with the report's error."""

    def __init__(self, pdu_data: PduSnmpData) -> None:
        super().__init__(pdu_data)
        self.data = pdu_data

    def _report(self, called: str) -> ProbeError:
        if not _reported:
            lines = report(self.data)
            lines.insert(1, f"called: {called}")
            for line in lines:
                log.error("%s", line)
            path = os.path.join(tempfile.gettempdir(), REPORT_NAME)
            try:
                with open(path, "w") as f:
                    f.write("\n".join(lines) + "\n")
                _reported.append(path)
            except OSError:
                _reported.append("(the file could not be written)")
        return ProbeError(
            f"dcih_probe is not a PDU handler: it wrote a report of this DCImanager 6 install to the "
            f"handler log and to {_reported[0]}; send it to dcihandlers, then upload a dcih_* PDU "
            f"archive for this device"
        )

    def status(self) -> PduView:
        raise self._report("status()")

    def port_up(self, pdu_port_data: PduPortView) -> PduPortView:
        raise self._report("port_up()")

    def port_down(self, pdu_port_data: PduPortView) -> PduPortView:
        raise self._report("port_down()")

    def statistic(self) -> PduStatisticView:
        raise self._report("statistic()")


def make_handler(pdu_data: PduSnmpData) -> BaseSnmpPdu:
    return Probe(pdu_data)
