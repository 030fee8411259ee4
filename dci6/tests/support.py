"""What the DCImanager 6 tests share: where the archives and the test bed's PDU agent are, a
PDU served by snmpsim on 127.0.0.1, an archive unpacked and imported the way DCImanager 6 does
(`<dir>.handler`, with the stub SDK's packages importable as top-level packages), and the
outlets the agent's PDUs have (written from the MIBs' units, as the Rust tests' model)."""

import importlib
import logging
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from types import ModuleType
from typing import Any, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SDK = HERE / "sdk"
DIST = Path(os.environ.get("DCIH_DCI6_DIST", str(ROOT / "dist" / "dci6")))
AGENT = Path(os.environ.get("DCIH_PDU_AGENT", str(ROOT / "target" / "debug" / "pdu-agent")))

# The PDU handlers of the bundle, each with its archive's directory.
PDU_HANDLERS = ("apc-pdu", "eaton-pdu", "ibm-blade-pdu", "raritan-pdu", "rpcm-pdu", "servertech-pdu")


def package_dir(handler: str) -> str:
    return "dcih_" + handler.replace("-", "_")


class Agent:
    """`pdu-agent KIND`: snmpsim serving a generated PDU until stopped; with `v3`, net-snmp's
    snmpd in front of it too, and `self.v3` = (port, user, auth proto, auth phrase, priv proto,
    priv phrase) of its authPriv user allowed to write."""

    def __init__(self, kind: str, ports: int, community: str, v3: bool = False) -> None:
        if not AGENT.is_file():
            raise RuntimeError(f"{AGENT} is missing: cargo build -p e2e --bin pdu-agent")
        self.proc = subprocess.Popen(
            [str(AGENT), kind, "--ports", str(ports), "--community", community] + (["--v3"] if v3 else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"pdu-agent {kind} did not start (it said {line!r})")
        self.endpoint = line
        self.port = int(line.rsplit(":", 1)[1])
        self.v3: Tuple[str, ...] = ()
        if v3:
            words = self.proc.stdout.readline().decode().split()
            if len(words) != 7 or words[0] != "v3":
                self.stop()
                raise RuntimeError(f"pdu-agent {kind} --v3 did not start snmpd (it said {words!r})")
            self.v3 = (words[1].rsplit(":", 1)[1], *words[2:])

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout:
            self.proc.stdout.close()


def unpack(handler_dir: str, into: Path) -> Path:
    """Unpacks `dist/dci6/<handler_dir>.tar.gz` into `into`, as Python's tarfile does (with the
    `data` filter where this Python has it); returns the package directory."""
    with tarfile.open(DIST / f"{handler_dir}.tar.gz") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)
    return into / handler_dir


def load(package: Path, shape: str) -> ModuleType:
    """Imports `<package>.handler` afresh against the stub SDK in `shape`."""
    os.environ["DCIH_SDK_SHAPE"] = shape
    for name in list(sys.modules):
        top = name.split(".")[0]
        if top in ("common", "pdu_common", "shape", "shapes") or top.startswith("dcih_"):
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not p.startswith("/tmp") and p != str(SDK)]
    sys.path.insert(0, str(SDK))
    sys.path.insert(0, str(package.parent))
    importlib.invalidate_caches()
    return importlib.import_module(f"{package.name}.handler")


def sdk(module: str) -> Any:
    return importlib.import_module(module)


def outlets(count: int) -> List[Tuple[str, bool, int]]:
    """(identity, on, watts) of the agent's outlets: every third off and drawing nothing."""
    return [(str(n), n % 3 != 0, 40 + 7 * n if n % 3 else 0) for n in range(1, count + 1)]


def eaton_amps(watts: int) -> float:
    """outletCurrent, mA (the generator writes watts·1000/230, whole mA), in A."""
    return (watts * 1000 // 230) / 1000


def eaton_kwh(watts: int) -> float:
    """outletWh (watts·100 Wh), in kWh."""
    return watts * 100 / 1000


def rpcm_amps(watts: int) -> float:
    """The RPCM's output current, mA (watts·10), in A."""
    return watts * 10 / 1000


class Records(logging.Handler):
    """Every record logged under `dcih`, kept."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self, level: Optional[int] = None) -> List[str]:
        return [r.getMessage() for r in self.records if level is None or r.levelno >= level]

    def __enter__(self) -> "Records":
        logger = logging.getLogger("dcih")
        logger.addHandler(self)
        logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: Any) -> None:
        logging.getLogger("dcih").removeHandler(self)
