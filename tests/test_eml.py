"""site/<slug>/email.eml: a multipart/alternative message with stable headers."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.email_build import built_example


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_example(tmp_path_factory.mktemp("eml") / "example")


def test_message_has_text_then_html_both_utf8(site: Path) -> None:
    message = message_from_bytes((site / "2022-06/email.eml").read_bytes(), policy=policy.SMTP)
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    for part, name in zip(parts, ("email.txt", "email.html"), strict=True):
        expected = (site / "2022-06" / name).read_text(encoding="utf-8")
        assert part.get_content().replace("\r\n", "\n") == expected


def test_headers(site: Path) -> None:
    message = message_from_bytes((site / "2022-06/email.eml").read_bytes(), policy=policy.SMTP)
    assert message["Subject"] == "WMHTC e-bulletin: June 2022"
    assert message["From"] == "West Midlands Health Technology Cluster <bulletin@example.org>"
    assert message["Reply-To"] == "david@wmhtc.co.uk"
    # Mailchimp's merge tag for the reader's address: a Reply-To without a To scores as spam.
    assert message["To"] == "*|EMAIL|*"
    assert message["Date"] == "Thu, 30 Jun 2022 00:00:00 +0100"
    assert message["Message-ID"].startswith("<2022-06.")
    assert message["Message-ID"].endswith("@bulletin.example.org>")
    assert message["List-Unsubscribe"] is None  # Mailchimp adds its own


def test_lines_are_short_and_end_with_crlf(site: Path) -> None:
    data = (site / "2022-06/email.eml").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_same_input_same_bytes_and_a_changed_issue_gets_a_new_id(tmp_path: Path, site: Path,
                                                                   invoke) -> None:
    again = built_example(tmp_path / "again")
    eml = (site / "2022-06/email.eml").read_bytes()
    assert (again / "2022-06/email.eml").read_bytes() == eml
    intro = tmp_path / "again/bulletins/2022-06/bulletin.md"
    intro.write_text(intro.read_text().replace("recruit new members", "recruit members"))
    assert invoke(tmp_path / "again", "build").exit_code == 0
    old = message_from_bytes(eml, policy=policy.SMTP)
    new = message_from_bytes((again / "2022-06/email.eml").read_bytes(), policy=policy.SMTP)
    assert old["Message-ID"] != new["Message-ID"]


def test_list_unsubscribe_where_the_preset_has_a_url(tmp_path: Path) -> None:
    site = built_example(tmp_path / "generic", service="generic")
    message = message_from_bytes((site / "2022-06/email.eml").read_bytes(), policy=policy.SMTP)
    assert message["List-Unsubscribe"] == "<https://example.org/unsubscribe>"
    assert message["To"] == "undisclosed-recipients:;"  # no merge tag: an empty group
