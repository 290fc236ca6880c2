"""A built-in RFC 3161 time-stamp authority (ECDSA P-256, a TSA certificate under the log's own root, ESSCertIDv2)
and an offline verifier for its tokens. The tokens also verify with `openssl ts -verify`."""

import datetime as dt
import hashlib
import secrets
import urllib.request
from dataclasses import dataclass

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POLICY_OID = "1.3.6.1.4.1.55555.1.1"  # this TSA's policy identifier (informational, private arc)


class TimestampError(ValueError):
    pass


@dataclass
class TsaIdentity:
    """The root certificate (trust anchor), the TSA certificate it issued and the TSA's signing key."""

    root_cert: x509.Certificate
    tsa_cert: x509.Certificate
    tsa_key: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls, organization: str, now: dt.datetime, years: int = 20) -> "TsaIdentity":
        root_key = ec.generate_private_key(ec.SECP256R1())
        tsa_key = ec.generate_private_key(ec.SECP256R1())
        root_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                               x509.NameAttribute(NameOID.COMMON_NAME, "ipcity evidence root")])
        tsa_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                              x509.NameAttribute(NameOID.COMMON_NAME, "ipcity time-stamp authority")])
        not_before, not_after = now - dt.timedelta(days=1), now + dt.timedelta(days=365 * years)
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                             crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
                .sign(root_key, hashes.SHA256()))
        tsa = (x509.CertificateBuilder().subject_name(tsa_name).issuer_name(root_name)
               .public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
               .sign(root_key, hashes.SHA256()))
        return cls(root, tsa, tsa_key)

    def to_pem(self) -> bytes:
        key = self.tsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
        return (self.root_cert.public_bytes(serialization.Encoding.PEM)
                + self.tsa_cert.public_bytes(serialization.Encoding.PEM) + key)

    @classmethod
    def from_pem(cls, data: bytes) -> "TsaIdentity":
        root, tsa = x509.load_pem_x509_certificates(data)[:2]
        return cls(root, tsa, serialization.load_pem_private_key(data, password=None))


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def issue_token(identity: TsaIdentity, data: bytes, now: dt.datetime, serial: int | None = None) -> bytes:
    """A time-stamp token (CMS ContentInfo, DER) over SHA-256(data), carrying the TSA certificate.

    Written directly in DER: the structure is fixed but for the stamped digest, the serial, the time and the
    signature, and building it through asn1crypto's object model took 6-7 ms of each checkpoint's sealing (the
    token is parsed with asn1crypto when verified, and `openssl ts -verify` reads it: tests/evidence)."""
    stamped_at = now.astimezone(dt.UTC).replace(microsecond=(now.microsecond // 1000) * 1000)
    content = _seq(_int(1), _oid(POLICY_OID),
                   _seq(_SHA256_ALGORITHM, _octets(hashlib.sha256(data).digest())),
                   _int(serial if serial is not None else secrets.randbits(63)), _generalized_time(stamped_at),
                   _seq(_int(1)))  # accuracy: one second
    tsa_der = _der(identity.tsa_cert)
    attributes = [
        _seq(_oid(_CONTENT_TYPE), _set(_oid(_TST_INFO))),
        _seq(_oid(_MESSAGE_DIGEST), _set(_octets(hashlib.sha256(content).digest()))),
        # SigningCertificateV2 { certs: [ESSCertIDv2 { certHash }] } (hashAlgorithm sha256 is the default)
        _seq(_oid(_SIGNING_CERTIFICATE_V2), _set(_seq(_seq(_seq(_octets(hashlib.sha256(tsa_der).digest())))))),
    ]
    signed_attrs = _set(*attributes)  # what is signed: the attributes as a SET OF
    signature = identity.tsa_key.sign(signed_attrs, ec.ECDSA(hashes.SHA256()))
    signer = _seq(_int(1),
                  _seq(identity.tsa_cert.issuer.public_bytes(), _int(identity.tsa_cert.serial_number)),
                  _SHA256_ALGORITHM,
                  b"\xa0" + signed_attrs[1:],  # [0] IMPLICIT in the SignerInfo
                  _seq(_oid(_ECDSA_WITH_SHA256)),
                  _octets(signature))
    signed_data = _seq(_int(3), _set(_SHA256_ALGORITHM),
                       _seq(_oid(_TST_INFO), _tlv(0xA0, _octets(content))),
                       # The chain up to the trust anchor: the root itself is pinned by the verifier, not shipped.
                       _tlv(0xA0, tsa_der),
                       _set(signer))
    return _seq(_oid(_SIGNED_DATA), _tlv(0xA0, signed_data))


_SIGNED_DATA = "1.2.840.113549.1.7.2"
_TST_INFO = "1.2.840.113549.1.9.16.1.4"
_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _set(*parts: bytes) -> bytes:
    return _tlv(0x31, b"".join(sorted(parts)))  # DER orders a SET OF by its members' encodings


def _int(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def _octets(value: bytes) -> bytes:
    return _tlv(0x04, value)


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(arc) for arc in dotted.split("."))
    body = bytearray()
    for arc in (40 * first + second, *rest):
        chunk = [arc & 0x7F]
        while arc := arc >> 7:
            chunk.append(0x80 | (arc & 0x7F))
        body += bytes(reversed(chunk))
    return _tlv(0x06, bytes(body))


def _generalized_time(moment: dt.datetime) -> bytes:
    """DER's GeneralizedTime in UTC: fractional seconds without trailing zeros, none at all when whole."""
    text = moment.strftime("%Y%m%d%H%M%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return _tlv(0x18, (text + "Z").encode())


_SHA256_ALGORITHM = _seq(_oid("2.16.840.1.101.3.4.2.1"))


def response(token: bytes) -> bytes:
    """The TimeStampResp wrapping a token (the form `openssl ts -verify -in` reads)."""
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": cms.ContentInfo.load(token)}).dump()


def request_external(url: str, data: bytes, timeout: float = 10.0) -> bytes:
    """Ask a configured external TSA (e.g. a national time service) for a token over SHA-256(data)."""
    query = tsp.TimeStampReq({"version": "v1", "message_imprint": {
        "hash_algorithm": {"algorithm": "sha256"}, "hashed_message": hashlib.sha256(data).digest()},
        "nonce": secrets.randbits(63), "cert_req": True}).dump()
    request = urllib.request.Request(url, data=query, headers={"Content-Type": "application/timestamp-query"})
    with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (the office configures the URL)
        parsed = tsp.TimeStampResp.load(reply.read())
    if parsed["status"]["status"].native not in ("granted", "granted_with_mods"):
        raise TimestampError(f"外部时间戳服务拒绝请求：{parsed['status']['status'].native}")
    return parsed["time_stamp_token"].dump()


def verify_token(token: bytes, data: bytes, trusted_root_der: bytes) -> dt.datetime:
    """Check a token against the data it stamps and a pinned root certificate. Returns the stamped time."""
    try:
        info = cms.ContentInfo.load(token)
        signed = info["content"]
        tst_bytes = signed["encap_content_info"]["content"].contents
        tst = tsp.TSTInfo.load(tst_bytes)
        imprint = tst["message_imprint"]
        signer = signed["signer_infos"][0]
        # Raw bytes first: once asn1crypto has parsed the children, dump() re-encodes them (slowly).
        # The signature covers the attributes as a SET OF (tag 0x31), not with the [0] tag they carry here.
        signed_bytes = b"\x31" + signer["signed_attrs"].dump()[1:]
        sid = signer["sid"].chosen
        issuer_bytes, serial = sid["issuer"].dump(), sid["serial_number"].native
        certs = [c.chosen.dump() for c in signed["certificates"]]
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise TimestampError(f"时间戳令牌无法解析：{exc}") from None
    if imprint["hash_algorithm"]["algorithm"].native != "sha256" or \
            imprint["hashed_message"].native != hashlib.sha256(data).digest():
        raise TimestampError("时间戳令牌盖戳的不是这份检查点")
    attrs = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
    if attrs.get("message_digest") is None or attrs["message_digest"].native != hashlib.sha256(tst_bytes).digest():
        raise TimestampError("时间戳令牌的摘要与内容不符")
    tsa_cert = _signer_certificate(certs, serial, issuer_bytes)
    cert_ids = attrs.get("signing_certificate_v2")
    if cert_ids is None or cert_ids["certs"][0]["cert_hash"].native != hashlib.sha256(_der(tsa_cert)).digest():
        raise TimestampError("时间戳令牌缺少或不匹配 ESSCertIDv2")
    try:
        tsa_cert.public_key().verify(signer["signature"].native, signed_bytes, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, TypeError):
        raise TimestampError("时间戳令牌的签名验证失败") from None
    root = x509.load_der_x509_certificate(trusted_root_der)
    try:
        tsa_cert.verify_directly_issued_by(root)
    except (InvalidSignature, ValueError, TypeError):
        raise TimestampError("时间戳服务证书不是由受信任的根证书签发") from None
    eku = tsa_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    if ExtendedKeyUsageOID.TIME_STAMPING not in eku:
        raise TimestampError("时间戳服务证书没有时间戳用途")
    stamped = tst["gen_time"].native
    if not tsa_cert.not_valid_before_utc <= stamped <= tsa_cert.not_valid_after_utc:
        raise TimestampError("盖戳时间不在时间戳服务证书的有效期内")
    return stamped


def _signer_certificate(certs: list[bytes], serial: int, issuer: bytes) -> x509.Certificate:
    for der in certs:
        try:
            cert = x509.load_der_x509_certificate(der)
        except (ValueError, x509.InvalidVersion):  # a damaged certificate (InvalidVersion is no ValueError)
            raise TimestampError("时间戳令牌中的证书已损坏，无法解析") from None
        if cert.serial_number == serial and cert.issuer.public_bytes() == issuer:
            return cert
    raise TimestampError("时间戳令牌中没有签名者的证书")
