"""`cargo xtask bench dci6`: what the DCImanager 6 adapter costs on top of its binary.

On one snmpsim (pdu-agent: a 24-outlet Eaton ePDU, v2c, 127.0.0.1), median wall time and CPU
(this process and its children, per run) of:
- the binary run directly with a DCImanager 5 `statistics` request, and with `<readings>`;
- the adapter's `statistic()` and `status()` (in-process, as DCImanager 6 calls them, against
  the stub SDK's dataclass shape);
- importing the adapter (a fresh interpreter, minus a bare interpreter's start);
- net-snmp's snmpbulkwalk of the same three columns (watts, current, energy), one each.
Requests: from the binary's own count (`RUST_LOG=snmp_core=debug`, "snmp session cost"). Peak
RSS: of this interpreter after importing the adapter and running every case (a child's peak
cannot be read apart from the Python that forked it; the binaries' own is in `bench pdu`).

Run from the repository root by xtask, after `cargo xtask package`.
"""

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

import support  # noqa: E402
from support import Agent, load, sdk, unpack  # noqa: E402

EATON_OUTLET = "1.3.6.1.4.1.534.6.6.7.6"
COLUMNS = [f"{EATON_OUTLET}.5.1.3", f"{EATON_OUTLET}.4.1.3", f"{EATON_OUTLET}.5.1.4"]


def cpu_s() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def measure(runs: int, what: Callable[[], None]) -> Tuple[float, float]:
    """(median wall ms, CPU ms per run)."""
    walls: List[float] = []
    before = cpu_s()
    for _ in range(runs):
        started = time.perf_counter()
        what()
        walls.append((time.perf_counter() - started) * 1000)
    return statistics.median(walls), (cpu_s() - before) * 1000 / runs


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
    agent = Agent("eaton", 24, "eaton")
    tmp = Path(tempfile.mkdtemp(prefix="dci6-bench-"))
    try:
        package = unpack("dcih_eaton_pdu", tmp)
        binary = str(package / "eaton-pdu")
        base = (
            f"<doc><func>statistics</func><device_params><ip>{agent.endpoint}</ip>"
            "<snmp_ver>SNMP v2c</snmp_ver><snmp_community>eaton</snmp_community></device_params>"
        )
        dci5 = (base + "</doc>").encode()
        dci6 = (base + "<readings>current energy</readings></doc>").encode()
        status = dci5.replace(b">statistics<", b">status<")

        def direct(doc: bytes) -> Callable[[], None]:
            return lambda: subprocess.run([binary], input=doc, capture_output=True, check=True)

        def requests(doc: bytes) -> str:
            env = dict(os.environ, RUST_LOG="snmp_core=debug")
            err = subprocess.run([binary], input=doc, capture_output=True, env=env, check=True).stderr.decode()
            m = re.search(r"snmp session cost.* requests=(\d+)", err)
            return m.group(1) if m else "?"

        mod = load(package, "dataclass")
        data = sdk("pdu_common.connection").PduSnmpData(
            ip="127.0.0.1", port=agent.port, snmp_params={"community": "eaton", "version": "2c"}
        )
        handler = mod.make_handler(data)

        def bulkwalks() -> None:
            for column in COLUMNS:
                subprocess.run(
                    ["snmpbulkwalk", "-v2c", "-c", "eaton", "-Cr25", "-On", agent.endpoint, column],
                    capture_output=True,
                    check=True,
                )

        python = sys.executable
        sdk_path = str(support.SDK)
        imports = (
            f"import sys; sys.path[:0] = [{str(tmp)!r}, {sdk_path!r}]; "
            "import os; os.environ['DCIH_SDK_SHAPE'] = 'dataclass'; import dcih_eaton_pdu.handler"
        )

        def bare() -> None:
            subprocess.run([python, "-c", "pass"], check=True)

        def imported() -> None:
            subprocess.run([python, "-c", imports], check=True)

        cases = [
            ("eaton-pdu statistics, DCImanager 5 request (direct)", direct(dci5), requests(dci5)),
            ("eaton-pdu statistics with <readings> (direct)", direct(dci6), requests(dci6)),
            ("adapter statistic() (runs the line above)", lambda: handler.statistic(), requests(dci6)),
            ("eaton-pdu status (direct)", direct(status), requests(status)),
            ("adapter status()", lambda: handler.status(), requests(status)),
            ("snmpbulkwalk -Cr25 of the 3 columns, one each", bulkwalks, "3 processes"),
            ("python3 start, bare", bare, "-"),
            ("python3 start + import of the adapter and the stub SDK", imported, "-"),
        ]
        print(f"24-outlet Eaton ePDU on snmpsim, v2c, {runs} runs each, medians\n")
        print("| case | wall | CPU | requests |")
        print("|---|---|---|---|")
        for name, what, reqs in cases:
            what()  # warm
            wall, cpu = measure(runs, what)
            print(f"| {name} | {wall:.2f} ms | {cpu:.2f} ms | {reqs} |")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"\npeak RSS of this interpreter (the adapter imported, every case run): {peak / 1024:.1f} MiB")
        sizes = {p.name: p.stat().st_size for p in sorted(support.DIST.glob("*.tar.gz"))}
        print("\narchives: " + ", ".join(f"{k} {v:,} B" for k, v in sizes.items()))
    finally:
        agent.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
