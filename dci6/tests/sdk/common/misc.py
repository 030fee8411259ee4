"""Stub of DCImanager 6's `common.misc` (test-only): the names the published example imports,
`waiter`, `InversionDict` and `Oid`, as the example uses them. The adapter needs none of them."""

import time
from typing import Any, Callable, Dict


class Oid(str):
    def __add__(self, other: object) -> "Oid":
        return Oid(f"{str(self).rstrip('.')}.{str(other).lstrip('.')}")


class InversionDict(Dict[Any, Any]):
    def get_by_value(self, value: Any, default: Any = None) -> Any:
        for k, v in self.items():
            if v == value:
                return k
        return default


def waiter(func: Callable[[], Any]) -> Callable[..., Any]:
    def wait(matcher: Callable[[Any], bool], timeout: float = 10) -> Any:
        end = time.monotonic() + timeout
        while True:
            got = func()
            if matcher(got) or time.monotonic() > end:
                return got
            time.sleep(0.5)

    return wait
