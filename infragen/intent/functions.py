"""Terraform's built-in functions, those configurations use at plan time.

Each takes already-evaluated arguments; the evaluator returns UNKNOWN before calling when an
argument is unknown, except for `try`/`can`/`coalesce`-like functions handled there. Functions
that read files, the clock or randomness are unknown offline, as they would be wrong otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
from collections.abc import Callable
from typing import Any

from infragen.intent.values import UNKNOWN


class FunctionError(ValueError):
    """A function was called with arguments Terraform would reject."""


def _jsonencode(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Go's encoder escapes these for HTML safety, and Terraform inherits that.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def tf_string(value: Any) -> str:
    """Terraform's automatic conversion of a primitive to string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    raise FunctionError(f"cannot convert {type(value).__name__} to string")


def _format(spec: str, *args: Any) -> str:
    out, i, arg = [], 0, 0
    pattern = re.compile(r"%(\[\d+\])?([-+# 0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])")
    for match in pattern.finditer(spec):
        out.append(spec[i : match.start()])
        i = match.end()
        verb = match.group(5)
        if verb == "%":
            out.append("%")
            continue
        if match.group(1):
            arg = int(match.group(1)[1:-1]) - 1
        value = args[arg]
        arg += 1
        if verb == "d":
            out.append(f"%{match.group(2)}{match.group(3)}d" % int(value))
        elif verb in "fe":
            precision = f".{match.group(4)}" if match.group(4) else ""
            out.append(f"%{match.group(3)}{precision}{verb}" % float(value))
        elif verb == "q":
            out.append(json.dumps(tf_string(value)))
        elif verb == "v" and not isinstance(value, str | int | float | bool):
            out.append(_jsonencode(value))
        else:
            out.append(f"%{match.group(2)}{match.group(3)}s" % tf_string(value))
    out.append(spec[i:])
    return "".join(out)


def _cidrsubnet(prefix: str, newbits: int, netnum: int) -> str:
    network = ipaddress.ip_network(prefix, strict=False)
    new_prefix = network.prefixlen + int(newbits)
    if new_prefix > network.max_prefixlen:
        raise FunctionError(f"cidrsubnet: {newbits} new bits do not fit in {prefix}")
    size = 2 ** (network.max_prefixlen - new_prefix)
    base = int(network.network_address) + int(netnum) * size
    return str(ipaddress.ip_network((base, new_prefix)))


def _cidrhost(prefix: str, hostnum: int) -> str:
    network = ipaddress.ip_network(prefix, strict=False)
    hostnum = int(hostnum)
    base = network.broadcast_address if hostnum < 0 else network.network_address
    return str(base + hostnum + (1 if hostnum < 0 else 0))


def _lookup(mapping: dict, key: str, *default: Any) -> Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise FunctionError(f"lookup: no key {key!r}")


def _merge(*maps: dict) -> dict:
    out: dict = {}
    for m in maps:
        if m is not None:
            out.update(m)
    return out


def _flatten(value: list) -> list:
    out: list = []
    for item in value:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _distinct(value: list) -> list:
    out: list = []
    for item in value:
        if item not in out:
            out.append(item)
    return out


def _toset(value: list) -> list:
    items = _distinct(list(value))
    return (
        sorted(items, key=lambda v: (str(type(v)), v))
        if all(isinstance(v, str | int | float) for v in items)
        else items
    )


def _coalesce(*values: Any) -> Any:
    for v in values:
        if v is not None and v != "":
            return v
    raise FunctionError("coalesce: no non-null argument")


def _element(values: list, index: int) -> Any:
    if not values:
        raise FunctionError("element: empty list")
    return values[int(index) % len(values)]


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise FunctionError(f"tobool: {value!r}")


def _hash(algorithm: str) -> Callable[[str], str]:
    return lambda text: hashlib.new(algorithm, text.encode()).hexdigest()


def _regex(pattern: str, text: str) -> Any:
    match = re.search(pattern, text)
    if not match:
        raise FunctionError(f"regex: no match for {pattern!r}")
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


def _range(*args: Any) -> list:
    values = [_number(a) for a in args]
    start, stop, step = (
        (0, values[0], 1)
        if len(values) == 1
        else (*values[:2], values[2] if len(values) > 2 else 1)
    )
    out, current = [], start
    while (step > 0 and current < stop) or (step < 0 and current > stop):
        out.append(current)
        current += step
    return out


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": json.loads,
    "format": _format,
    "formatlist": lambda spec, *lists: [_format(spec, *row) for row in zip(*lists, strict=False)],
    "join": lambda sep, *lists: sep.join(tf_string(v) for lst in lists for v in lst),
    "split": lambda sep, text: text.split(sep),
    "concat": lambda *lists: [v for lst in lists for v in lst],
    "length": len,
    "lookup": _lookup,
    "merge": _merge,
    "element": _element,
    "tolist": list,
    "toset": _toset,
    "tomap": dict,
    "tostring": lambda v: v if v is None else tf_string(v),
    "tonumber": lambda v: v if v is None else _number(v),
    "tobool": lambda v: v if v is None else _bool(v),
    "lower": str.lower,
    "upper": str.upper,
    "title": str.title,
    "replace": lambda text, old, new: (
        re.sub(old[1:-1], re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", new), text)
        if len(old) > 1 and old.startswith("/") and old.endswith("/")
        else text.replace(old, new)
    ),
    "trimspace": str.strip,
    "trim": lambda text, chars: text.strip(chars),
    "trimprefix": lambda text, prefix: text.removeprefix(prefix),
    "trimsuffix": lambda text, suffix: text.removesuffix(suffix),
    "chomp": lambda text: text.rstrip("\r\n"),
    "substr": lambda text, offset, length: text[int(offset) :][
        : None if int(length) < 0 else int(length)
    ],
    "startswith": str.startswith,
    "endswith": str.endswith,
    "strrev": lambda text: text[::-1],
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "cidrnetmask": lambda prefix: str(ipaddress.ip_network(prefix, strict=False).netmask),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": lambda values, v: v in values,
    "distinct": _distinct,
    "flatten": _flatten,
    "compact": lambda values: [v for v in values if v not in (None, "")],
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next((lst for lst in lists if lst), []),
    "max": lambda *v: max(v),
    "min": lambda *v: min(v),
    "abs": abs,
    "ceil": math.ceil,
    "floor": math.floor,
    "pow": lambda a, b: _number(a**b),
    "sum": lambda values: _number(sum(values)),
    "signum": lambda v: (v > 0) - (v < 0),
    "parseint": lambda text, base: int(text, int(base)),
    "range": _range,
    "zipmap": lambda ks, vs: dict(zip(ks, vs, strict=False)),
    "sort": lambda values: sorted(values),
    "reverse": lambda values: list(reversed(values)),
    "slice": lambda values, start, end: values[int(start) : int(end)],
    "index": lambda values, v: values.index(v),
    "one": lambda values: values[0] if values else None,
    "setunion": lambda *sets: _toset([v for s in sets for v in s]),
    "setintersection": lambda first, *rest: [v for v in first if all(v in r for r in rest)],
    "setproduct": lambda *sets: [list(p) for p in __import__("itertools").product(*sets)],
    "regex": _regex,
    "regexall": lambda pattern, text: [m.group(0) for m in re.finditer(pattern, text)],
    "base64encode": lambda text: base64.b64encode(text.encode()).decode(),
    "base64decode": lambda text: base64.b64decode(text).decode(),
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "urlencode": lambda text: __import__("urllib.parse").parse.quote(text, safe=""),
    "sensitive": lambda v: v,
    "nonsensitive": lambda v: v,
}

# Values that depend on the filesystem, the clock or chance: unknown offline.
UNKNOWABLE = {
    "file",
    "filebase64",
    "templatefile",
    "fileset",
    "filemd5",
    "filesha256",
    "timestamp",
    "uuid",
    "bcrypt",
    "plantimestamp",
    "abspath",
    "pathexpand",
    "fileexists",
}


def call_function(name: str, args: list[Any]) -> Any:
    name = name.split("::")[-1]
    if name in UNKNOWABLE:
        return UNKNOWN
    function = FUNCTIONS.get(name)
    if function is None:
        raise FunctionError(f"unknown function {name}")
    try:
        return function(*args)
    except FunctionError:
        raise
    except Exception as exc:  # any Python failure means Terraform would reject the call too
        raise FunctionError(f"{name}: {exc}") from exc
