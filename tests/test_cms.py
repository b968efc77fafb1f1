"""The web editor's configuration is made from the schema, and its saves are written as
`bulletin add` writes: without a browser (test_cms_browser.py drives the real one)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bulletin_gen.commands.cms.config import cms_config, local_backend
from bulletin_gen.commands.cms.fields import MissingWidget, every_field, widget
from bulletin_gen.commands.cms.save import SaveRefused, plan_save
from bulletin_gen.config.schema import Field
from bulletin_gen.config.settings import load_config
from tests.conftest import write


def _collection(settings: dict, name: str) -> dict:
    return next(c for c in settings["collections"] if c["name"] == name)


def _fields(collection: dict) -> dict[str, dict]:
    return {field["name"]: field for field in collection["fields"]}


def test_every_schema_field_has_a_widget() -> None:
    for key, field in every_field().items():
        assert widget(key.rsplit(".", 1)[-1], field)["widget"]


def test_a_field_without_a_widget_is_an_error() -> None:
    with pytest.raises(MissingWidget, match="'colour_scheme'"):
        widget("colour_scheme", Field(lambda value: value))


def test_kinds_and_widgets_come_from_site_yaml_and_the_schema(example: Path) -> None:
    settings = cms_config(load_config(example), local_backend())
    names = [c["name"] for c in settings["collections"]]
    assert names == ["issues", "2022-06-event", "2022-06-news", "2022-06-member", "new-issue"]
    event = _collection(settings, "2022-06-event")
    assert event["folder"] == "bulletins/2022-06"
    assert event["filter"] == {"field": "kind", "value": "event"}
    assert (event["media_folder"], event["public_folder"]) == ("images", "images")
    fields = _fields(event)
    assert list(fields) == ["kind", "title", "starts", "ends", "when", "location", "register",
                            "register_text", "image", "image_alt", "link", "link_text", "draft",
                            "email", "body"]
    assert fields["email"]["widget"] == "select"
    assert fields["email"]["options"] == ["full", "teaser", "web-only"]
    assert fields["kind"]["widget"] == "select" and fields["kind"]["options"] == ["event"]
    assert fields["starts"]["widget"] == "datetime"
    assert fields["starts"]["format"] == "YYYY-MM-DDTHH:mm"
    assert fields["image"]["widget"] == "image"
    assert fields["register"]["pattern"][0].startswith("^(https?://")
    assert fields["draft"]["widget"] == "boolean"
    assert fields["body"]["widget"] == "markdown"
    assert fields["title"]["required"] and not fields["image_alt"]["required"]
    # The help text is the scaffold's own explanation.
    assert fields["image_alt"]["hint"].startswith("What the picture shows, for readers")
    member = _fields(_collection(settings, "2022-06-member"))
    assert member["member"]["required"] is True
    issue = settings["collections"][0]["files"][0]
    assert issue["file"] == "bulletins/2022-06/bulletin.md"
    assert _fields(issue)["date"]["format"] == "YYYY-MM-DD"


def test_a_kind_added_to_site_yaml_appears(example: Path) -> None:
    site = example / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "  - name: member\n", "  - name: job\n    heading: Jobs\n  - name: member\n"),
        encoding="utf-8")
    settings = cms_config(load_config(example), local_backend())
    jobs = _collection(settings, "2022-06-job")
    assert jobs["label"] == "2022-06: Jobs"
    assert "job" in _fields(jobs)["kind"]["hint"]
    assert "starts" not in _fields(jobs)


def test_the_config_is_valid_yaml_with_the_github_backend(example: Path) -> None:
    from bulletin_gen.commands.cms.config import config_yaml, github_backend

    text = config_yaml(load_config(example), github_backend("wmhtc/bulletin", "main"))
    assert text.startswith("# Made by bulletin-gen")
    backend = yaml.safe_load(text)["backend"]
    assert backend["repo"] == "wmhtc/bulletin" and backend["open_authoring"] is True


RAW = "---\nkind: news\ntitle: Cycling to work\nlink_text: Read more about it\n" \
      "link: https://www.example.net/cycling\n---\nBody text.\n"


def test_a_new_item_is_numbered_and_written_as_bulletin_add_writes(example: Path) -> None:
    created: dict[str, str] = {}
    plan = plan_save(load_config(example), "bulletins/2022-06/cycling-to-work.md", RAW, created)
    assert plan.rel == "bulletins/2022-06/100-cycling-to-work.md" and plan.before is None
    lines = plan.text.split("\n")
    # Decap wrote link_text before link; the file keeps the scaffold's order and comments.
    assert lines.index("link: https://www.example.net/cycling") < \
        lines.index('link_text: "Read more about it"')
    assert "# link: a call to action, drawn as a button: the address it opens." in lines
    assert "# link: https://www.example.org/more" not in lines
    assert plan.text.endswith("---\nBody text.\n")


def test_an_edit_changes_only_the_edited_lines(example: Path) -> None:
    path = example / "bulletins/2022-06/30-air-quality-webinar.md"
    before = path.read_text(encoding="utf-8")
    body = before.split("---\n", 2)[2]
    # As Decap sends it: its own key order, quoting and line folding.
    raw = ("---\nkind: event\ntitle: Webinar about air\nstarts: 2022-07-20T10:00\n"
           "ends: 2022-07-20T11:00\nlocation: online\n"
           "register: https://example.org/events/air-quality-webinar\n"
           "image: images/webinar-air-quality.png\nimage_alt: Illustration of a city skyline "
           "under bands of grey haze, with the\n  words Webinar, 20 July 2022, 10-11am, Air "
           "quality and health\ndraft: false\n---\n" + body)
    plan = plan_save(load_config(example), "bulletins/2022-06/30-air-quality-webinar.md",
                     raw, {})
    assert plan.text == before.replace('title: "Webinar: air quality and health"',
                                       'title: "Webinar about air"')


def test_a_removed_value_removes_its_line(example: Path) -> None:
    path = write(example / "bulletins/2022-06/95-x.md",
                 "---\nkind: news\ntitle: X\n# a note\nlink: https://a.org/\nlink_text: A\n---\nB\n")
    plan = plan_save(load_config(example), "bulletins/2022-06/95-x.md",
                     "---\nkind: news\ntitle: X\nlink: ''\nlink_text: ''\n---\nB\n", {})
    assert plan.text == "---\nkind: news\ntitle: X\n# a note\n---\nB\n"
    assert path.is_file()


@pytest.mark.parametrize(("path", "raw", "message"), [
    ("site.yaml", RAW, "only writes bulletins/<issue>/<item>.md"),
    ("bulletins/../site.md", RAW, "only writes"),
    ("bulletins/2099-01/x.md", RAW, "no such issue: 2099-01"),
    ("bulletins/2022-06/x.md", RAW.replace("kind: news", "kind: jobs"), "a new item needs a kind"),
    ("bulletins/2022-06/x.md", RAW.replace("Cycling to work", "Innovation Accelerator"),
     "20-innovation-accelerator.md already has the name 'innovation-accelerator'"),
    ("bulletins/2022-06/x.md", "no front matter", "no front matter"),
])
def test_what_the_editor_may_not_write(example: Path, path: str, raw: str, message: str) -> None:
    with pytest.raises(SaveRefused, match=message.replace("(", r"\(").replace(".", r"\.")):
        plan_save(load_config(example), path, raw, {})


def test_missing_node_packages_exit_3(example: Path, invoke, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BULLETIN_CMS_MODULES", raising=False)
    result = invoke(example, "cms", "--port", "0")
    assert result.exit_code == 3
    assert result.output.count("\n") == 1
    assert "run `bulletin cms --install`" in result.output
    monkeypatch.setenv("PATH", str(tmp_path))  # no node at all
    result = invoke(example, "cms")
    assert result.exit_code == 3 and "`bulletin cms` needs Node.js" in result.output


def test_a_cms_section_publishes_the_hosted_editor(example: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    site = example / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8")
                    + "\ncms:\n  repository: wmhtc/bulletin\n", encoding="utf-8")
    assert invoke(example, "build").exit_code == 0
    settings = yaml.safe_load((example / "site/admin/config.yml").read_text(encoding="utf-8"))
    assert settings["backend"] == {**settings["backend"], "name": "github",
                                   "repo": "wmhtc/bulletin", "branch": "main",
                                   "open_authoring": True}
    # Starting an issue needs `bulletin cms` (bulletin new's scaffold): not on the web.
    assert "new-issue" not in [c["name"] for c in settings["collections"]]
    page = (example / "site/admin/index.html").read_text(encoding="utf-8")
    assert 'CMS.registerPreviewStyle("../assets/css/bulletin.css")' in page
    assert (example / "site/assets/css/bulletin.css").is_file()


def test_a_bad_cms_section_is_an_error_with_its_line(example: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    site = example / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text + "\ncms:\n  repository: https://github.com/wmhtc\n  brnach: main\n",
                    encoding="utf-8")
    line = text.count("\n") + 3
    result = invoke(example, "check")
    assert result.exit_code == 1
    assert f"site.yaml:{line}: 'cms.repository': expected a GitHub repository as owner/name" \
        in result.output
    assert f"site.yaml:{line + 1}: unknown key 'cms.brnach' (did you mean 'cms.branch'?)" \
        in result.output
    assert invoke(example, "build").exit_code == 1
    assert not (example / "site").exists()


def test_a_new_issue_from_the_editor_never_overwrites(example: Path) -> None:
    import json

    from bulletin_gen.commands.cms.packages import Packages
    from bulletin_gen.commands.cms.server import EditorSession

    session = EditorSession(load_config(example), Packages("node", example, example), 1)
    status, answer = session.start_issue("---\nissue: 2022-06\nfrom: 2022-06\n---\n")
    assert status == 422
    assert json.loads(answer)["error"] == "bulletins/2022-06 already exists: nothing was changed"
    status, answer = session.start_issue("---\nissue: July 2022\n---\n")
    assert status == 422 and "is not a slug" in json.loads(answer)["error"]
    status, _ = session.start_issue("---\nissue: 2022-07\n---\n")
    assert status == 200 and (example / "bulletins/2022-07/bulletin.md").is_file()


def test_a_port_in_use_is_said_before_anything_starts(example: Path, invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    from tests.conftest import REPO

    monkeypatch.setenv("BULLETIN_CMS_MODULES", str(REPO / "node_modules"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(example, "cms", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_the_page_says_what_is_wrong_with_site_yaml(example: Path) -> None:
    import threading
    import urllib.error
    import urllib.request
    from http.server import ThreadingHTTPServer

    from bulletin_gen.commands.cms.packages import Packages
    from bulletin_gen.commands.cms.server import EditorSession, _handler

    session = EditorSession(load_config(example), Packages("node", example, example), 1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(session))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/admin/config.yml"
    try:
        with urllib.request.urlopen(url) as answer:
            assert "collections:" in answer.read().decode("utf-8")
        site = example / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace(
            "timezone: Europe/London", "timezone: Europe/Londres"), encoding="utf-8")
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(url)
        assert error.value.code == 500
        assert "site.yaml:6: 'timezone': unknown time zone 'Europe/Londres'" in \
            error.value.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
