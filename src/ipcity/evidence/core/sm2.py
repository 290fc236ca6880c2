"""SM2 digital signatures (GB/T 32918.2-2016) with SM3, on the recommended curve of GB/T 32918.5-2017.
Plain integer arithmetic in Jacobian coordinates: the log signs one checkpoint a second, and a verifier checks a
handful; speed is not the point, exactness against the standard's examples is."""

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


def _add(curve: Curve, p1: Point, p2: Point) -> Point:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2), p = p1, p2, curve.p
    if x1 == x2:
        if (y1 + y2) % p == 0:
            return None
        slope = (3 * x1 * x1 + curve.a) * pow(2 * y1, -1, p) % p
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p


def _multiply(curve: Curve, k: int, point: Point) -> Point:
    result: Point = None
    addend = point
    while k:
        if k & 1:
            result = _add(curve, result, addend)
        addend = _add(curve, addend, addend)
        k >>= 1
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
    return _multiply(curve, private, (curve.gx, curve.gy))


def generate_private_key(curve: Curve = RECOMMENDED) -> int:
    return 1 + secrets.randbelow(curve.n - 2)


def z_value(public: tuple[int, int], identity: bytes = DEFAULT_ID, curve: Curve = RECOMMENDED) -> bytes:
    """Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A)."""
    entl = (len(identity) * 8).to_bytes(2, "big")
    return sm3(entl + identity + b"".join(_bytes(v) for v in (curve.a, curve.b, curve.gx, curve.gy, *public)))


def sign(private: int, message: bytes, identity: bytes = DEFAULT_ID, curve: Curve = RECOMMENDED,
         k: int | None = None) -> bytes:
    """The signature r || s (64 bytes). `k` is for reproducing the standard's examples only."""
    e = _int(sm3(z_value(public_key(private, curve), identity, curve) + message))
    while True:
        nonce = k if k is not None else 1 + secrets.randbelow(curve.n - 1)
        x1, _ = _multiply(curve, nonce, (curve.gx, curve.gy))
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
    point = _add(curve, _multiply(curve, s, (curve.gx, curve.gy)), _multiply(curve, t, public))
    return point is not None and (e + point[0]) % curve.n == r
