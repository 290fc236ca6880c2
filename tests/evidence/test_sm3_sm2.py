"""SM3 and SM2 against the examples of GB/T 32905-2016 and GB/T 32918.2 (Annex A, Fp-256 example curve)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ipcity.evidence.core import sm2
from ipcity.evidence.core.sm3 import sm3, sm3_pure


def test_sm3_gives_the_standards_first_example():
    assert sm3_pure(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_gives_the_standards_second_example_of_a_full_block():
    assert sm3_pure(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_the_fast_and_the_portable_sm3_agree(data):
    assert sm3(data) == sm3_pure(data)


EXAMPLE_CURVE = sm2.Curve(
    p=0x8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3,
    a=0x787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498,
    b=0x63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A,
    n=0x8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7,
    gx=0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D,
    gy=0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2,
)
PRIVATE = 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263
IDENTITY = b"ALICE123@YAHOO.COM"


def test_sm2_reproduces_the_standards_signature_example():
    public = sm2.public_key(PRIVATE, EXAMPLE_CURVE)
    assert public == (0x0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A,
                      0x7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857)
    assert sm2.z_value(public, IDENTITY, EXAMPLE_CURVE).hex().upper() == (
        "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A")
    signature = sm2.sign(PRIVATE, b"message digest", IDENTITY, EXAMPLE_CURVE,
                         k=0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F)
    assert signature.hex().upper() == (
        "40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1"
        "6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7")
    assert sm2.verify(public, b"message digest", signature, IDENTITY, EXAMPLE_CURVE)
    assert not sm2.verify(public, b"message digesT", signature, IDENTITY, EXAMPLE_CURVE)
    assert not sm2.verify(public, b"message digest", signature, b"BOB", EXAMPLE_CURVE)


def test_sm2_on_the_recommended_curve_signs_and_refuses_a_changed_signature():
    private = sm2.generate_private_key()
    public = sm2.public_key(private)
    assert sm2.public_key_from_bytes(sm2.public_key_bytes(public)) == public
    signature = sm2.sign(private, b"checkpoint body")
    assert sm2.verify(public, b"checkpoint body", signature)
    for position in (0, 31, 32, 63):
        changed = bytearray(signature)
        changed[position] ^= 1
        assert not sm2.verify(public, b"checkpoint body", bytes(changed))
