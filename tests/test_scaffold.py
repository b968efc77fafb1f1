"""`bulletin init`, `new` and `add`: what they create, and that they never overwrite."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from PIL import Image

from bulletin_gen.commands.scaffold import next_number, slugify
from tests.conftest import REPO, write


def created(output: str) -> list[str]:
    return [line.removeprefix("Created ") for line in output.splitlines()
            if line.startswith("Created ")]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n")[1])


def test_init_starts_a_publication_that_builds(tmp_path: Path, invoke) -> None:
    target = tmp_path / "new-pub"
    result = invoke(tmp_path, "init", str(target))
    assert result.exit_code == 0, result.output
    names = created(result.output)
    assert names[:4] == ["site.yaml", "README.md", ".gitignore", "assets/images/logo.png"]
    assert len(names) == 8  # bulletin.md and one sample item per kind
    site_yaml = (target / "site.yaml").read_text()
    assert site_yaml.count("# ") >= 15  # commented
    # The packaged theme serves: no copy of it to fall behind its fixes.
    assert not (target / "templates").exists()
    assert not (target / "assets/css").exists()
    readme = (target / "README.md").read_text()
    assert "bulletin serve" in readme and "bulletin theme copy _event.html" in readme
    assert "](https://github.com/)" not in readme  # no link to a bare placeholder address
    build = invoke(target, "build")
    assert build.exit_code == 0, build.output
    check = invoke(target, "check")
    assert check.exit_code == 0, check.output  # only placeholder-domain warnings


def test_init_is_neutral_and_its_logo_shows_the_title(tmp_path: Path, invoke) -> None:
    target = tmp_path / "pub"
    result = invoke(tmp_path, "init", str(target), "--title", "Riverside Gardens News")
    assert result.exit_code == 0, result.output
    for path in target.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").lower()
            for other in ("west midlands", "wmhtc", "david", "health technology"):
                assert other not in text, (path, other)
    config = yaml.safe_load((target / "site.yaml").read_text())
    assert config["title"] == config["brand"]["logo_alt"] == "Riverside Gardens News"
    with Image.open(target / "assets/images/logo.png") as logo:
        assert logo.size == (480, 120) and logo.mode == "RGB"  # opaque: dark mode keeps it
        colours = {colour for _, colour in logo.getcolors(480 * 120)}
    assert (29, 60, 110) in colours and (255, 255, 255) in colours  # white words on primary
    assert invoke(target, "build").exit_code == 0
    email = next((target / "site").glob("*/email.html")).read_text()
    assert 'alt="Riverside Gardens News"' in email


def test_init_site_yaml_has_every_key_the_readme_lists(tmp_path: Path, invoke) -> None:
    """Each key of README's site.yaml table is set or shown, commented, in the scaffold."""
    assert invoke(tmp_path, "init", str(tmp_path / "pub")).exit_code == 0
    text = (tmp_path / "pub/site.yaml").read_text()
    readme = (REPO / "README.md").read_text().split("## `site.yaml`", 1)[1].split("\n## ", 1)[0]
    keys = set(re.findall(r"`([a-z_]+)`", readme))
    keys -= {"generic", "mailchimp", "listmonk", "buttondown", "ghost",  # values, not keys
             "starttls", "tls", "none", "ltr"}
    assert {"direction", "smtp", "utm_source", "utm_campaign", "password_env"} <= keys
    missing = sorted(key for key in keys if not re.search(rf"^\s*(# )?-? ?{key}:", text, re.M))
    assert missing == []
    # Every section of settings is explained by a comment line right above it.
    for section in ("organisation", "email", "brand", "kinds", "smtp"):
        before = text.split(f"\n{section}:", 1)[0].rstrip("\n").rsplit("\n", 1)[-1]
        assert before.startswith("#"), section
    event = next((tmp_path / "pub/bulletins").glob("*/20-sample-event.md")).read_text()
    starts = re.search(r"^starts: (\S+)$", event, re.M).group(1)
    ends = re.search(r"^# ends: (\S+)$", event, re.M).group(1)
    assert dt.datetime.fromisoformat(ends) > dt.datetime.fromisoformat(starts)


def test_theme_copy_takes_one_template_out_to_override_it(tmp_path: Path, invoke) -> None:
    target = tmp_path / "pub"
    assert invoke(tmp_path, "init", str(target)).exit_code == 0
    listed = invoke(target, "theme", "list")
    assert "templates/_event.html" in listed.output.splitlines()
    assert not any("images/" in line for line in listed.output.splitlines())
    result = invoke(target, "theme", "copy", "_event.email.html")
    assert result.exit_code == 0, result.output
    assert created(result.output) == ["templates/_event.email.html"]
    copy = target / "templates/_event.email.html"
    copy.write_text("<tr><td>OUR OWN EVENT CARD {{ item.title }}</td></tr>\n")
    assert invoke(target, "build").exit_code == 0
    email = next((target / "site").glob("*/email.html")).read_text()
    assert "OUR OWN EVENT CARD A sample event item" in email
    again = invoke(target, "theme", "copy", "_event.email.html")
    assert again.exit_code == 2 and "already exists: nothing was overwritten" in again.output
    assert copy.read_text().startswith("<tr><td>OUR OWN")
    unknown = invoke(target, "theme", "copy", "_gossip.html")
    assert unknown.exit_code == 2 and "`bulletin theme list`" in unknown.output


def test_init_refuses_a_folder_with_files(tmp_path: Path, invoke) -> None:
    write(tmp_path / "pub/notes.txt", "mine")
    result = invoke(tmp_path, "init", str(tmp_path / "pub"))
    assert result.exit_code == 2
    assert "is not empty" in result.output
    assert sorted(p.name for p in (tmp_path / "pub").iterdir()) == ["notes.txt"]


def test_new_from_an_issue(example: Path, invoke) -> None:
    result = invoke(example, "new", "2022-07", "--from", "2022-06")
    assert result.exit_code == 0, result.output
    names = created(result.output)
    assert names[0] == "bulletins/2022-07/bulletin.md"
    june = sorted(p.name for p in (example / "bulletins/2022-06").glob("*.md"))
    assert sorted(Path(n).name for n in names) == june
    meta = front_matter(example / "bulletins/2022-07/bulletin.md")
    assert meta["title"] == "WMHTC e-bulletin: July 2022"
    assert str(meta["date"]) == "2022-07-30"
    assert meta["author"]["name"] == "David"
    assert meta["draft"] is True
    stub = example / "bulletins/2022-07/30-air-quality-webinar.md"
    assert front_matter(stub)["title"] == "Webinar: air quality and health"
    assert "TK" in stub.read_text()
    # A draft: the build leaves it out, the check reports its TKs.
    assert invoke(example, "build").exit_code == 0
    assert not (example / "site/2022-07").exists()
    check = invoke(example, "check", "2022-07")
    assert check.exit_code == 1 and "[leftover-marker]" in check.output


def test_new_without_from_has_one_example_item_per_kind(example: Path, invoke) -> None:
    result = invoke(example, "new", "special-edition")
    assert result.exit_code == 0, result.output
    assert created(result.output)[1:] == [
        "bulletins/special-edition/10-example-event.md",
        "bulletins/special-edition/20-example-news.md",
        "bulletins/special-edition/30-example-member.md"]
    assert invoke(example, "build", "--drafts").exit_code == 0


def test_new_never_overwrites(example: Path, invoke) -> None:
    before = (example / "bulletins/2022-06/bulletin.md").read_text()
    result = invoke(example, "new", "2022-06")
    assert result.exit_code == 2
    assert "bulletins/2022-06 already exists" in result.output
    assert (example / "bulletins/2022-06/bulletin.md").read_text() == before


def test_add_an_event(example: Path, invoke) -> None:
    result = invoke(example, "add", "event", "Summer social!", "--to", "2022-06")
    assert result.exit_code == 0, result.output
    assert created(result.output) == ["bulletins/2022-06/100-summer-social.md"]
    item = example / "bulletins/2022-06/100-summer-social.md"
    text = item.read_text()
    for key in ("starts", "ends", "location", "register", "image", "image_alt", "link",
                "link_text", "draft"):
        assert f"# {key}: " in text, key
    assert front_matter(item) == {"kind": "event", "title": "Summer social!", "when": "TK"}
    assert invoke(example, "build").exit_code == 0
    page = (example / "site/2022-06/index.html").read_text()
    # 100 sorts after 90: the new item comes last of its kind.
    assert page.index("Masterclasses presented by Deloitte") < page.index("Summer social!")


def test_add_goes_to_the_latest_issue_and_never_overwrites(example: Path, invoke) -> None:
    invoke(example, "new", "2022-07")
    first = invoke(example, "add", "member", "Clean room")
    assert created(first.output) == ["bulletins/2022-07/40-clean-room.md"]
    write(example / "bulletins/2022-07/50-notes.md", "mine\n")
    second = invoke(example, "add", "member", "Clean room two")  # numbers only go up
    assert created(second.output) == ["bulletins/2022-07/60-clean-room-two.md"]
    assert (example / "bulletins/2022-07/50-notes.md").read_text() == "mine\n"


def test_add_refuses_a_second_item_with_the_same_name(example: Path, invoke) -> None:
    invoke(example, "new", "2022-07")
    invoke(example, "add", "event", "Summer social")
    again = invoke(example, "add", "event", "Summer social!")  # two would stop the build
    assert again.exit_code == 2
    assert again.output == ("bulletins/2022-07/40-summer-social.md already has the name "
                            "'summer-social': give the new item another title; nothing was "
                            "written\n")
    assert sorted(p.name for p in (example / "bulletins/2022-07").glob("*social*")) == [
        "40-summer-social.md"]


def test_add_refuses_an_unknown_kind(example: Path, invoke) -> None:
    result = invoke(example, "add", "gossip", "Rumours")
    assert result.exit_code == 2
    assert "unknown kind 'gossip'; expected one of event, news, member" in result.output


def test_next_number_and_slugify(tmp_path: Path) -> None:
    assert next_number(tmp_path) == 10
    for name in ("10-a.md", "20-b.md", "10-c.md", "95-d.md", "notes.md"):
        write(tmp_path / name, "")
    assert next_number(tmp_path) == 100
    assert slugify("Café & Summer Social, 2022!") == "cafe-summer-social-2022"
    assert slugify("!!!") == "item"


def test_new_from_an_issue_whose_title_has_no_month_gets_a_fresh_title(example: Path,
                                                                       invoke) -> None:
    june = example / "bulletins/2022-06/bulletin.md"
    june.write_text(june.read_text().replace('title: "WMHTC e-bulletin: June 2022"',
                                             'title: "Recruiting new members"'))
    result = invoke(example, "new", "2022-07", "--from", "2022-06")
    assert result.exit_code == 0, result.output
    meta = front_matter(example / "bulletins/2022-07/bulletin.md")
    assert meta["title"] == "WMHTC e-bulletin: July 2022"  # site.yaml's title and the month
    assert str(meta["date"]) == "2022-07-30"
