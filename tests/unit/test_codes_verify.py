"""RC1 居民码/企业码 verification: valid, expired, future, tampered, wrong key, replayed, malformed, fuzzed."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from devices.checkdigit import id_check_char, uscc_check_char
from kiosk.codes import REASONS, CodeChecker, rc1
from kiosk.codes.verifier import Rc1Verifier
from kiosk.identity import IdentitySource
from offline_cache.replay_store import ReplayStore

NOW = 1_800_000_000
ID17 = "37170219900307001"
ID_NUMBER = ID17 + id_check_char(ID17)
USCC17 = "91371700MA3C1234L"
USCC = USCC17 + uscc_check_char(USCC17)


class Clock:
    def __init__(self, t: float = NOW) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def keys():
    return {"hz": rc1.generate_keypair(), "other": rc1.generate_keypair()}


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def verifier(keys, data_dir, clock):
    store = ReplayStore(data_dir / "replay.sqlite3", clock=clock)
    yield Rc1Verifier({"hz": keys["hz"][1]}, store, skew=30, max_lifetime=300, clock=clock)
    store.close()


def claims(**over):
    base = {"sub": ID_NUMBER, "name": "李四", "iat": NOW - 10, "exp": NOW + 110, "jti": "j-1", "kid": "hz"}
    base.update(over)
    return base


def code(keys, kind="R", key="hz", **over):
    private_hex, public_hex = keys[key]
    return rc1.make_code(kind, claims(**over), private_hex, public_hex)


def test_valid_resident_code_becomes_an_identity(keys, verifier):
    result = verifier.verify(code(keys))
    assert result.ok and result.reason is None and result.message == ""
    assert (result.kind, result.sub, result.name) == ("resident", ID_NUMBER, "李四")
    ident = result.identity()
    assert ident.source is IdentitySource.RESIDENT_CODE
    assert ident.number == ID_NUMBER and ident.verified_offline and not ident.is_enterprise
    assert "李四" not in repr(result) and ID_NUMBER not in repr(ident)
    # only the name and the number are personal strings the log redactor has to learn
    assert sorted(ident.personal_values()) == sorted(["李四", ID_NUMBER])
    assert ident.details == {"expires_at": NOW + 110}


def test_valid_enterprise_code(keys, verifier):
    result = verifier.verify(code(keys, kind="E", sub=USCC, name="菏泽某某有限公司"))
    assert result.ok and result.kind == "enterprise"
    assert result.identity().source is IdentitySource.ENTERPRISE_CODE
    assert result.identity().is_enterprise


@pytest.mark.parametrize("now, reason", [
    (NOW + 110 + 31, "expired"),
    (NOW - 10 - 31, "not_yet_valid"),
])
def test_time_window_refusals(keys, verifier, clock, now, reason):
    clock.t = now
    result = verifier.verify(code(keys))
    assert not result.ok and result.reason == reason and result.message == REASONS[reason]


@pytest.mark.parametrize("now", [NOW + 110 + 30, NOW - 10 - 30])
def test_skew_edges_are_accepted(keys, verifier, clock, now):
    clock.t = now
    assert verifier.verify(code(keys)).ok


def test_lifetime_limit(keys, verifier):
    assert verifier.verify(code(keys, iat=NOW - 100, exp=NOW + 200, jti="a")).ok  # exactly 300 s
    result = verifier.verify(code(keys, iat=NOW - 100, exp=NOW + 201, jti="b"))
    assert result.reason == "lifetime_too_long"


def test_wrong_key_and_unknown_issuer(keys, verifier):
    assert verifier.verify(code(keys, key="other")).reason == "bad_signature"   # kid hz, signed by another key
    assert verifier.verify(code(keys, key="other", kid="nobody")).reason == "unknown_issuer"


def test_tampered_payload_and_signature(keys, verifier):
    good = code(keys)
    prefix, kind, payload, sig = good.split(".")
    forged = json.loads(rc1.b64url_decode(payload))
    forged["name"] = "王五"
    forged_payload = rc1.b64url_encode(json.dumps(forged, ensure_ascii=False).encode())
    assert verifier.verify(".".join([prefix, kind, forged_payload, sig])).reason == "bad_signature"
    flipped = bytearray(rc1.b64url_decode(sig))
    flipped[40] ^= 1
    assert verifier.verify(".".join([prefix, kind, payload, rc1.b64url_encode(bytes(flipped))])).reason \
        == "bad_signature"
    # the kind letter is signed too
    assert verifier.verify(".".join([prefix, "E", payload, sig])).reason == "bad_signature"
    # r = 0 and s = n are outside the range a signature can have
    assert verifier.verify(".".join([prefix, kind, payload, rc1.b64url_encode(bytes(64))])).reason \
        == "bad_signature"
    assert verifier.verify(good).ok  # the original still passes


def test_bad_check_digit(keys, verifier):
    wrong = ID17 + ("0" if ID_NUMBER[-1] != "0" else "1")
    assert verifier.verify(code(keys, sub=wrong)).reason == "bad_check_digit"
    assert verifier.verify(code(keys, kind="E", sub=ID_NUMBER, jti="e")).reason == "bad_check_digit"


def test_replayed_until_expiry_then_purged(keys, verifier, clock):
    text = code(keys)
    assert verifier.verify(text).ok
    again = verifier.verify(text)
    assert again.reason == "replayed" and again.message == "这个码已经使用过了，请在手机上重新打开居民码再试。"
    # a staff check without recording does not consume a fresh code
    other = code(keys, jti="j-2")
    assert verifier.verify(other, record=False).ok
    assert verifier.verify(other).ok
    assert verifier.verify(other, record=False).reason == "replayed"
    # once the code is past exp + skew it is refused as expired and its row can go
    clock.t = NOW + 110 + 31
    assert verifier.verify(text).reason == "expired"
    assert verifier.replay_store.purge() == 2
    assert len(verifier.replay_store) == 0


def test_replay_store_survives_restart(keys, data_dir, clock):
    text = code(keys)
    store = ReplayStore(data_dir / "r.sqlite3", clock=clock)
    assert Rc1Verifier({"hz": keys["hz"][1]}, store, clock=clock).verify(text).ok
    store.close()
    store = ReplayStore(data_dir / "r.sqlite3", clock=clock)
    assert Rc1Verifier({"hz": keys["hz"][1]}, store, clock=clock).verify(text).reason == "replayed"
    store.close()


@pytest.mark.parametrize("text", [
    "RC1", "RC1.", "RC1.R", "RC1.R.abc", "RC1.X.e30.AAAA", "RC1.R.e30.AAAA.extra",
    "RC1.R.!!!!.AAAA", "RC1.R.e30." + "A" * 86,            # {} payload: claims missing
    "RC1.R." + rc1.b64url_encode(b"[1,2]") + "." + rc1.b64url_encode(bytes(64)),
    "RC1.R." + rc1.b64url_encode(b"\xff\xfe") + "." + rc1.b64url_encode(bytes(64)),
    "RC1.R." + rc1.b64url_encode(json.dumps(claims(iat=True)).encode()) + "." + rc1.b64url_encode(bytes(64)),
    "RC1.R." + rc1.b64url_encode(json.dumps(claims(exp=NOW - 100)).encode()) + "." + rc1.b64url_encode(bytes(64)),
    "RC1.R." + rc1.b64url_encode(json.dumps(claims()).encode()) + "." + rc1.b64url_encode(bytes(63)),
    "RC1.R." + "A" * 3000,
])
def test_malformed_codes_are_bad_format(verifier, text):
    result = verifier.verify(text)
    assert not result.ok and result.reason == "bad_format"


def test_issuer_key_must_be_a_curve_point(data_dir):
    store = ReplayStore(data_dir / "x.sqlite3")
    with pytest.raises(ValueError):
        Rc1Verifier({"bad": "00" * 64}, store)
    with pytest.raises(ValueError):
        Rc1Verifier({"bad": "zz"}, store)
    store.close()


def test_every_reason_has_plain_chinese_words():
    expected = {"bad_format", "unknown_issuer", "bad_signature", "expired", "not_yet_valid",
                "lifetime_too_long", "bad_check_digit", "replayed", "needs_network"}
    assert expected <= set(REASONS)
    for reason, words in REASONS.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in words), reason
        assert "_" not in words and len(set(REASONS.values())) == len(REASONS)


@pytest.fixture
def checker(keys, settings):
    from kiosk.settings import load_settings
    s = load_settings(env={}, overrides={("storage", "data_dir"): str(settings.data_dir),
                                         ("codes", "issuers"): f"hz={keys['hz'][1]}",
                                         ("platform", "url"): "http://127.0.0.1:9"})
    return CodeChecker.from_settings(s)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.text(max_size=300).map(lambda t: "RC1." + t),
    st.lists(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=120),
             min_size=1, max_size=6).map(lambda parts: "RC1." + ".".join(parts)),
    st.binary(max_size=200).map(lambda b: "RC1.R." + rc1.b64url_encode(b) + "." + rc1.b64url_encode(bytes(64))),
))
def test_fuzzed_rc1_texts_only_refuse(checker, text):
    result = checker.check(text, record=False)
    assert not result.ok and result.reason in REASONS and result.message


def test_checker_refuses_junk_without_the_network(checker):
    for text in ["", "   ", "a\x00b", "x" * 5000, None, 42]:
        result = checker.check(text)  # type: ignore[arg-type]
        assert result.reason == "bad_format"
    # anything else needs the platform; port 9 on loopback refuses connections
    assert checker.check("https://example.invalid/some-other-code").reason == "needs_network"


def test_demo_mode_trusts_its_own_demo_issuer(settings):
    from kiosk.codes.demo_issuer import DemoIssuer
    checker = CodeChecker.from_settings(settings)
    result = checker.check(DemoIssuer(settings.data_dir).issue())
    assert result.ok and result.kind == "resident"
    assert checker.check(DemoIssuer(settings.data_dir).issue(enterprise=True)).kind == "enterprise"
    key_file = settings.data_dir / "demo_issuer.json"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
