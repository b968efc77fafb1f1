"""The template search path: the publication's files first, then the default theme's."""

from pathlib import Path

import jinja2
import pytest

from bulletin_gen.config.settings import load_config
from bulletin_gen.render.templates import kind_partial, make_environment
from bulletin_gen.render.urls import rebase
from tests.conftest import write


def test_publication_template_overrides_the_theme_file_by_file(example: Path, invoke) -> None:
    # A publication with no templates of its own, but one partial: that partial wins,
    # every other template comes from the default theme.
    (example / "templates").rename(example / "templates-unused")
    write(example / "templates/_member.html",
          '<article id="{{ item.anchor }}"><h3>MEMBER SPOTLIGHT: {{ item.title }}</h3></article>\n')
    result = invoke(example, "build")
    assert result.exit_code == 0, result.output
    page = (example / "site/2022-06/index.html").read_text()
    assert "MEMBER SPOTLIGHT: Precision Health Technologies Accelerator" in page
    assert "Webinar: air quality and health" in page  # the theme's _event.html still used


def test_unknown_kind_falls_back_to_the_generic_partial(example: Path) -> None:
    env = make_environment(load_config(example))
    assert kind_partial(env, "event", "email") == "_event.email.html"
    assert kind_partial(env, "jobs", "email") == "_item.email.html"
    assert kind_partial(env, "jobs", "text") == "_item.txt"


def test_undefined_variable_is_an_error_not_a_blank(example: Path) -> None:
    env = make_environment(load_config(example))
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ bulletin.titel }}").render(bulletin=object())


def test_autoescape_is_on_for_html_and_off_for_text(example: Path) -> None:
    env = make_environment(load_config(example))
    write(example / "templates/probe.html", "{{ value }}")
    write(example / "templates/probe.txt", "{{ value }}")
    assert env.get_template("probe.html").render(value="<b>&") == "&lt;b&gt;&amp;"
    assert env.get_template("probe.txt").render(value="<b>&") == "<b>&"


def test_rebase_points_site_urls_below_a_prefix() -> None:
    html = '<a href="/2022-06/a.pdf">a</a><img src="/assets/x.png"><a href="//cdn.example/x">x</a>'
    assert rebase(html, "https://b.example/") == (
        '<a href="https://b.example/2022-06/a.pdf">a</a><img src="https://b.example/assets/x.png">'
        '<a href="//cdn.example/x">x</a>')
    assert rebase(html, "../").startswith('<a href="../2022-06/a.pdf">')


@pytest.mark.parametrize(("mistake", "message"), [
    ("{{ nosuchthing }}", "'nosuchthing' is undefined"),  # found as the page is made
    ("{% if %}", "Expected an expression"),  # found as the template is read
])
def test_a_theme_template_mistake_is_a_path_and_line(example: Path, invoke, mistake: str,
                                                      message: str) -> None:
    """A mistake in a publication's own template reads as its `path:line`, in build and
    in check alike, never as Jinja's traceback; nothing is written."""
    template = example / "templates/index.html"
    lines = template.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("<h1>"))
    lines[number - 1] = lines[number - 1].replace("</h1>", f"{mistake}</h1>")
    template.write_text("".join(lines))
    expected = f"templates/index.html:{number}: template error: {message}"
    built = invoke(example, "build")
    assert built.exit_code == 1
    assert expected in built.output and "Traceback" not in built.output
    assert not (example / "site").exists()
    checked = invoke(example, "check")
    assert checked.exit_code == 1
    assert f"templates/index.html:{number}: [invalid] error: template error: {message}" \
        in checked.output
