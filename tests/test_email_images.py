"""Pictures: a wide one is published at 1200px and shown at no more than 600px."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.conftest import write


def test_wide_picture_is_resized_to_1200_and_shown_at_552(example: Path, invoke) -> None:
    Image.new("RGB", (2400, 1000), "#1d3c6e").save(example / "bulletins/2022-06/images/wide.png")
    write(example / "bulletins/2022-06/95-wide.md",
          "---\nkind: news\ntitle: A wide picture\nimage: images/wide.png\n"
          "image_alt: A navy rectangle\n---\nBody with ![a small navy square](images/wide.png).\n")
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    with Image.open(example / "site/2022-06/images/wide.png") as published:
        assert published.size == (1200, 500)
    html = (example / "site/2022-06/email.html").read_text()
    assert ('src="https://bulletin.example.org/2022-06/images/wide.png" alt="A navy rectangle" '
            'width="552" height="230"') in html
    # A picture in the body gets its size from the file too, and display:block.
    body_image = html[html.index('alt="a small navy square"'):]
    body_image = body_image[: body_image.index(">")]
    assert 'width="552" height="230"' in body_image and "display:block" in body_image


def test_small_pictures_are_copied_as_they_are(example: Path, invoke) -> None:
    assert invoke(example, "build").exit_code == 0
    source = example / "bulletins/2022-06/images/banner.png"
    assert (example / "site/2022-06/images/banner.png").read_bytes() == source.read_bytes()
