from pathlib import Path


def test_example_builds_every_output(example: Path, invoke) -> None:
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    site = example / "site"
    for name in ("index.html", "feed.xml", "sitemap.xml", "2022-06/index.html",
                 "2022-06/email.html", "2022-06/email.txt", "assets/css/bulletin.css"):
        assert (site / name).is_file(), name
    assert "Webinar: air quality and health" in (site / "2022-06/email.html").read_text()
