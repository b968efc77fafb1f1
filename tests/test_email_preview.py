"""`bulletin preview`: screenshots of the email (desktop, phone, dark) for the editor.

Its own module: Playwright's sync API cannot start while another module's browser runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image


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
