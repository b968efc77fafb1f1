"""Scaffolding: `init` a publication, a `new` issue, `add` an item. Never overwrites."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
import string
from dataclasses import dataclass
from pathlib import Path

from bulletin_gen.commands.scaffold.logo import write_logo
from bulletin_gen.commands.scaffold.texts import TK_BODY, bulletin_text, item_text, quoted
from bulletin_gen.config.settings import Config
from bulletin_gen.config.theme import default_theme_dir
from bulletin_gen.errors import CommandLineError, ContentError
from bulletin_gen.model import EMAIL_MODES
from bulletin_gen.sources.discover import INDEX_FILE, SLUG_RE, BulletinSource, discover
from bulletin_gen.sources.frontmatter import SourceFile, parse_source, read_text

FILES = Path(__file__).resolve().parent / "files"
NUMBER_RE = re.compile(r"^(\d+)")
ITEM_NAME_RE = re.compile(r"^\d+[-_.]?")  # as load.NUMBER_PREFIX_RE: what the anchor keeps
DEFAULT_TITLE = "Our e-bulletin"
# What the wheel ships as the theme (pyproject.toml): in a source checkout assets/images
# holds the example publication's pictures, which are no one else's to copy.
THEME_PARTS = ("templates", "assets/css", "assets/js")
LOGO_BACKGROUND = "#1d3c6e"  # the scaffolded site.yaml's brand.primary


@dataclass(frozen=True)
class Issue:
    source: BulletinSource
    file: SourceFile
    date: dt.date


def init_publication(target: Path, today: dt.date, title: str = DEFAULT_TITLE) -> list[Path]:
    """Start a publication in an empty (or new) folder; return what was created.

    Nothing of anyone else's: a neutral site.yaml, a logo drawn from the title, and a
    sample issue. The templates stay in the package (`bulletin theme copy` takes one out).
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandLineError(f"{target} is not empty: `bulletin init` only starts a new "
                               "folder")
    target.mkdir(parents=True, exist_ok=True)
    site_yaml = string.Template((FILES / "site.yaml").read_text(encoding="utf-8"))
    created = [_write(target / "site.yaml", site_yaml.substitute(title=quoted(title)[1:-1])),
               _copy(FILES / "README.md", target / "README.md"),
               _copy(FILES / "gitignore", target / ".gitignore"),
               write_logo(target / "assets" / "images" / "logo.png", title, LOGO_BACKGROUND)]
    issue = target / "bulletins" / f"{today:%Y-%m}"
    issue.mkdir(parents=True)
    intro = ("Welcome to the first issue. This paragraph is the editor's introduction: "
             "replace it, and the sample items, with your own.")
    created.append(_write(issue / INDEX_FILE, bulletin_text(
        f"{title}: {today:%B %Y}", today, "author:\n  name: The Editor\n", draft=False,
        intro=intro, preheader=f"The first issue of {title}")))
    kinds = ("news", "event", "member")
    starts = dt.datetime.combine(today + dt.timedelta(days=30), dt.time(18, 0))
    for number, kind in enumerate(kinds, start=1):
        body = f"A sample {kind} item. Replace this text with your own, in Markdown.\n"
        created.append(_write(issue / f"{number * 10}-sample-{kind}.md", item_text(
            kind, kinds, f"A sample {kind} item", body, starts=starts,
            member="A member organisation")))
    return created


def theme_files() -> list[str]:
    """Every file of the packaged theme, as `templates/...` and `assets/...` paths."""
    theme = default_theme_dir()
    return sorted(path.relative_to(theme).as_posix() for part in THEME_PARTS
                  for path in (theme / part).rglob("*") if path.is_file())


def copy_theme_file(root: Path, name: str) -> Path:
    """Copy one file of the packaged theme into the publication, to override it there.

    name is its path in the theme (templates/_event.html, assets/css/bulletin.css) or,
    for a template, its file name alone (_event.html)."""
    files = theme_files()
    wanted = name if name in files else f"templates/{name}"
    if wanted not in files:
        raise CommandLineError(f"the theme has no {name!r}; `bulletin theme list` shows "
                               "its files")
    target = root / wanted
    if target.exists():
        raise CommandLineError(f"{wanted} already exists: nothing was overwritten "
                               "(delete it to go back to the packaged file)")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default_theme_dir() / wanted, target)
    return target


def new_issue(config: Config, slug: str, from_slug: str | None, today: dt.date) -> list[Path]:
    """Create bulletins/SLUG with a draft bulletin.md and items; return what was created."""
    if not SLUG_RE.match(slug):
        raise CommandLineError(f"{slug!r} is not a slug: use lower-case letters, digits and "
                            "hyphens, like 2022-07")
    folder = config.bulletins_dir / slug
    if folder.exists():
        raise CommandLineError(f"bulletins/{slug} already exists: nothing was changed")
    issues = _issues(config)
    latest = issues[-1] if issues else None
    template = next((i for i in issues if i.source.slug == from_slug), None)
    if from_slug and template is None:
        raise CommandLineError(f"no such issue: {from_slug}")
    date = _issue_date(slug, latest, today)
    title = _title(latest, date) if latest else ""
    if not title or title == latest_title(latest):  # not one with the new issue's month in it
        title = f"{config.title}: {date:%B %Y}"
    folder.mkdir(parents=True)
    created = [_write(folder / INDEX_FILE, bulletin_text(
        title, date, _author_block(latest) if latest else "", draft=True,
        email=_email_setting(template or latest)))]
    kinds = tuple(kind.name for kind in config.kinds)
    if template is not None:
        for path in template.source.items:
            created.append(_write(folder / path.name, _stub(path, config, kinds)))
    else:
        for number, kind in enumerate(kinds, start=1):
            created.append(_write(folder / f"{number * 10}-example-{kind}.md",
                                  item_text(kind, kinds, f"Example {kind} item")))
    return created


def add_item(config: Config, kind: str, title: str, to_slug: str | None) -> Path:
    """Write NN-slug-of-title.md into an issue (the latest by default); return its path."""
    kinds = tuple(k.name for k in config.kinds)
    if kind not in kinds:
        raise CommandLineError(f"unknown kind {kind!r}; expected one of {', '.join(kinds)}")
    issues = _issues(config)
    issue = next((i for i in issues if i.source.slug == to_slug), None) if to_slug else (
        issues[-1] if issues else None)
    if issue is None:
        raise CommandLineError(f"no such issue: {to_slug}" if to_slug else
                            "no issue yet: create one with `bulletin new SLUG`")
    folder = issue.source.folder
    slug = slugify(title)
    same = name_taken(folder, slug)
    if same is not None:
        rel = same.relative_to(config.root).as_posix()
        raise CommandLineError(f"{rel} already has the name {slug!r}: give the new item "
                            "another title; nothing was written")
    return _write(folder / f"{next_number(folder)}-{slug}.md", item_text(kind, kinds, title))


def name_taken(folder: Path, slug: str) -> Path | None:
    """The item file already named slug after its number, if there is one."""
    # The name after the number is the item's anchor: a second one would stop the build.
    same = sorted(p for p in folder.glob("*.md") if ITEM_NAME_RE.sub("", p.stem) == slug)
    return same[0] if same else None


def next_number(folder: Path) -> int:
    """Ten more than the highest number in front of a file name, rounded to tens."""
    numbers = [int(m.group(1)) for path in folder.glob("*.md")
               if (m := NUMBER_RE.match(path.name))]
    return (max(numbers, default=0) // 10 + 1) * 10


def slugify(title: str) -> str:
    """Lower-case words joined by hyphens: "Summer social!" -> summer-social."""
    import unicodedata

    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-") or "item"


def _issues(config: Config) -> list[Issue]:
    """Every issue whose bulletin.md has a readable date, oldest first."""
    issues = []
    for source in discover(config):
        rel = source.index.relative_to(config.root).as_posix()
        try:
            file = parse_source(read_text(source.index, rel), rel)
        except ContentError:
            continue
        date = file.meta.get("date")
        if isinstance(date, dt.date):
            issues.append(Issue(source, file, date))
    return sorted(issues, key=lambda issue: (issue.date, issue.source.slug))


def _issue_date(slug: str, latest: Issue | None, today: dt.date) -> dt.date:
    match = re.match(r"^(\d{4})-(\d{2})\b", slug)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return today
    year, month = int(match.group(1)), int(match.group(2))
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(latest.date.day if latest else 1, last_day))


def _title(latest: Issue, date: dt.date) -> str:
    title = str(latest.file.meta.get("title", ""))
    old = latest.date
    for before, after in ((f"{old:%B %Y}", f"{date:%B %Y}"), (f"{old:%Y-%m}", f"{date:%Y-%m}"),
                          (f"{old:%b %Y}", f"{date:%b %Y}")):
        title = title.replace(before, after)
    return title


def latest_title(issue: Issue | None) -> str:
    return str(issue.file.meta.get("title", "")) if issue else ""


def _email_setting(issue: Issue | None) -> str | None:
    """The issue's own `email:` (how its items go into the email), carried to the next."""
    value = issue.file.meta.get("email") if issue is not None else None
    return value if value in EMAIL_MODES else None


def _author_block(latest: Issue) -> str:
    """The latest issue's `author:` lines, as the editor wrote them."""
    start = latest.file.lines.get("author")
    if start is None:
        return ""
    lines = read_text(latest.source.index, "").split("\n")
    block = [lines[start - 1]]
    for line in lines[start:]:
        if not line.startswith((" ", "\t")):
            break
        block.append(line)
    return "\n".join(block) + "\n"


def _stub(path: Path, config: Config, kinds: tuple[str, ...]) -> str:
    rel = path.relative_to(config.root).as_posix()
    meta = parse_source(read_text(path, rel), rel).meta
    kind = str(meta.get("kind", kinds[0]))
    return item_text(kind, kinds, str(meta.get("title", "TK")), TK_BODY,
                     member=str(meta.get("member", "TK")))


def _write(path: Path, text: str) -> Path:
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(text)
    except FileExistsError:
        raise CommandLineError(f"{path} already exists: nothing was overwritten") from None
    return path


def _copy(source: Path, target: Path) -> Path:
    return _write(target, source.read_text(encoding="utf-8"))
