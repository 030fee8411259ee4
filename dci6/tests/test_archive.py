"""The archives `cargo xtask package` writes to dist/dci6: one per PDU handler of the bundle and
the probe, each one directory DCImanager 6 can import (`__init__.py`, `handler.py`, the static
binary with mode 0755), owner 0, one fixed mtime, the adapter exactly the repository's with its
binary's name filled in."""

import subprocess
import tarfile
import tempfile
import unittest
from pathlib import Path

from support import DIST, PDU_HANDLERS, ROOT, package_dir

MTIME = 1767225600
TEMPLATE = (ROOT / "dci6" / "adapter" / "handler.py").read_text()


class Archives(unittest.TestCase):
    def test_one_archive_per_pdu_handler_and_the_probe(self) -> None:
        names = sorted(p.name for p in DIST.glob("*.tar.gz"))
        want = sorted([f"{package_dir(h)}.tar.gz" for h in PDU_HANDLERS] + ["dcih_probe.tar.gz"])
        self.assertEqual(names, want)

    def test_layout_modes_owner_and_time(self) -> None:
        for h in PDU_HANDLERS:
            d = package_dir(h)
            with tarfile.open(DIST / f"{d}.tar.gz") as tar:
                members = {m.name: m for m in tar.getmembers()}
                self.assertEqual(sorted(members), sorted([d, f"{d}/__init__.py", f"{d}/{h}", f"{d}/handler.py"]))
                modes = {n: m.mode for n, m in members.items()}
                self.assertEqual(
                    modes,
                    {d: 0o755, f"{d}/__init__.py": 0o644, f"{d}/handler.py": 0o644, f"{d}/{h}": 0o755},
                )
                for m in members.values():
                    self.assertEqual((m.uid, m.gid, m.mtime), (0, 0, MTIME), m.name)
                self.assertTrue(members[d].isdir())
                init = tar.extractfile(f"{d}/__init__.py")
                handler = tar.extractfile(f"{d}/handler.py")
                assert init is not None and handler is not None
                self.assertEqual(init.read(), b"")
                self.assertEqual(
                    handler.read().decode(),
                    TEMPLATE.replace('HANDLER = "@HANDLER@"', f'HANDLER = "{h}"'),
                )

    def test_the_binary_is_the_pdu_handler(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            for h in PDU_HANDLERS:
                d = package_dir(h)
                with tarfile.open(DIST / f"{d}.tar.gz") as tar:
                    tar.extractall(tmp)
                info = subprocess.run([f"{tmp}/{d}/{h}", "-info"], capture_output=True, check=True)
                self.assertIn(b"<type>PDU</type>", info.stdout)

    def test_the_probe_has_no_binary(self) -> None:
        with tarfile.open(DIST / "dcih_probe.tar.gz") as tar:
            self.assertEqual(
                sorted(tar.getnames()), ["dcih_probe", "dcih_probe/__init__.py", "dcih_probe/handler.py"]
            )


if __name__ == "__main__":
    unittest.main()
