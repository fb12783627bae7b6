"""Fast ECDSA P-256 checks for the many signatures made under one SCE 2.0 FDM key.

A journal holds thousands of signatures per FDM key. OpenSSL keeps a table of multiples of the curve's
base point, so half of each ECDSA check is cheap; the other half (a multiple of the public key) is
computed from scratch at every check. Here each key gets such a table too, once, in OpenSSL's libcrypto
(on Linux: the one Python's own ``hashlib`` has loaded), called through :mod:`ctypes`; and the modular
inverses of a batch of signatures are taken together (Montgomery's trick: one inversion per batch).

The check is the ECDSA verification of SEC 1 (4.1.4) / FIPS 186: with e the SHA-256 of the message as an
integer, w = s^-1 mod n, X = (e w mod n) G + (r w mod n) Q, the signature holds when X is no point at
infinity and x(X) mod n = r, for 1 <= r, s < n. Only a ``True`` answer is used as it stands: ``False``,
and every case this module cannot take (no libcrypto, a build without the table function, an error
inside OpenSSL), go to the reference check through ``cryptography``, so a finding is only ever made by
the reference. A :class:`KeyTable` keeps scratch objects of its own, used under a lock.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["KeyTable", "N", "available", "inverses", "message_number"]

#: The order n of the P-256 base point.
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_NID_P256 = 415  # NID_X9_62_prime256v1
_MIN_VERSION = 0x10101000  # 1.1.1: EC_POINT_get_affine_coordinates

_VP = ctypes.c_void_p
_INT = ctypes.c_int
#: name, result type, argument types of each libcrypto function used
_SIGNATURES: tuple[tuple[str, Any, tuple[Any, ...]], ...] = (
    ("OpenSSL_version_num", ctypes.c_ulong, ()),
    ("EC_GROUP_new_by_curve_name", _VP, (_INT,)),
    ("EC_GROUP_free", None, (_VP,)),
    ("EC_GROUP_get0_order", _VP, (_VP,)),
    ("EC_GROUP_get0_cofactor", _VP, (_VP,)),
    ("EC_GROUP_set_generator", _INT, (_VP, _VP, _VP, _VP)),
    ("EC_GROUP_precompute_mult", _INT, (_VP, _VP)),
    ("EC_GROUP_have_precompute_mult", _INT, (_VP,)),
    ("EC_POINT_new", _VP, (_VP,)),
    ("EC_POINT_free", None, (_VP,)),
    ("EC_POINT_oct2point", _INT, (_VP, _VP, ctypes.c_char_p, ctypes.c_size_t, _VP)),
    ("EC_POINT_mul", _INT, (_VP, _VP, _VP, _VP, _VP, _VP)),
    ("EC_POINT_add", _INT, (_VP, _VP, _VP, _VP, _VP)),
    ("EC_POINT_is_at_infinity", _INT, (_VP, _VP)),
    ("EC_POINT_get_affine_coordinates", _INT, (_VP, _VP, _VP, _VP, _VP)),
    ("BN_new", _VP, ()),
    ("BN_free", None, (_VP,)),
    ("BN_bin2bn", _VP, (ctypes.c_char_p, _INT, _VP)),
    ("BN_bn2binpad", _INT, (_VP, ctypes.c_char_p, _INT)),
    ("BN_CTX_new", _VP, ()),
    ("BN_CTX_free", None, (_VP,)),
    ("ERR_clear_error", None, ()),
)


class _Lib:
    """The libcrypto functions, typed."""

    def __init__(self, handle: ctypes.CDLL) -> None:
        self.fn: dict[str, Callable[..., Any]] = {}
        for name, result, arguments in _SIGNATURES:
            function = getattr(handle, name)  # AttributeError: not in this build
            function.restype = result
            function.argtypes = list(arguments)
            self.fn[name] = function


def _loaded_libcrypto() -> str | None:
    """The path of the libcrypto this process has loaded for ``hashlib`` (Linux), or None."""
    try:
        import _hashlib  # noqa: F401, PLC0415 (loads libcrypto where Python links it as a library)

        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                fields = line.split(None, 5)
                if len(fields) == 6 and os.path.basename(fields[5].strip()).startswith("libcrypto.so"):
                    return fields[5].strip()
    except (ImportError, OSError):
        pass
    return None


@functools.cache
def _library() -> _Lib | None:
    """libcrypto 1.1.1 or later with every function needed, or None. Linux only: elsewhere a second
    copy of the library, or the system's, may not be loaded beside Python's own."""
    if not sys.platform.startswith("linux"):
        return None
    for name in (_loaded_libcrypto(), "libcrypto.so.3", "libcrypto.so.1.1"):
        if not name:
            continue
        try:
            lib = _Lib(ctypes.CDLL(name))
        except (OSError, AttributeError):
            continue
        if lib.fn["OpenSSL_version_num"]() >= _MIN_VERSION:
            return lib
    return None


def available() -> bool:
    """Whether the fast check can run here (else every signature takes the reference check)."""
    return _library() is not None


def message_number(message: bytes) -> int:
    """e: the SHA-256 of the signed bytes as an integer (all 256 bits: n is 256 bits long)."""
    return int.from_bytes(hashlib.sha256(message).digest(), "big")


def inverses(values: Sequence[int]) -> list[int]:
    """The inverses mod n of ``values`` (each in 1..n-1), with one modular inversion for all of them."""
    if not values:
        return []
    prefix = [0] * len(values)
    running = 1
    for index, value in enumerate(values):
        prefix[index] = running
        running = running * value % N
    inverse = pow(running, -1, N)
    out = [0] * len(values)
    for index in range(len(values) - 1, -1, -1):
        out[index] = inverse * prefix[index] % N
        inverse = inverse * values[index] % N
    return out


def _free(lib: _Lib, groups: list[int], points: list[int], numbers: list[int], context: int) -> None:
    for point in points:
        lib.fn["EC_POINT_free"](point)
    for number in numbers:
        lib.fn["BN_free"](number)
    for group in groups:
        lib.fn["EC_GROUP_free"](group)
    lib.fn["BN_CTX_free"](context)


class KeyTable:
    """One P-256 public key with its table of multiples in libcrypto."""

    def __init__(self, point: bytes) -> None:
        """``point``: the key as an uncompressed SEC 1 point (65 bytes). Raises ``ValueError`` when
        libcrypto is missing or refuses the key or the table."""
        lib = _library()
        if lib is None:
            raise ValueError("no libcrypto with the functions needed")
        fn = lib.fn
        groups: list[int] = []
        points: list[int] = []
        numbers: list[int] = []
        context = fn["BN_CTX_new"]()
        self._finalizer = weakref.finalize(self, _free, lib, groups, points, numbers, context)

        def made(value: int | None, what: str) -> int:
            if not value:
                fn["ERR_clear_error"]()
                raise ValueError(f"libcrypto: {what} failed")
            return value

        made(context, "BN_CTX_new")
        base = made(fn["EC_GROUP_new_by_curve_name"](_NID_P256), "P-256 group")
        groups.append(base)
        keyed = made(fn["EC_GROUP_new_by_curve_name"](_NID_P256), "P-256 group")
        groups.append(keyed)
        key = made(fn["EC_POINT_new"](keyed), "EC_POINT_new")
        points.append(key)
        made(fn["EC_POINT_oct2point"](keyed, key, point, len(point), context), "the key's point")
        made(fn["EC_POINT_is_at_infinity"](keyed, key) == 0, "a key that is no point at infinity")
        order = fn["EC_GROUP_get0_order"](base)
        cofactor = fn["EC_GROUP_get0_cofactor"](base)
        made(fn["EC_GROUP_set_generator"](keyed, key, order, cofactor), "EC_GROUP_set_generator")
        made(fn["EC_GROUP_precompute_mult"](keyed, context), "EC_GROUP_precompute_mult")
        made(fn["EC_GROUP_have_precompute_mult"](keyed), "the key's table")
        for _ in range(3):
            points.append(made(fn["EC_POINT_new"](base), "EC_POINT_new"))
        for _ in range(3):
            numbers.append(made(fn["BN_new"](), "BN_new"))
        self._base = base
        self._keyed = keyed
        self._points = points[1:]
        self._numbers = list(numbers)
        self._context = context
        self._buffer = ctypes.create_string_buffer(32)
        self._fn = fn
        self._lock = threading.Lock()  # ctypes lets other threads run during each call

    def verify(self, e: int, r: int, w: int) -> bool:
        """Whether x((e w mod n) G + (r w mod n) Q) mod n = r; ``w`` is s^-1 mod n, 1 <= r, s < n."""
        with self._lock:
            return self._verify(e, r, w)

    def _verify(self, e: int, r: int, w: int) -> bool:
        fn = self._fn
        first, second, total = self._points
        u1, u2, x = self._numbers
        context = self._context
        bin2bn = fn["BN_bin2bn"]
        mul = fn["EC_POINT_mul"]
        ok = (
            bin2bn((e * w % N).to_bytes(32, "big"), 32, u1) == u1
            and bin2bn((r * w % N).to_bytes(32, "big"), 32, u2) == u2
            and mul(self._base, first, u1, None, None, context) == 1
            and mul(self._keyed, second, u2, None, None, context) == 1
            and fn["EC_POINT_add"](self._base, total, first, second, context) == 1
            and fn["EC_POINT_is_at_infinity"](self._base, total) == 0
            and fn["EC_POINT_get_affine_coordinates"](self._base, total, x, None, context) == 1
            and fn["BN_bn2binpad"](x, self._buffer, 32) == 32
        )
        if not ok:
            fn["ERR_clear_error"]()
            return False
        return int.from_bytes(self._buffer.raw, "big") % N == r
