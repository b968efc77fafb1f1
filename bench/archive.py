"""A deterministic synthetic archive: N issues x M items, for bulletin-gen and for Pelican."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = (
    "cluster health technology member innovation patients clinical data digital regional "
    "funding partners research hospital device trial evidence adoption network workshop "
    "accelerator programme investment startup growth skills care system pathway imaging "
    "diagnostics wearable software regulation procurement evaluation community university "
    "collaboration pilot service outcomes quality safety market export supply chain "
    "manufacturing engineering design user clinicians nurses commissioners integrated board "
    "the of and to in for with on at by from a an our their new next this that will is are"
).split()
KINDS = ("event", "news", "member")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, number: int) -> str:
    """150-500 words in paragraphs, with a link, emphasis and sometimes a list."""
    target = rng.randint(150, 500)
    paragraphs, count = [], 0
    while count < target:
        size = min(rng.randint(40, 90), target - count)
        sentences, left = [], size
        while left > 0:
            length = min(rng.randint(8, 18), left)
            sentences.append(_sentence(rng, length))
            left -= length
        paragraphs.append(" ".join(sentences))
        count += size
    paragraphs[0] += (f" Read [the full programme](https://example.org/programme/{number}) "
                      "and **book early**.")
    if number % 2 == 0:
        paragraphs.insert(1, "\n".join(f"- {_sentence(rng, rng.randint(4, 9))}"
                                       for _ in range(rng.randint(3, 5))))
    return "\n\n".join(paragraphs)


def _png(width: int, height: int, shade: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (shade, 90, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def issue_slugs(issues: int) -> list[str]:
    return [f"{2005 + n // 12}-{n % 12 + 1:02d}" for n in range(issues)]


def make_archive(root: Path, issues: int = 240, items: int = 15, seed: int = 6) -> Path:
    """Write site.yaml, assets and bulletins/ for a publication of issues x items."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "assets", root / "assets", dirs_exist_ok=True)
    banner, picture = _png(600, 200, 40), _png(480, 270, 120)
    for slug in issue_slugs(issues):
        year, month = (int(part) for part in slug.split("-"))
        date = dt.date(year, month, 28)
        folder = root / "bulletins" / slug
        (folder / "images").mkdir(parents=True, exist_ok=True)
        (folder / "images" / "banner.png").write_bytes(banner)
        intro = "\n\n".join(_body(rng, 0).split("\n\n")[:2])
        (folder / "bulletin.md").write_text(
            f'---\ntitle: "Cluster e-bulletin: {date:%B %Y}"\ndate: {date.isoformat()}\n'
            f'preheader: "News, events and members\' stories for {date:%B %Y}"\n'
            "banner: images/banner.png\nbanner_alt: A navy banner with the cluster's name\n"
            "author:\n  name: David\n  role: Executive Chair\n  email: david@example.org\n"
            "sign_off: Thank you for reading; [write to me](mailto:david@example.org).\n"
            f"---\n{intro}\n", encoding="utf-8")
        for number in range(items):
            kind = KINDS[number % 3]
            title = _sentence(rng, rng.randint(3, 7)).rstrip(".")
            lines = [f"kind: {kind}", f'title: "{title}"']
            if number % 5 == 2:
                name = f"picture-{number}.png"
                (folder / "images" / name).write_bytes(picture)
                lines += [f"image: images/{name}", "image_alt: A photograph of the event"]
            if kind == "event":
                starts = dt.datetime.combine(date, dt.time(10)) + dt.timedelta(days=number + 3)
                lines += [f"starts: {starts:%Y-%m-%dT%H:%M}",
                          f"ends: {starts + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
                          "location: Birmingham Science Park",
                          f"register: https://example.org/register/{slug}/{number}"]
            elif kind == "member":
                lines += [f"member: Member {rng.randint(1, 60)} Ltd",
                          "member_url: https://example.org/members/"]
            else:
                lines += [f"link: https://example.org/news/{slug}/{number}",
                          "link_text: Read more"]
            text = "---\n" + "\n".join(lines) + "\n---\n" + _body(rng, number) + "\n"
            (folder / f"{number + 1:02d}-item-{number + 1}.md").write_text(text, encoding="utf-8")
    return root


def make_pelican_project(archive: Path, target: Path) -> Path:
    """The same content as Pelican articles: each issue one article, its items in order."""
    content = target / "content"
    (content / "images").mkdir(parents=True, exist_ok=True)
    for folder in sorted((archive / "bulletins").iterdir()):
        slug = folder.name
        shutil.copytree(folder / "images", content / "images" / slug)
        meta, intro = _split(folder / "bulletin.md")
        parts = [f"![{meta['banner_alt']}]({{static}}/images/{slug}/banner.png)", intro]
        for item in sorted(folder.glob("[0-9]*.md")):
            item_meta, body = _split(item)
            parts.append(f"## {item_meta['title']}")
            if "image" in item_meta:
                name = item_meta["image"].split("/")[-1]
                parts.append(f"![{item_meta['image_alt']}]({{static}}/images/{slug}/{name})")
            parts.append(body)
        header = (f"Title: {meta['title']}\nDate: {meta['date']}\nSlug: {slug}\n"
                  f"Category: bulletin\nSummary: {meta['preheader']}\n\n")
        (content / f"{slug}.md").write_text(header + "\n\n".join(parts) + "\n", encoding="utf-8")
    (target / "pelicanconf.py").write_text(
        'AUTHOR = "David"\nSITENAME = "Cluster e-bulletin"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "Europe/London"\nDEFAULT_LANG = "en"\nSTATIC_PATHS = ["images"]\n'
        "DEFAULT_PAGINATION = False\n", encoding="utf-8")
    return target


def _split(path: Path) -> tuple[dict[str, str], str]:
    import yaml

    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = {key: str(value) for key, value in yaml.safe_load(front).items()}
    return meta, body.strip()
