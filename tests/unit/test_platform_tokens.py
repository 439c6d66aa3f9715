"""The platform's token -> terminal mapping: from a file, the environment or the command line; never a token
that speaks for every terminal."""
from __future__ import annotations

import json

import pytest

from platform_server.auth import ENV_TOKENS, TokenMapError, load_mapping, parse_mapping


def test_the_mapping_comes_from_a_file_the_environment_or_the_command_line(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"ta": "HZ-A"}), encoding="utf-8")
    assert load_mapping(str(path), env={}) == {"ta": "HZ-A"}
    assert load_mapping(env={ENV_TOKENS: "tb=HZ-B, tc=HZ-C"}) == {"tb": "HZ-B", "tc": "HZ-C"}
    assert load_mapping(None, ["td=HZ-D"], env={}) == {"td": "HZ-D"}
    assert load_mapping(None, ["te"], "HZ-E", env={}) == {"te": "HZ-E"}   # one token for the given terminal
    assert parse_mapping('{"tf": "HZ-F"}') == {"tf": "HZ-F"}


@pytest.mark.parametrize("call", [
    lambda: load_mapping(None, ["bare"], None, env={}),           # a token without a terminal
    lambda: load_mapping(None, [], None, env={}),                 # no tokens at all
    lambda: parse_mapping('{"t": null}'),
    lambda: parse_mapping('{"令牌": "HZ-1"}'),                    # a token must be ASCII
    lambda: parse_mapping("t-without-terminal"),
    lambda: parse_mapping("[1, 2]"),
])
def test_the_safe_default_is_to_refuse(call):
    with pytest.raises(TokenMapError):
        call()
