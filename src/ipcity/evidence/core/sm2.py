"""SM2 digital signatures (GB/T 32918.2-2016) with SM3, on the recommended curve of GB/T 32918.5-2017.
Plain integer arithmetic in Jacobian coordinates (one inversion per scalar multiplication); multiples of the base
point come from a table made once per process, other points a 4-bit window at a time. Exactness against the standard's
examples comes first."""

import functools
import secrets
from dataclasses import dataclass

from ipcity.evidence.core.sm3 import sm3

DEFAULT_ID = b"1234567812345678"  # GM/T 0009-2012's default user identity


@dataclass(frozen=True)
class Curve:
    p: int
    a: int
    b: int
    n: int
    gx: int
    gy: int


RECOMMENDED = Curve(
    p=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    a=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
    b=0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
    n=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    gx=0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    gy=0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)

Point = tuple[int, int] | None  # affine; None is the point at infinity
_Jacobian = tuple[int, int, int]  # (X, Y, Z) with x = X/Z^2, y = Y/Z^3; Z == 0 is the point at infinity
_INFINITY: _Jacobian = (1, 1, 0)


def _double(curve: Curve, point: _Jacobian) -> _Jacobian:
    x, y, z = point
    if z == 0 or y == 0:
        return _INFINITY
    p = curve.p
    yy = y * y % p
    s = 4 * x * yy % p
    zz = z * z % p
    # a = p - 3 on the recommended curve: 3x^2 + a z^4 = 3 (x - z^2)(x + z^2), one multiplication fewer
    m = 3 * (x - zz) * (x + zz) % p if curve.a == p - 3 else (3 * x * x + curve.a * zz * zz) % p
    x3 = (m * m - 2 * s) % p
    return x3, (m * (s - x3) - 8 * yy * yy) % p, 2 * y * z % p


def _add(curve: Curve, p1: _Jacobian, p2: _Jacobian) -> _Jacobian:
    if p1[2] == 0:
        return p2
    if p2[2] == 0:
        return p1
    p = curve.p
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    z1z1, z2z2 = z1 * z1 % p, z2 * z2 % p
    u1, u2 = x1 * z2z2 % p, x2 * z1z1 % p
    s1, s2 = y1 * z2 * z2z2 % p, y2 * z1 * z1z1 % p
    if u1 == u2:
        return _double(curve, p1) if s1 == s2 else _INFINITY
    h, r = (u2 - u1) % p, (s2 - s1) % p
    hh = h * h % p
    hhh = h * hh % p
    v = u1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    return x3, (r * (v - x3) - s1 * hhh) % p, h * z1 * z2 % p


def _affine(curve: Curve, point: _Jacobian) -> Point:
    x, y, z = point
    if z == 0:
        return None
    inverse = pow(z, -1, curve.p)
    inverse2 = inverse * inverse % curve.p
    return x * inverse2 % curve.p, y * inverse2 * inverse % curve.p


def _multiple(curve: Curve, k: int, point: Point) -> _Jacobian:
    """k*P, a nibble at a time from the top: four doublings and at most one addition of a multiple of P from a
    table of sixteen."""
    if point is None:
        return _INFINITY
    table = [_INFINITY, (point[0], point[1], 1)]
    while len(table) < 16:
        table.append(_add(curve, table[-1], table[1]))
    result = _INFINITY
    for shift in range((k.bit_length() + 3) // 4 * 4 - 4, -1, -4):
        for _ in range(4):
            result = _double(curve, result)
        result = _add(curve, result, table[k >> shift & 15])
    return result


def _normalized(curve: Curve, point: _Jacobian) -> _Jacobian:
    affine = _affine(curve, point)
    return _INFINITY if affine is None else (affine[0], affine[1], 1)


@functools.cache
def _base_table(curve: Curve) -> tuple[tuple[_Jacobian, ...], ...]:
    """j * 16^i * G for each 4-bit window i of a scalar and each digit j: a multiple of the base point then takes
    one addition per window and no doubling (a signature is one such multiple; it took 3 ms by double-and-add)."""
    table, base = [], (curve.gx, curve.gy, 1)
    for _ in range((curve.n.bit_length() + 3) // 4):
        row = [_INFINITY, base]
        while len(row) < 16:
            row.append(_add(curve, row[-1], base))
        table.append(tuple(_normalized(curve, point) for point in row))
        for _ in range(4):
            base = _double(curve, base)
        base = _normalized(curve, base)
    return tuple(table)


def _base_multiple(curve: Curve, k: int) -> _Jacobian:
    """k*G."""
    k %= curve.n  # G's order is n
    result = _INFINITY
    for row in _base_table(curve):
        if not k:
            break
        result = _add(curve, result, row[k & 15])
        k >>= 4
    return result


def _on_curve(curve: Curve, point: Point) -> bool:
    if point is None:
        return False
    x, y = point
    return 0 <= x < curve.p and 0 <= y < curve.p and (y * y - x * x * x - curve.a * x - curve.b) % curve.p == 0


def _int(data: bytes) -> int:
    return int.from_bytes(data, "big")


def _bytes(value: int) -> bytes:
    return value.to_bytes(32, "big")


def public_key_bytes(point: tuple[int, int]) -> bytes:
    """Uncompressed encoding: 0x04 || x || y."""
    return b"\x04" + _bytes(point[0]) + _bytes(point[1])


def public_key_from_bytes(data: bytes, curve: Curve = RECOMMENDED) -> tuple[int, int]:
    if len(data) != 65 or data[0] != 4:
        raise ValueError("SM2 公钥应为65字节的非压缩编码（04||x||y）")
    point = (_int(data[1:33]), _int(data[33:]))
    if not _on_curve(curve, point):
        raise ValueError("SM2 公钥不在曲线上")
    return point


def public_key(private: int, curve: Curve = RECOMMENDED) -> tuple[int, int]:
    return _affine(curve, _base_multiple(curve, private))


def generate_private_key(curve: Curve = RECOMMENDED) -> int:
    return 1 + secrets.randbelow(curve.n - 2)


def z_value(public: tuple[int, int], identity: bytes = DEFAULT_ID, curve: Curve = RECOMMENDED) -> bytes:
    """Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A)."""
    entl = (len(identity) * 8).to_bytes(2, "big")
    return sm3(entl + identity + b"".join(_bytes(v) for v in (curve.a, curve.b, curve.gx, curve.gy, *public)))


def sign(private: int, message: bytes, identity: bytes = DEFAULT_ID, curve: Curve = RECOMMENDED,
         k: int | None = None, public: tuple[int, int] | None = None) -> bytes:
    """The signature r || s (64 bytes). `public` saves recomputing the key's public point; `k` is for reproducing
    the standard's examples only."""
    e = _int(sm3(z_value(public or public_key(private, curve), identity, curve) + message))
    while True:
        nonce = k if k is not None else 1 + secrets.randbelow(curve.n - 1)
        x1, _ = _affine(curve, _base_multiple(curve, nonce))
        r = (e + x1) % curve.n
        if r == 0 or r + nonce == curve.n:
            if k is not None:
                raise ValueError("the given k yields no signature")
            continue
        s = pow(1 + private, -1, curve.n) * (nonce - r * private) % curve.n
        if s == 0:
            if k is not None:
                raise ValueError("the given k yields no signature")
            continue
        return _bytes(r) + _bytes(s)


def verify(public: tuple[int, int], message: bytes, signature: bytes, identity: bytes = DEFAULT_ID,
           curve: Curve = RECOMMENDED) -> bool:
    if len(signature) != 64 or not _on_curve(curve, public):
        return False
    r, s = _int(signature[:32]), _int(signature[32:])
    if not (1 <= r < curve.n and 1 <= s < curve.n):
        return False
    t = (r + s) % curve.n
    if t == 0:
        return False
    e = _int(sm3(z_value(public, identity, curve) + message))
    point = _affine(curve, _add(curve, _base_multiple(curve, s), _multiple(curve, t, public)))
    return point is not None and (e + point[0]) % curve.n == r
