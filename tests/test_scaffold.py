"""`bulletin init`, `new` and `add`: what they create, and that they never overwrite."""

from __future__ import annotations

from pathlib import Path

import yaml

from bulletin_gen.commands.scaffold import next_number, slugify
from tests.conftest import write


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
    assert names[:5] == ["site.yaml", "README.md", ".gitignore", "templates/", "assets/"]
    assert len(names) == 9  # bulletin.md and one sample item per kind
    site_yaml = (target / "site.yaml").read_text()
    assert site_yaml.count("# ") >= 15  # commented
    assert (target / "templates/email.html").is_file()
    assert (target / "assets/css/bulletin.css").is_file()
    readme = (target / "README.md").read_text()
    assert "bulletin serve" in readme
    assert "](https://github.com/)" not in readme  # no link to a bare placeholder address
    build = invoke(target, "build")
    assert build.exit_code == 0, build.output
    check = invoke(target, "check")
    assert check.exit_code == 0, check.output  # only placeholder-domain warnings


def test_init_refuses_a_folder_with_files(tmp_path: Path, invoke) -> None:
    write(tmp_path / "pub/notes.txt", "mine")
    result = invoke(tmp_path, "init", str(tmp_path / "pub"))
    assert result.exit_code == 1
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
    assert result.exit_code == 1
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
    assert again.exit_code == 1
    assert again.output == ("bulletins/2022-07/40-summer-social.md already has the name "
                            "'summer-social': give the new item another title; nothing was "
                            "written\n")
    assert sorted(p.name for p in (example / "bulletins/2022-07").glob("*social*")) == [
        "40-summer-social.md"]


def test_add_refuses_an_unknown_kind(example: Path, invoke) -> None:
    result = invoke(example, "add", "gossip", "Rumours")
    assert result.exit_code == 1
    assert "unknown kind 'gossip'; expected one of event, news, member" in result.output


def test_next_number_and_slugify(tmp_path: Path) -> None:
    assert next_number(tmp_path) == 10
    for name in ("10-a.md", "20-b.md", "10-c.md", "95-d.md", "notes.md"):
        write(tmp_path / name, "")
    assert next_number(tmp_path) == 100
    assert slugify("Café & Summer Social, 2022!") == "cafe-summer-social-2022"
    assert slugify("!!!") == "item"
