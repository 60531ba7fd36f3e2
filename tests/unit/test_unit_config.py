"""Bad settings fail at construction with a ConfigurationError naming them (both clients)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from dialog360 import ConfigurationError, Dialog360Error

KEY = "test-key-5ecr3t-9f3b7c2a"


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"timeout": 0}, "timeout must be a finite number of seconds above 0"),
        ({"timeout": -1}, "timeout must be a finite number of seconds above 0"),
        ({"timeout": math.nan}, "timeout must be a finite"),
        ({"timeout": math.inf}, "timeout must be a finite"),
        ({"timeout": "30"}, "timeout must be a number of seconds, not str"),
        ({"timeout": True}, "timeout must be a number of seconds, not bool"),
        ({"timeout": None}, "timeout must be a number of seconds, not NoneType"),
        ({"max_retries": -1}, "max_retries must be 0 or more"),
        ({"max_retries": 1.5}, "max_retries must be an int, not float"),
        ({"max_retries": "2"}, "max_retries must be an int, not str"),
        ({"max_retries": True}, "max_retries must be an int, not bool"),
        ({"backoff_initial": -0.1}, "backoff_initial must be a finite number of seconds"),
        ({"backoff_initial": math.nan}, "backoff_initial must be a finite"),
        ({"backoff_max": math.inf}, "backoff_max must be a finite"),
        ({"backoff_max": "8"}, "backoff_max must be a number of seconds, not str"),
        ({"max_download_bytes": 0}, "max_download_bytes must be positive"),
        ({"max_download_bytes": -5}, "max_download_bytes must be positive"),
        ({"max_download_bytes": 1.5}, "max_download_bytes must be an int, not float"),
        ({"max_download_bytes": math.nan}, "max_download_bytes must be an int, not float"),
        ({"max_download_bytes": True}, "max_download_bytes must be an int, not bool"),
        ({"max_download_bytes": "100"}, "max_download_bytes must be an int, not str"),
    ],
    ids=repr,
)
def test_bad_numbers_are_refused(client_class: Any, options: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match) as info:
        client_class(KEY, **options)
    assert isinstance(info.value, Dialog360Error) and isinstance(info.value, ValueError)
    assert info.value.__cause__ is None


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": 0.001},
        {"timeout": 1},
        {"max_retries": 0},
        {"backoff_initial": 0, "backoff_max": 0},
        {"max_download_bytes": 1},
    ],
    ids=repr,
)
def test_edge_numbers_are_accepted(client_class: Any, options: dict[str, Any]) -> None:
    client_class(KEY, **options)


def test_a_single_host_as_a_str_is_refused_clearly(client_class: Any) -> None:
    with pytest.raises(ConfigurationError) as info:
        client_class(KEY, trusted_media_hosts="cdn.example.com")
    assert "not a str" in str(info.value)
    assert "['cdn.example.com']" in str(info.value)


@pytest.mark.parametrize(
    ("hosts", "match"),
    [
        (b"cdn.example.com", "not bytes"),
        (42, "not int"),
        (None, "not NoneType"),
        ([42], "holds a int"),
        ([None], "holds a NoneType"),
        ([""], "entry ''"),
        (["  cdn.example.com"], "bare host name"),
        (["cdn.example.com:443"], "bare host name"),
        (["cdn.example.com:8443"], "bare host name"),
        (["https://cdn.example.com"], "bare host name"),
        (["cdn.example.com/path"], "bare host name"),
        (["user@cdn.example.com"], "bare host name"),
        (["cdn.example.com?x"], "bare host name"),
        (["cdn\nexample.com"], "bare host name"),
        (["xn--"], "bare host name"),
    ],
    ids=repr,
)
def test_bad_trusted_hosts_are_refused(client_class: Any, hosts: Any, match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        client_class(KEY, trusted_media_hosts=hosts)


def test_trusted_hosts_are_normalised_as_urls_show_them(client_class: Any) -> None:
    client = client_class(KEY, trusted_media_hosts=("CDN.Example.com", "[::1]", "bücher.example"))
    assert client._settings.trusted_media_hosts == {"cdn.example.com", "::1", "bücher.example"}
    generator_of_hosts = (host for host in ["a.example"])
    client = client_class(KEY, trusted_media_hosts=generator_of_hosts)
    assert client._settings.trusted_media_hosts == {"a.example"}


@pytest.mark.parametrize(
    ("base_url", "match"),
    [
        ("https://waba.example/?x=1", "query or fragment"),
        ("https://waba.example?", "query or fragment"),
        ("https://waba.example/#top", "query or fragment"),
        ("https://user:hunter2-pw@waba.example", "user info"),
        ("https://hunter2-pw@waba.example", "user info"),
        ("https://user:hunter2-pw@waba.example:notaport", "expected http"),
        ("ftp://waba.example", "expected http"),
        ("waba.example", "expected http"),
        ("https://", "expected http"),
        ("https://xn--/", "expected http"),
    ],
)
def test_bad_base_urls_are_refused_without_echoing_a_password(
    client_class: Any, base_url: str, match: str
) -> None:
    with pytest.raises(ConfigurationError, match=match) as info:
        client_class(KEY, base_url=base_url)
    assert "hunter2" not in str(info.value)
    assert "hunter2" not in repr(info.value)
    assert info.value.__cause__ is None and info.value.__context__ is None


def test_bad_base_url_from_the_environment_is_refused(
    client_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("D360_BASE_URL", "https://u:hunter2-pw@waba.example/")
    with pytest.raises(ConfigurationError, match="user info") as info:
        client_class(KEY)
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize("base_url", [42, b"https://waba.example", ["https://waba.example"]])
def test_base_url_of_the_wrong_type_is_refused(client_class: Any, base_url: Any) -> None:
    with pytest.raises(ConfigurationError, match="base_url must be a str"):
        client_class(KEY, base_url=base_url)


def test_base_url_with_a_path_prefix_is_fine(client_class: Any) -> None:
    client = client_class(KEY, base_url="https://proxy.example/360/")
    assert client.base_url == "https://proxy.example/360"


@pytest.mark.parametrize("key", [12345678901234, b"bytes-key-1234567", ["k"], 1.5])
def test_api_key_of_the_wrong_type_is_refused_without_showing_it(
    client_class: Any, key: Any
) -> None:
    with pytest.raises(
        ConfigurationError, match=f"api_key must be a str, not {type(key).__name__}"
    ):
        client_class(key)
    with pytest.raises(ConfigurationError) as info:
        client_class(key)
    assert str(key) not in str(info.value)
