"""site.yaml: what is read, what is refused, where the message points."""

from pathlib import Path

import pytest

from bulletin_gen.config.settings import DEFAULT_KINDS, load_config
from bulletin_gen.errors import ContentErrors

MINIMAL = """\
title: Test bulletin
base_url: https://news.example.net/archive
organisation:
  name: Test Org
  address: 1 High Street, Testtown
  website: https://example.net/
  email: info@example.net
email:
  from_name: Test Org
  from_address: news@example.net
  unsubscribe_url: https://example.net/unsubscribe
"""


def write_site(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(text, encoding="utf-8")
    return root


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_config(root)
    return [error.location_message() for error in caught.value.errors]


def test_minimal_site_gets_defaults(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, MINIMAL))
    assert config.base_url == "https://news.example.net/archive/"
    assert config.kinds == DEFAULT_KINDS
    assert config.language == "en"
    assert config.email.reply_to == "news@example.net"
    assert config.out_dir == (tmp_path / "site").resolve()


def test_example_site_reads_its_kinds_in_order(example: Path) -> None:
    config = load_config(example)
    assert [kind.name for kind in config.kinds] == ["event", "news", "member"]
    assert config.kind("event").heading == "Cluster's events"
    assert config.timezone == "Europe/London"


def test_relative_base_url_is_refused_with_its_line(tmp_path: Path) -> None:
    text = MINIMAL.replace("https://news.example.net/archive", "/archive")
    assert errors_of(write_site(tmp_path, text)) == [
        "site.yaml:2: 'base_url': expected an absolute URL like https://example.org/, "
        "got '/archive'"]


def test_missing_base_url_is_named(tmp_path: Path) -> None:
    text = MINIMAL.replace("base_url: https://news.example.net/archive\n", "")
    assert "site.yaml:1: 'base_url' is required" in errors_of(write_site(tmp_path, text))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("info@example.net", "not-an-address") + (
        "timezone: Mars/Olympus\nbrand:\n  primary: red\n  logoo: x.png\n")
    found = errors_of(write_site(tmp_path, text))
    assert found == [
        "site.yaml:7: 'organisation.email': expected an e-mail address like "
        "name@example.org, got 'not-an-address'",
        "site.yaml:12: 'timezone': unknown time zone 'Mars/Olympus'; "
        "expected a name like Europe/London",
        "site.yaml:14: 'brand.primary': expected a colour as #rrggbb, got 'red'",
        "site.yaml:15: unknown key 'brand.logoo' (did you mean 'brand.logo'?); "
        "allowed: accent, background, logo, logo_alt, primary, text",
    ]


def test_generic_service_needs_an_unsubscribe_url(tmp_path: Path) -> None:
    text = MINIMAL.replace("  unsubscribe_url: https://example.net/unsubscribe\n", "")
    assert errors_of(write_site(tmp_path, text)) == [
        "site.yaml:8: 'email.unsubscribe_url' is required with the generic service "
        "(or set 'email.service' to your email service)"]


def test_kinds_can_be_plain_names(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, MINIMAL + "kinds: [jobs, news]\n"))
    assert [(kind.name, kind.heading) for kind in config.kinds] == [
        ("jobs", "Jobs"), ("news", "News")]


@pytest.mark.parametrize(("logo", "message"), [
    ("assets/images/nologo.png", "no file 'assets/images/nologo.png' in assets/"),
    ("assets/images/logo.svg", "'assets/images/logo.svg' is not a PNG, JPEG or GIF; email "
                               "clients such as Gmail do not show SVG or WebP"),
    ("logo.png", "expected a picture in assets/, like assets/images/logo.png, got 'logo.png'"),
])
def test_a_logo_the_email_cannot_show_is_refused_at_its_line(tmp_path: Path, logo: str,
                                                             message: str) -> None:
    # The email takes the logo's size from its file: without one the build used to end
    # in a traceback (missing file) or publish it at height 0 (SVG).
    (tmp_path / "assets/images").mkdir(parents=True)
    (tmp_path / "assets/images/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "logo.png").write_bytes(b"")
    write_site(tmp_path, MINIMAL + f"brand:\n  logo: {logo}\n")
    assert errors_of(tmp_path) == [f"site.yaml:13: 'brand.logo': {message}"]


def test_the_default_theme_logo_counts(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, MINIMAL + "brand:\n  logo: assets/images/logo.png\n"))
    assert config.brand.logo == "assets/images/logo.png"
