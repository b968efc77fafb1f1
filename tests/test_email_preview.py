"""`bulletin preview`: screenshots of the email (desktop, phone, dark) for the editor.

Its own module: Playwright's sync API cannot start while another module's browser runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from bulletin_gen.cli import main
from tests.conftest import REPO, copy_publication

REALWORLD = REPO / "tests/fixtures/realworld"


def test_preview_writes_desktop_phone_and_dark_pictures(example: Path, invoke) -> None:
    result = invoke(example, "preview", "2022-06")
    assert result.exit_code == 0, result.output
    folder = example / "preview/2022-06"
    sizes = {}
    for name in ("desktop", "phone", "dark"):
        with Image.open(folder / f"{name}.png") as picture:
            sizes[name] = picture.size
            corner = picture.convert("RGB").getpixel((2, 2))
        if name == "dark":
            assert max(corner) < 40  # the dark page background
        else:
            assert corner == (247, 245, 240)  # brand.background
    assert sizes["desktop"][0] == 800 and sizes["phone"][0] == 375
    assert sizes["phone"][1] > sizes["desktop"][1] > 2000  # the whole email, not one screen
    assert "Wrote preview/2022-06/desktop.png" in result.output


def test_preview_without_chromium_says_what_to_do(example: Path, invoke,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_CHROMIUM", str(example / "no-chromium-here"))
    result = invoke(example, "preview", "2022-06")
    assert result.exit_code == 3  # an optional part is missing: not a content error
    assert "no Chromium found at" in result.output and "apt-get install chromium" in result.output
    assert not (example / "preview").exists()


def test_preview_warns_when_the_email_is_wider_than_its_window(example: Path, invoke) -> None:
    # A publication's own template with a fixed width the phone cannot hold.
    template = example / "templates/email.html"
    template.write_text(template.read_text().replace("<h1>", (
        '<table role="presentation" width="500" style="width:500px;"><tr><td>A banner of 500 '
        'pixels</td></tr></table><h1>'), 1))
    result = CliRunner().invoke(main, ["-C", str(example), "preview", "2022-06"])
    assert result.exit_code == 0, result.output
    with Image.open(example / "preview/2022-06/phone.png") as picture:
        width = picture.size[0]
    assert width > 375
    assert result.stderr == (f"preview/2022-06/phone.png: warning: the email is {width} px wide "
                             "in a 375 px window: something in it is too wide and scrolls "
                             "sideways\n")
    assert "Wrote preview/2022-06/phone.png" in result.stdout


def test_preview_of_an_email_that_fits_warns_of_nothing(tmp_path: Path) -> None:
    root = copy_publication(REALWORLD, tmp_path / "realworld")
    result = CliRunner().invoke(main, ["-C", str(root), "preview", "2025-03-05"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    with Image.open(root / "preview/2025-03-05/phone.png") as picture:
        assert picture.size[0] == 375
