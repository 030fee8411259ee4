"""A dcihandlers PDU handler for DCImanager 6.

DCImanager 6 runs a custom PDU handler as a Python module: `make_handler(pdu_data)` returns a
`BaseSnmpPdu` whose `status()`, `port_up()`, `port_down()` and `statistic()` the platform calls.
This module is that handler for one dcihandlers binary, shipped beside it in the same upload
archive. It never uses the SDK's SNMP calls: each method writes one DCImanager 5 request to the
binary's standard input (secrets travel there, never in argv), runs it under a timeout, and maps
its answer back onto the SDK's views.

Only names ISPsystem publishes are imported (docs: "Creating a PDU handler"). Where the published
interface does not say a name (the IP attribute of `PduSnmpData`, the SNMPv3 keys, the port list
of `PduView`, the statistic fields), the adapter finds it in the objects themselves, from their
type annotations and attribute names, or takes it from a Handler setting keyed like the
DCImanager 5 device parameter (`ip`, `snmp_ver`, `snmp_user`, ...); what it cannot find it names
in an error instead of guessing. The rules are in docs/dcimanager6.md; the `dcih_probe` archive
reports the real names of an install in one poll.

Python 3.9 or later, standard library only (checked with `mypy --python-version 3.9`).
"""

import atexit
import dataclasses
import errno
import ipaddress
import logging
import os
import re
import shutil
import subprocess
import tempfile
import typing
import xml.etree.ElementTree as ET
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

# The binary beside this file; `cargo xtask package` writes its name here.
HANDLER = "@HANDLER@"

try:
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
except ImportError as missing:
    raise ImportError(
        f"dcihandlers {HANDLER}: DCImanager 6's handler SDK lacks a name this adapter imports "
        f"(common.logger.get_logger, pdu_common.base_snmp_pdu.BaseSnmpPdu, "
        f"pdu_common.connection.PduSnmpData, pdu_common.helper.PduView, PduPortView, "
        f"EnumPowerStatus, PduStatisticView, PduPortStatisticView): {missing}"
    ) from missing

log = get_logger(f"dcih.{HANDLER}")

# How long the binary may take: its own deadline (DCIH_DEADLINE, 30 s unless the Handler
# setting dcih_deadline says otherwise) and a margin to write its answer.
DEFAULT_DEADLINE_S = 30.0
MARGIN_S = 5.0

# The Handler settings this adapter reads: DCImanager 5's device parameters, and its own.
SETTING_KEYS = (
    "ip",
    "snmp_ver",
    "snmp_community",
    "snmp_user",
    "snmp_auth_phrase",
    "snmp_priv_phrase",
    "snmp_auth_level",
    "snmp_auth_proto",
    "snmp_priv_proto",
    "dcih_deadline",
)

# Values that are never logged or put in an error.
SECRET_KEYS = ("snmp_community", "snmp_auth_phrase", "snmp_priv_phrase")


class HandlerError(Exception):
    """A call that did not end in an answer. `str()` is the handler's own error text;
    `error_type` is its type (`connection`: the device; `unexpected_data`: the request or the
    answer), or `adapter` for what went wrong here."""

    def __init__(self, text: str, error_type: str = "adapter") -> None:
        super().__init__(text)
        self.text = text
        self.error_type = error_type


# ---------------------------------------------------------------------------------------------
# Finding things in objects whose shape is not published


def words(name: str) -> List[str]:
    """The lower-case words of an identifier: `snmpAuthProtocol` and `snmp_auth_protocol` both
    give snmp, auth, protocol."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def fields(obj: Any) -> Dict[str, Any]:
    """The data attributes of an object: dataclass fields, annotated attributes, instance
    attributes and slots; no methods, nothing private."""
    out: Dict[str, Any] = {}
    names: List[str] = []
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names += [f.name for f in dataclasses.fields(obj)]
    for klass in reversed(type(obj).__mro__):
        names += list(getattr(klass, "__annotations__", {}))
        slots = getattr(klass, "__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    names += list(getattr(obj, "__dict__", {}))
    for name in names:
        if name.startswith("_") or name in out:
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # a property that needs something we do not have
            continue
        if callable(value) and not isinstance(value, type):
            continue
        out[name] = value
    return out


def annotations(cls: type) -> Dict[str, Any]:
    """A class's field annotations, resolved where they can be, as written where not."""
    raw: Dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        raw.update(getattr(klass, "__annotations__", {}))
    try:
        raw.update(typing.get_type_hints(cls))
    except Exception:  # a forward reference the SDK's module does not resolve
        pass
    for attr in ("model_fields", "__fields__"):  # pydantic 2, pydantic 1
        model = getattr(cls, attr, None)
        if isinstance(model, Mapping):
            for name, info in model.items():
                hint = getattr(info, "annotation", None) or getattr(info, "outer_type_", None)
                if hint is not None:
                    raw.setdefault(name, hint)
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def holds(hint: Any, element: type) -> Optional[str]:
    """`list`, `tuple` or `dict` when an annotation is a collection of `element` (through
    Optional), else None."""
    if isinstance(hint, str):
        m = re.fullmatch(
            r"\s*(?:typing\.)?(?:Optional\[)?\s*(List|list|Sequence|Tuple|tuple|Dict|dict|Mapping)"
            r"\[(?:[^,\]]+,\s*)?" + re.escape(element.__name__) + r"(?:\s*,\s*\.\.\.)?\]\]?\s*",
            hint,
        )
        if not m:
            return None
        kind = m.group(1).lower()
        return "dict" if kind in ("dict", "mapping") else "tuple" if kind == "tuple" else "list"
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union:
        for arg in args:
            kind = holds(arg, element)
            if kind:
                return kind
        return None
    if origin is None or not args:
        return None
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return "dict" if args[-1] is element else None
    if args[0] is element:
        return "tuple" if origin is tuple else "list"
    return None


def collection_field(cls: type, element: type) -> Tuple[str, str]:
    """The one field of `cls` annotated as a collection of `element`, and its kind."""
    hints = annotations(cls)
    found = [(name, kind) for name, hint in hints.items() for kind in [holds(hint, element)] if kind]
    if len(found) == 1:
        return found[0]
    listed = ", ".join(f"{n}: {describe(h)}" for n, h in hints.items()) or "none annotated"
    what = "no field" if not found else "more than one field"
    raise HandlerError(
        f"{cls.__name__} has {what} annotated as a list of {element.__name__} "
        f"(its fields: {listed}); the dcih_probe archive reports the SDK's real shape"
    )


def describe(hint: Any) -> str:
    if isinstance(hint, type):
        return hint.__name__
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", str(hint))


def make(cls: type, values: Dict[str, Any]) -> Any:
    """An instance of an SDK view with `values`: given to the constructor where it takes them,
    else set one by one on an instance made without arguments."""
    try:
        return cls(**values)
    except TypeError:
        obj = cls()
        for k, v in values.items():
            setattr(obj, k, v)
        return obj


def identity_value(cls: type, name: str, identity: str) -> Any:
    """A port identity in the type the view's annotation asks for (an int where it says int)."""
    hint = annotations(cls).get(name)
    if hint is int or hint == "int":
        if not identity.isdigit():
            raise HandlerError(
                f"{cls.__name__}.{name} is an int, but the PDU's port is '{identity}'"
            )
        return int(identity)
    return identity


def identity_field(cls: type) -> str:
    """`identity` (the published example's code), or `identify` (its prose)."""
    hints = annotations(cls)
    for name in ("identity", "identify"):
        if name in hints:
            return name
    return "identity"


def port_identity(port: Any) -> str:
    for name in ("identity", "identify"):
        value = getattr(port, name, None)
        if value is not None and str(value).strip():
            return str(value).strip()
    raise HandlerError(
        f"the {type(port).__name__} given has no identity (fields: {', '.join(fields(port))})"
    )


# ---------------------------------------------------------------------------------------------
# DCImanager 5's device parameters, from pdu_data


def settings_of(pdu_data: Any) -> Dict[str, str]:
    """The Handler settings: every mapping (or list of key/value pairs) attribute of
    `pdu_data` other than `snmp_params` that holds at least one of [`SETTING_KEYS`]."""
    merged: Dict[str, str] = {}
    for name, value in fields(pdu_data).items():
        if name == "snmp_params":
            continue
        pairs = pairs_of(value)
        if pairs is None or not any(k in SETTING_KEYS for k in pairs):
            continue
        for k, v in pairs.items():
            if k in merged and merged[k] != v:
                raise HandlerError(f"the Handler setting {k} is given twice, with two values")
            merged[k] = v
    return merged


def pairs_of(value: Any) -> Optional[Dict[str, str]]:
    if isinstance(value, Mapping):
        return {str(k): text(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)) and value:
        out: Dict[str, str] = {}
        for item in value:
            if isinstance(item, Mapping):
                key = item.get("key", item.get("name"))
                val = item.get("value")
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                key, val = item
            else:
                key = getattr(item, "key", getattr(item, "name", None))
                val = getattr(item, "value", None)
            if key is None or val is None:
                return None
            out[str(key)] = text(val)
        return out
    return None


def text(value: Any) -> str:
    """A value as DCImanager 5 text: an enum member by its value (else its name)."""
    import enum

    if isinstance(value, enum.Enum):
        inner = value.value
        return str(inner) if isinstance(inner, (str, int)) else value.name
    return str(value)


SECRET_WORDS = {"pass", "password", "passwd", "passphrase", "phrase", "key", "secret"}
AUTH_WORDS = {"auth", "authentication", "authn"}
PRIV_WORDS = {"priv", "privacy", "encryption", "encrypt", "enc", "crypt", "crypto"}
PROTO_WORDS = {"proto", "protocol", "method", "type", "algorithm", "alg", "hash", "digest", "cipher"}

# Which DCImanager 5 parameter a key of snmp_params (or an attribute of pdu_data) is, by the
# words of its name.
ROLES: List[Tuple[str, Callable[[Set[str]], bool]]] = [
    ("snmp_community", lambda w: "community" in w),
    ("snmp_ver", lambda w: bool(w & {"version", "ver"})),
    (
        "snmp_auth_level",
        lambda w: "level" in w or w >= {"sec", "level"} or w >= {"security", "level"},
    ),
    ("snmp_auth_proto", lambda w: bool(w & AUTH_WORDS and w & PROTO_WORDS and not w & PRIV_WORDS)),
    ("snmp_priv_proto", lambda w: bool(w & PRIV_WORDS and w & PROTO_WORDS)),
    ("snmp_auth_phrase", lambda w: bool(w & AUTH_WORDS and w & SECRET_WORDS and not w & PRIV_WORDS)),
    ("snmp_priv_phrase", lambda w: bool(w & PRIV_WORDS and w & SECRET_WORDS)),
    (
        "snmp_user",
        lambda w: bool(
            (w & {"user", "username", "login", "secname"} or w >= {"security", "name"})
            and not w & (AUTH_WORDS | PRIV_WORDS | SECRET_WORDS | {"level"})
        ),
    ),
]


def role_of(name: str) -> Optional[str]:
    w = set(words(name))
    for role, test in ROLES:
        if test(w):
            return role
    return None


def by_role(source: Mapping[str, Any], where: str) -> Dict[str, Tuple[str, str]]:
    """DCImanager 5 parameter -> (the key it came from, its text), for the keys whose names
    say what they are. Two keys for one parameter with different values: an error."""
    out: Dict[str, Tuple[str, str]] = {}
    for key, value in source.items():
        if value is None or isinstance(value, (Mapping, list, tuple)) or text(value) == "":
            continue
        role = "snmp_community" if key == "community" else role_of(str(key))
        if role is None:
            continue
        if role in out and out[role][1] != text(value):
            raise HandlerError(
                f"{where} has two keys that could be {role}: {out[role][0]} and {key}; "
                f"give the Handler setting {role}"
            )
        out[role] = (f"{where}[{key!r}]" if where == "snmp_params" else f"{where}.{key}", text(value))
    return out


def addresses(obj: Any, path: str, depth: int) -> List[Tuple[str, str, Optional[int]]]:
    """(where, address, SNMP port beside it) for every field holding an IP address."""
    found: List[Tuple[str, str, Optional[int]]] = []
    attrs = fields(obj)
    port: Optional[int] = None
    for name, value in attrs.items():
        w = set(words(name))
        if "port" in w and (w <= {"port", "snmp", "udp", "agent"}) and isinstance(value, int):
            if 1 <= value <= 65535:
                port = value
    for name, value in attrs.items():
        if name in ("snmp_params",):
            continue
        if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            found.append((f"{path}.{name}", str(value), port))
        elif isinstance(value, str):
            try:
                found.append((f"{path}.{name}", str(ipaddress.ip_address(value.strip())), port))
            except ValueError:
                pass
        elif depth > 0 and not isinstance(value, (int, float, bool, bytes, Mapping, list, tuple)):
            found += addresses(value, f"{path}.{name}", depth - 1)
    return found


VERSIONS = {"1": "SNMP v1", "2": "SNMP v2c", "2c": "SNMP v2c", "3": "SNMP v3"}
LEVELS = {"noauthnopriv": "noauth", "noauth": "noauth", "authnopriv": "authnopriv", "authpriv": "authpriv"}
AUTH_PROTOS = {
    "md5": "md5",
    "sha": "sha",
    "sha1": "sha",
    "sha224": "sha224",
    "sha256": "sha256",
    "sha384": "sha384",
    "sha512": "sha512",
}
PRIV_PROTOS = {"des": "des", "aes": "aes", "aes128": "aes", "aes192": "aes192", "aes256": "aes256"}


def squash(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


def normal(param: str, value: str, where: str) -> str:
    """A found value in DCImanager 5's spelling; refused with where it came from."""
    s = squash(value)
    table: Optional[Dict[str, str]] = None
    if param == "snmp_ver":
        s = re.sub(r"^(snmp)?v?", "", s)
        table = VERSIONS
    elif param == "snmp_auth_level":
        table = LEVELS
    elif param == "snmp_auth_proto":
        s = re.sub(r"^(usm)?(hmac)?", "", s)
        s = re.sub(r"(authprotocol|auth)$", "", s)
        s = re.sub(r"^(sha)(1)?96$", "sha", s)
        s = re.sub(r"^md596$", "md5", s)
        table = AUTH_PROTOS
    elif param == "snmp_priv_proto":
        s = re.sub(r"^(usm)?", "", s)
        s = re.sub(r"(privprotocol|protocol|priv)$", "", s)
        s = re.sub(r"^(aes)(cfb)?(128|192|256)?$", lambda m: "aes" + (m.group(3) or ""), s)
        s = re.sub(r"^cbcdes$|^des(cbc)?$", "des", s)
        table = PRIV_PROTOS
    if table is None:
        return value
    if s in table:
        return table[s]
    shown = value if param not in SECRET_KEYS else "***"
    raise HandlerError(
        f"{where} is '{shown[:40]}', which is not a {param} this adapter knows "
        f"({', '.join(sorted(set(table.values())))}); give the Handler setting {param}"
    )


def device_params(pdu_data: Any, settings: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """DCImanager 5's <device_params> for `pdu_data`: each from the Handler setting of its name
    (`settings`, read from `pdu_data` when not given), else the published
    snmp_params["community"], else the keys and attributes whose names say what they are (the
    IP: the one field holding an IP address). What cannot be found is named in the error."""
    if settings is None:
        settings = settings_of(pdu_data)
    params: Dict[str, str] = {}
    where: Dict[str, str] = {}
    snmp_params = getattr(pdu_data, "snmp_params", None)
    found: Dict[str, Tuple[str, str]] = {}
    if isinstance(snmp_params, Mapping):
        found.update(by_role(snmp_params, "snmp_params"))
    for role, (src, val) in by_role(
        {k: v for k, v in fields(pdu_data).items() if k != "snmp_params"}, "pdu_data"
    ).items():
        found.setdefault(role, (src, val))
    for key in SETTING_KEYS:
        if key == "ip" or key.startswith("dcih_"):
            continue
        if settings.get(key, "").strip():
            params[key], where[key] = settings[key].strip(), f"the Handler setting {key}"
        elif key in found:
            where[key], params[key] = found[key]
    if settings.get("ip", "").strip():
        params["ip"], where["ip"] = settings["ip"].strip(), "the Handler setting ip"
    else:
        hits = addresses(pdu_data, "pdu_data", 2)
        distinct = sorted({(a, p) for _, a, p in hits})
        if len(distinct) != 1:
            names = ", ".join(sorted(fields(pdu_data))) or "none"
            if not hits:
                problem = f"no field of pdu_data holds an IP address (its fields: {names})"
            else:
                problem = "more than one field holds an IP address: " + ", ".join(w for w, _, _ in hits)
            raise HandlerError(f"{problem}; give the Handler setting ip")
        address, port = distinct[0]
        if port is not None and port != 161:
            address = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        params["ip"], where["ip"] = address, hits[0][0]
    for key in list(params):
        if key in ("snmp_ver", "snmp_auth_level", "snmp_auth_proto", "snmp_priv_proto"):
            params[key] = normal(key, params[key], where.get(key, key))
    if "snmp_ver" not in params:
        keys = ", ".join(sorted(snmp_params)) if isinstance(snmp_params, Mapping) else "none"
        raise HandlerError(
            f"the SNMP version is in no field of pdu_data and no key of snmp_params "
            f"(its keys: {keys}); give the Handler setting snmp_ver (SNMP v1, SNMP v2c or SNMP v3)"
        )
    if params["snmp_ver"] == "SNMP v3":
        if "snmp_user" not in params:
            raise HandlerError("SNMP v3: the user is in no field found; give the Handler setting snmp_user")
        if "snmp_auth_level" not in params:
            # The level the keys given make: what the operator entered, not a guess.
            params["snmp_auth_level"] = (
                "authpriv"
                if "snmp_priv_phrase" in params
                else "authnopriv" if "snmp_auth_phrase" in params else "noauth"
            )
        level = params["snmp_auth_level"]
        needs: List[str] = []
        if level != "noauth":
            needs += ["snmp_auth_phrase", "snmp_auth_proto"]
        if level == "authpriv":
            needs += ["snmp_priv_phrase", "snmp_priv_proto"]
        for key in needs:
            if key not in params:
                raise HandlerError(
                    f"SNMP v3 {level}: {key} is in no field found; give the Handler setting {key}"
                )
        for key in ("snmp_community",):
            params.pop(key, None)
    else:
        if "snmp_community" not in params:
            raise HandlerError(
                'the community is not in snmp_params["community"]; give the Handler setting snmp_community'
            )
        for key in [k for k in params if k.startswith("snmp_") and k not in ("snmp_ver", "snmp_community")]:
            params.pop(key)
    log.debug("device params from %s", ", ".join(f"{k} <- {where.get(k, 'derived')}" for k in sorted(params)))
    return params


def deadline_of(settings: Mapping[str, str]) -> float:
    value = settings.get("dcih_deadline")
    if value is None:
        return DEFAULT_DEADLINE_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise HandlerError(f"the Handler setting dcih_deadline is '{value[:40]}', expected seconds above 0 and at most 3600")
    return seconds


def request(func: str, params: Mapping[str, str], identity: Optional[str] = None, readings: str = "") -> bytes:
    doc = ET.Element("doc")
    ET.SubElement(doc, "func").text = func
    dp = ET.SubElement(doc, "device_params")
    for key in SETTING_KEYS:
        if key in params:
            ET.SubElement(dp, key).text = params[key]
    if identity is not None:
        ET.SubElement(ET.SubElement(doc, "port"), "identity").text = identity
    if readings:
        ET.SubElement(doc, "readings").text = readings
    return bytes(ET.tostring(doc, encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Running the binary, whatever the upload did to its mode or mount


class Executable:
    """The binary beside this file. Runs it in place; if it cannot be executed there (the exec
    bit lost, a noexec mount), after restoring the exec bit, else from a private copy in a
    temporary directory, else from an in-memory file (memfd). The first way that works is kept
    for the life of the process and logged once."""

    # Directories tried for the private copy after tempfile's (TMPDIR, /tmp, ...); variables
    # expanded, one that is unset skipped.
    COPY_DIRS: Sequence[str] = ("$XDG_RUNTIME_DIR", "/dev/shm")

    def __init__(self, path: str) -> None:
        self.path = path
        self.way: Optional[str] = None
        self.argv: List[str] = []
        self.fds: Tuple[int, ...] = ()

    def run(self, stdin: bytes, timeout: float, env: Mapping[str, str]) -> "subprocess.CompletedProcess[bytes]":
        if self.way is not None:
            return self._spawn(stdin, timeout, env)
        refusals: List[str] = []
        for way, prepare in (
            ("in place", self._in_place),
            ("after restoring its exec bit", self._chmod),
            ("from a private copy", self._copy),
            ("from an in-memory file", self._memfd),
        ):
            try:
                prepare()
                done = self._spawn(stdin, timeout, env)
            except OSError as e:
                if e.errno not in (errno.EACCES, errno.EPERM, errno.ENOEXEC, errno.EROFS, errno.ENOSYS):
                    raise
                refusals.append(f"{way}: {e.strerror or e}")
                continue
            self.way = way
            level = logging.INFO if way == "in place" else logging.WARNING
            log.log(level, "%s runs %s (%s)", HANDLER, way, "; ".join(refusals) or "executable as unpacked")
            return done
        raise HandlerError(f"cannot run {self.path}: " + "; ".join(refusals))

    def _spawn(self, stdin: bytes, timeout: float, env: Mapping[str, str]) -> "subprocess.CompletedProcess[bytes]":
        return subprocess.run(
            self.argv,
            executable=self.argv[0],
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=timeout,
            env=dict(env),
            pass_fds=self.fds,
            check=False,
        )

    def _in_place(self) -> None:
        self.argv = [self.path]

    def _chmod(self) -> None:
        os.chmod(self.path, os.stat(self.path).st_mode | 0o755)
        self.argv = [self.path]

    def _copy(self) -> None:
        dirs = [tempfile.gettempdir()] + [os.path.expandvars(d) for d in self.COPY_DIRS]
        last: Optional[OSError] = None
        for d in [d for d in dirs if os.path.isdir(d)]:
            try:
                home = tempfile.mkdtemp(prefix="dcih-", dir=d)
                atexit.register(shutil.rmtree, home, True)
                copy = os.path.join(home, HANDLER)
                shutil.copyfile(self.path, copy)
                os.chmod(copy, 0o700)
                self.argv = [copy]
                subprocess.run([copy, "-info"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10, check=False)
                return
            except OSError as e:
                last = e
        raise last or OSError(errno.EACCES, "no writable temporary directory")

    def _memfd(self) -> None:
        memfd_create = getattr(os, "memfd_create", None)
        if memfd_create is None:
            raise OSError(errno.ENOSYS, "os.memfd_create is not available")
        fd = memfd_create(HANDLER, 0)
        with open(self.path, "rb") as src, os.fdopen(os.dup(fd), "wb") as dst:
            shutil.copyfileobj(src, dst)
        self.fds = (fd,)
        self.argv = [f"/proc/self/fd/{fd}"]


BINARY = Executable(os.path.join(os.path.dirname(os.path.abspath(__file__)), HANDLER))


def call(pdu_data: Any, func: str, identity: Optional[str] = None, readings: str = "") -> ET.Element:
    """Runs one DCImanager 5 request for `pdu_data` and returns the answer's <doc>; an <error>
    document, a timeout, a crash or anything but a document raise HandlerError."""
    settings = settings_of(pdu_data)
    params = device_params(pdu_data, settings)
    deadline = deadline_of(settings)
    env = dict(os.environ)
    env["DCIH_DEADLINE"] = f"{deadline:g}"
    try:
        done = BINARY.run(request(func, params, identity, readings), deadline + MARGIN_S, env)
    except subprocess.TimeoutExpired:
        raise HandlerError(
            f"{HANDLER} did not answer {func} within {deadline + MARGIN_S:g} s and was stopped"
        ) from None
    except OSError as e:
        raise HandlerError(f"cannot run {BINARY.path}: {e.strerror or e}") from e
    out = done.stdout.decode("utf-8", "replace").strip()
    err_lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    try:
        doc = ET.fromstring(out) if out else None
    except ET.ParseError:
        doc = None
    if doc is None or doc.tag != "doc":
        said = f"; it said: {err_lines[-1][:300]}" if err_lines else ""
        raise HandlerError(
            f"{HANDLER} exited with status {done.returncode} without an answer to {func}{said}"
        )
    error = doc.find("error")
    if error is not None:
        raise HandlerError(
            (error.findtext("text") or "").strip() or f"{HANDLER} answered with an empty error",
            (error.findtext("type") or "unexpected_data").strip(),
        )
    return doc


def number(port: ET.Element, name: str) -> Optional[float]:
    value = port.findtext(name)
    if value is None or not value.strip():
        return None
    return float(value)


POWER = {"on": "UP", "off": "DOWN"}


def power_status(admin: Optional[str]) -> Any:
    return getattr(EnumPowerStatus, POWER.get((admin or "").strip(), "UNKNOWN"))


# ---------------------------------------------------------------------------------------------
# The handler DCImanager 6 calls


class DciHandlersPdu(BaseSnmpPdu):
    """A PDU driven by the dcihandlers binary beside this module."""

    def __init__(self, pdu_data: PduSnmpData) -> None:
        super().__init__(pdu_data)
        self.data = pdu_data

    def status(self) -> PduView:
        # Where the ports go, before the device is asked.
        name, kind = collection_field(PduView, PduPortView)
        key = identity_field(PduPortView)
        doc = call(self.data, "status")
        ports = [
            make(
                PduPortView,
                {
                    key: identity_value(PduPortView, key, p.findtext("identity") or ""),
                    "power_status": power_status(p.findtext("admin_status")),
                },
            )
            for p in doc.findall("port")
        ]
        view = PduView()
        put(view, name, kind, ports, key)
        return view

    def port_up(self, pdu_port_data: PduPortView) -> PduPortView:
        return self._switch(pdu_port_data, "port_on")

    def port_down(self, pdu_port_data: PduPortView) -> PduPortView:
        return self._switch(pdu_port_data, "port_off")

    def _switch(self, port: Any, func: str) -> Any:
        identity = port_identity(port)
        doc = call(self.data, func, identity)
        answered = doc.find("port")
        # The binary read the state back until it matched or its deadline passed.
        port.power_status = power_status(answered.findtext("admin_status") if answered is not None else None)
        return port

    def statistic(self) -> PduStatisticView:
        doc = call(self.data, "statistics", readings="current energy")
        ports = doc.findall("port")
        amps = [a for a in (number(p, "current") for p in ports) if a is not None]
        kwh = [e for e in (number(p, "energy") for p in ports) if e is not None]
        if not amps and not kwh:
            raise HandlerError(
                f"{HANDLER}: this PDU reports neither current nor energy per outlet, so DCImanager 6's "
                f"load (A) and consumption (kWh) cannot be filled (watts are not converted: that "
                f"would need a voltage the PDU does not give)"
            )
        view = PduStatisticView()
        if amps:
            view.load = sum(amps)
        if kwh:
            view.total_consumption = float(sum(kwh))
        self._port_statistics(view, ports)
        return view

    def _port_statistics(self, view: Any, ports: Iterable[ET.Element]) -> None:
        """Per-port figures, in the fields of PduPortStatisticView named like PduStatisticView's
        published ones (load: A, total_consumption: kWh); left out, with a warning, where the
        SDK's views have no such fields."""
        try:
            name, kind = collection_field(PduStatisticView, PduPortStatisticView)
        except HandlerError as e:
            log.warning("per-port statistics left out: %s", e)
            return
        hints = annotations(PduPortStatisticView)
        known = [f for f in ("load", "total_consumption") if f in hints]
        if not known:
            log.warning(
                "per-port statistics left out: PduPortStatisticView has no field named like "
                "PduStatisticView's load or total_consumption (its fields: %s)",
                ", ".join(hints) or "none annotated",
            )
            return
        key = identity_field(PduPortStatisticView)
        items = []
        for p in ports:
            values: Dict[str, Any] = {
                key: identity_value(PduPortStatisticView, key, p.findtext("identity") or "")
            }
            for field, reading in (("load", "current"), ("total_consumption", "energy")):
                value = number(p, reading)
                if field in known and value is not None:
                    values[field] = value
            items.append(make(PduPortStatisticView, values))
        put(view, name, kind, items, key)


def put(view: Any, name: str, kind: str, items: List[Any], key: str) -> None:
    """Stores `items` in the view's collection field, in the collection it is annotated as."""
    if kind == "dict":
        setattr(view, name, {str(getattr(i, key)): i for i in items})
    elif kind == "tuple":
        setattr(view, name, tuple(items))
    else:
        current = getattr(view, name, None)
        if isinstance(current, list):
            current.extend(items)
        else:
            setattr(view, name, list(items))


def make_handler(pdu_data: PduSnmpData) -> BaseSnmpPdu:
    """The handler DCImanager 6 asks for."""
    return DciHandlersPdu(pdu_data)
