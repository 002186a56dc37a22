"""The turn path's JSON (orjson) reads and copies values exactly as the standard library did."""
import json

import pytest

from studio.core import fastjson

AWKWARD = {"big": 2**70, "exact": 12345678901234567890123, "negative": -(2**65), "pi": 3.141592653589793,
           "nan": float("nan"), "keys": {1: "one", False: "no", None: "none"}, "tuple": (1, 2),
           "text": "é \u2028 \U0001f600", "digits": "call 0044123456789012345678"}


@pytest.mark.parametrize("drop", [(), ("nan",)])  # NaN alone sends a text to the standard library
def test_stored_json_is_read_back_as_the_standard_library_reads_it(drop):
    value = {k: v for k, v in AWKWARD.items() if k not in drop}
    text = json.dumps(value, default=str)
    assert repr(fastjson.loads_stored(text)) == repr(json.loads(text))
    assert fastjson.loads_stored(text)["exact"] == 12345678901234567890123  # not a float


@pytest.mark.parametrize("value", ["not json", None, {"already": "decoded"}])
def test_a_column_value_that_is_not_json_text_is_kept_as_it_is(value):
    assert fastjson.loads_stored(value) == value


@pytest.mark.parametrize("drop", [(), ("nan",)])
def test_a_json_safe_copy_is_what_the_standard_library_round_trip_gave(drop):
    value = {k: v for k, v in AWKWARD.items() if k not in drop}
    assert repr(fastjson.plain(value)) == repr(json.loads(json.dumps(value, default=str)))


@pytest.mark.parametrize("number", [2**64 - 1, 2**64, -(2**63) - 1, 10**19, 99999999999999999999, 123456789012345678])
def test_integers_at_and_past_64_bits_read_exactly(number):
    text = json.dumps({"n": number, "after": [number, "x"]})
    assert repr(fastjson.loads(text)) == repr(json.loads(text))


def test_the_long_number_check_finds_a_run_of_19_digits_and_no_shorter_one():
    assert fastjson.has_long_digit_run(b'{"n": 1234567890123456789}')
    assert not fastjson.has_long_digit_run(b'{"n": 123456789012345678, "m": 0.000000000000000001}')
    assert fastjson.has_long_digit_run(b"x" * 5000 + b"0" * 19)
