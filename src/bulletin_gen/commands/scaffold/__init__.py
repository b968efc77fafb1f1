"""Scaffolding: `init` a publication, a `new` issue, `add` an item. Never overwrites."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from bulletin_gen.commands.scaffold.texts import TK_BODY, bulletin_text, item_text
from bulletin_gen.config.settings import Config
from bulletin_gen.config.theme import default_theme_dir
from bulletin_gen.errors import BulletinError, ContentError
from bulletin_gen.sources.discover import INDEX_FILE, SLUG_RE, BulletinSource, discover
from bulletin_gen.sources.frontmatter import SourceFile, parse_source, read_text

FILES = Path(__file__).resolve().parent / "files"
NUMBER_RE = re.compile(r"^(\d+)")
ITEM_NAME_RE = re.compile(r"^\d+[-_.]?")  # as load.NUMBER_PREFIX_RE: what the anchor keeps


@dataclass(frozen=True)
class Issue:
    source: BulletinSource
    file: SourceFile
    date: dt.date


def init_publication(target: Path, today: dt.date) -> list[Path]:
    """Start a publication in an empty (or new) folder; return what was created."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BulletinError(f"{target} is not empty: `bulletin init` only starts a new folder")
    target.mkdir(parents=True, exist_ok=True)
    created = [_copy(FILES / "site.yaml", target / "site.yaml"),
               _copy(FILES / "README.md", target / "README.md"),
               _copy(FILES / "gitignore", target / ".gitignore")]
    for part in ("templates", "assets"):
        shutil.copytree(default_theme_dir() / part, target / part)
        created.append(target / part)
    issue = target / "bulletins" / f"{today:%Y-%m}"
    issue.mkdir(parents=True)
    intro = ("Welcome to the first issue. This paragraph is the editor's introduction: "
             "replace it, and the sample items, with your own.")
    created.append(_write(issue / INDEX_FILE, bulletin_text(
        f"Our e-bulletin: {today:%B %Y}", today, "author:\n  name: The Editor\n", draft=False,
        intro=intro, preheader="The first issue of our e-bulletin")))
    kinds = ("news", "event", "member")
    for number, kind in enumerate(kinds, start=1):
        body = f"A sample {kind} item. Replace this text with your own, in Markdown.\n"
        created.append(_write(issue / f"{number * 10}-sample-{kind}.md", item_text(
            kind, kinds, f"A sample {kind} item", body,
            starts=today + dt.timedelta(days=30), member="A member organisation")))
    return created


def new_issue(config: Config, slug: str, from_slug: str | None, today: dt.date) -> list[Path]:
    """Create bulletins/SLUG with a draft bulletin.md and items; return what was created."""
    if not SLUG_RE.match(slug):
        raise BulletinError(f"{slug!r} is not a slug: use lower-case letters, digits and "
                            "hyphens, like 2022-07")
    folder = config.bulletins_dir / slug
    if folder.exists():
        raise BulletinError(f"bulletins/{slug} already exists: nothing was changed")
    issues = _issues(config)
    latest = issues[-1] if issues else None
    template = next((i for i in issues if i.source.slug == from_slug), None)
    if from_slug and template is None:
        raise BulletinError(f"no such issue: {from_slug}")
    date = _issue_date(slug, latest, today)
    title = _title(latest, date) if latest else f"{config.title}: {date:%B %Y}"
    folder.mkdir(parents=True)
    created = [_write(folder / INDEX_FILE, bulletin_text(
        title, date, _author_block(latest) if latest else "", draft=True))]
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
        raise BulletinError(f"unknown kind {kind!r}; expected one of {', '.join(kinds)}")
    issues = _issues(config)
    issue = next((i for i in issues if i.source.slug == to_slug), None) if to_slug else (
        issues[-1] if issues else None)
    if issue is None:
        raise BulletinError(f"no such issue: {to_slug}" if to_slug else
                            "no issue yet: create one with `bulletin new SLUG`")
    folder = issue.source.folder
    slug = slugify(title)
    # The name after the number is the item's anchor: a second one would stop the build.
    same = sorted(p for p in folder.glob("*.md") if ITEM_NAME_RE.sub("", p.stem) == slug)
    if same:
        rel = same[0].relative_to(config.root).as_posix()
        raise BulletinError(f"{rel} already has the name {slug!r}: give the new item "
                            "another title; nothing was written")
    return _write(folder / f"{next_number(folder)}-{slug}.md", item_text(kind, kinds, title))


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
        raise BulletinError(f"{path} already exists: nothing was overwritten") from None
    return path


def _copy(source: Path, target: Path) -> Path:
    return _write(target, source.read_text(encoding="utf-8"))
