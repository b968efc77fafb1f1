"""An archive written as editors write, not as our own examples are: the benchmark's content.

Independent of the example publication and of bench/archive.py (the older, plainer
archive kept for byte-for-byte comparisons of the output): its own vocabulary, with
accents and other scripts in names and places, paragraphs hard-wrapped at 72 columns,
inline emphasis and code, links with query strings (some to the publication's own domain,
which the email tags with UTM parameters, some elsewhere), bare URLs, bulleted lists
with sublists indented by two spaces, numbered lists, pipe tables with alignment,
quotes and sub-headings. A third of the items are events, a quarter carry a picture;
each body is 150-500 words. The same folders are given to Pelican by
archive.make_pelican_project (web pages only), so both tools build the same text.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import shutil
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WIDTH = 72  # hard-wrapped, as many editors' text editors do

WORDS = (
    "annual review surgery ward patients carers families volunteers governance trust "
    "hospital clinic pharmacy laboratory screening vaccine genomics sequencing biobank "
    "consortium grant application deadline shortlist panel keynote speaker delegates "
    "exhibition showcase networking breakfast reception lunch seminar briefing roundtable "
    "procurement framework tender contract supplier invoice budget forecast quarter "
    "prototype usability accessibility cybersecurity interoperability standards records "
    "analytics dashboard algorithm imaging radiology pathology oncology cardiology "
    "dementia diabetes frailty rehabilitation physiotherapy telehealth monitoring sensors "
    "apprentices graduates mentoring leadership placement scholarship fellowship campus "
    "regional council mayor combined authority parliament minister consultation evidence "
    "manufacturing cleanroom scale-up export investors valuation equity seed angel "
    "sustainability net-zero carbon travel plan hybrid online in-person recorded slides "
    "café naïve rôle coöperation façade résumé déjà vu über piñata jalapeño crème brûlée "
    "the the the of of of and and and to to in in for for with on at by from a a an our "
    "their new next this that will is are was were has have been be it its as more most"
).split()
PLACES = ("Zürich", "Kraków", "São Paulo", "Malmö", "Reykjavík", "Łódź", "Ümraniye",
          "Besançon", "Dún Laoghaire", "Coventry", "Wolverhampton", "Walsall", "Ōsaka",
          "Nuuk", "Córdoba", "Plzeň")
NAMES = ("Zoë Ångström", "José Muñoz-Pérez", "Łukasz Żółkiewski", "Siobhán Ní Bhriain",
         "Chloé Lefèvre", "Bjørn Østergård", "Ayşe Yılmaz", "Dvořák Jiří", "Nguyễn Thị Hà",
         "Mārtiņš Ozoliņš", "Renée O'Connor", "Søren Kierkegaard-Hall", "Priya Raghunathan",
         "Anaïs Moreau", "Grzegorz Brzęczyszczykiewicz", "Ðorđe Petrović")
ORGS = ("Ångström Diagnostics Ltd", "Café Médical CIC", "Nørd Robotics",
        "Müller & Søn Medtech", "Šumava Imaging", "Éclair Health", "Tiến Bộ Labs",
        "Ölmez Biotech", "Caerdydd Devices", "Ōkami Sensors")
DOMAINS = ("www.eventbrite.co.uk", "www.gov.uk", "www.nihr.ac.uk", "zenodo.org",
           "www.ukri.org", "forms.office.com", "www.youtube.com", "maps.example.net")
OWN = "example.org"  # site.yaml's utm_domains: the email tags these links
KINDS = ("event", "news", "member")


def _words(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(count)]


def _url(rng: random.Random, slug: str, number: int) -> str:
    """A link as newsletters carry them: paths, query strings, fragments, encoded bits."""
    if rng.random() < 0.45:
        query = f"id={rng.randint(1, 99999)}&ref=bulletin-{slug}"
        if rng.random() < 0.5:
            query += "&utm_campaign=spring%20update&lang=en-GB"
        return f"https://{OWN}/{rng.choice(('events', 'news', 'members'))}/{number}?{query}"
    domain = rng.choice(DOMAINS)
    path = "-".join(_words(rng, rng.randint(2, 5))).replace("é", "e")
    query = rng.choice((f"?aff=ebdssbdestsearch&discount={rng.randint(10, 99)}",
                        f"?v={rng.randint(10**9, 10**10)}&t={rng.randint(1, 600)}s",
                        "?q=health+tech&page=2#results", "", f"?utm_source=partner&id={number}"))
    return f"https://{domain}/{path}{query}"


def _sentence(rng: random.Random, slug: str, number: int) -> tuple[str, int]:
    """One sentence with, now and then, emphasis, a link, a bare URL, a name or a place."""
    words = _words(rng, rng.randint(7, 19))
    roll = rng.random()
    if roll < 0.10:
        start = rng.randrange(len(words) - 2)
        words[start:start + 3] = [f"[{' '.join(words[start:start + 3])}]"
                                  f"({_url(rng, slug, number)})"]
    elif roll < 0.15:
        words.append(f"at {_url(rng, slug, number)}")  # a bare URL, as people paste them
    elif roll < 0.28:
        words.insert(rng.randrange(len(words)), f"**{rng.choice(words)}**")
    elif roll < 0.34:
        words.insert(rng.randrange(len(words)), f"*{rng.choice(NAMES)}*")
    elif roll < 0.40:
        words.insert(rng.randrange(len(words)), f"in {rng.choice(PLACES)}")
    elif roll < 0.43:
        words.insert(rng.randrange(len(words)), f"`{rng.choice(('FHIR', 'HL7 v2', 'DCB0129'))}`")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!", ";")), len(words)


def _paragraph(rng: random.Random, slug: str, number: int, words: int) -> tuple[str, int]:
    sentences, count = [], 0
    while count < words:
        sentence, size = _sentence(rng, slug, number)
        sentences.append(sentence)
        count += size
    return textwrap.fill(" ".join(sentences), WIDTH, break_long_words=False,
                         break_on_hyphens=False), count


def _bullets(rng: random.Random) -> tuple[str, int]:
    lines, count = [], 0
    for _ in range(rng.randint(3, 6)):
        words = _words(rng, rng.randint(3, 9))
        lines.append("- " + " ".join(words).capitalize())
        count += len(words)
        if rng.random() < 0.4:  # sublists indented by two spaces, as GitHub shows them
            for _ in range(rng.randint(1, 3)):
                words = _words(rng, rng.randint(2, 6))
                lines.append("  - " + " ".join(words))
                count += len(words)
    return "\n".join(lines), count


def _numbered(rng: random.Random) -> tuple[str, int]:
    lines, count = [], 0
    for step in range(1, rng.randint(3, 5) + 1):
        words = _words(rng, rng.randint(4, 10))
        lines.append(f"{step}. " + " ".join(words).capitalize())
        count += len(words)
    return "\n".join(lines), count


def _table(rng: random.Random) -> tuple[str, int]:
    columns = rng.randint(3, 4)
    header = ["Session", "When", "Where", "Places"][:columns]
    rows = ["| " + " | ".join(header) + " |",
            "| " + " | ".join((":---", ":---:", "---", "---:")[:columns]) + " |"]
    count = 0
    for _ in range(rng.randint(3, 6)):
        cells = [" ".join(_words(rng, 3)).capitalize(), f"{rng.randint(9, 17)}:00",
                 rng.choice(PLACES), str(rng.randint(10, 200))][:columns]
        rows.append("| " + " | ".join(cells) + " |")
        count += 3 + columns - 1
    return "\n".join(rows), count


def body(rng: random.Random, slug: str, number: int) -> str:
    """150-500 words: paragraphs with, often, a list, a table, a quote or a heading."""
    target = rng.randint(150, 500)
    blocks, count = [], 0
    extras = [_bullets, _numbered, _table]
    while count < target:
        roll = rng.random()
        if count and roll < 0.18 and extras:
            block, size = extras.pop(rng.randrange(len(extras)))(rng)
        elif count and roll < 0.24:
            block, size = _paragraph(rng, slug, number, rng.randint(15, 30))
            block = "\n".join("> " + line for line in block.splitlines())
        elif count and roll < 0.28:
            words = _words(rng, rng.randint(2, 5))
            block, size = "### " + " ".join(words).capitalize(), len(words)
        else:
            block, size = _paragraph(rng, slug, number, rng.randint(35, 90))
        blocks.append(block)
        count += size
    return "\n\n".join(blocks)


def _picture(width: int, height: int, seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, rng.randint(60, 200), y * 255 // height)
                   for y in range(height) for x in range(width)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def issue_slugs(issues: int) -> list[str]:
    """Monthly issues, newest last: 240 are 2005-01 to 2024-12."""
    first = 2025 * 12 - issues
    return [f"{(first + n) // 12}-{(first + n) % 12 + 1:02d}" for n in range(issues)]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar too


# Items longer than this many words go into the email as teasers: with the events as
# teasers too, no issue comes near Gmail's clip however the dice fall (in full, most do).
LONG_ITEM = 350


def make_content(root: Path, issues: int = 240, items: int = 15, seed: int = 1911) -> Path:
    """Write site.yaml, assets and bulletins/ for a publication of issues x items."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "assets", root / "assets", dirs_exist_ok=True)
    banner = _picture(600, 200, 1)
    pictures = [_picture(640, 360, 2), _picture(480, 480, 3), _picture(800, 450, 4)]
    counter = 0
    for slug in issue_slugs(issues):
        year, month = (int(part) for part in slug.split("-"))
        date = dt.date(year, month, 1) + dt.timedelta(days=rng.randint(0, 27))
        folder = root / "bulletins" / slug
        (folder / "images").mkdir(parents=True, exist_ok=True)
        (folder / "images" / "banner.jpg").write_bytes(banner)
        editor = rng.choice(NAMES)
        sign_off = f"Until next month, *{editor}*. [Write to us](mailto:editor@example.org)."
        intro = "\n\n".join(_paragraph(rng, slug, 0, rng.randint(40, 80))[0] for _ in range(2))
        (folder / "bulletin.md").write_text(
            f"---\ntitle: {_quote(f'Bulletin {date:%B %Y}: news from {rng.choice(PLACES)}')}\n"
            f"date: {date.isoformat()}\n"
            f"preheader: {_quote(f'{rng.choice(ORGS)}, events and more for {date:%B %Y}')}\n"
            "banner: images/banner.jpg\nbanner_alt: \"Abstract colours: the bulletin's banner\"\n"
            f"author:\n  name: {_quote(editor)}\n  role: Editor\n  email: editor@example.org\n"
            f"sign_off: {_quote(sign_off)}\n"
            f"---\n{intro}\n", encoding="utf-8")
        for number in range(items):
            counter += 1
            kind = KINDS[number % 3]
            title = (" ".join(_words(rng, rng.randint(3, 7))).capitalize()
                     + rng.choice(("", "", f" in {rng.choice(PLACES)}",
                                   f": {rng.choice(NAMES)} & partners")))
            lines = [f"kind: {kind}", f"title: {_quote(title)}"]
            if counter % 4 == 0:
                name = f"photo-{number + 1:02d}.jpg"
                (folder / "images" / name).write_bytes(pictures[counter % 3])
                lines += [f"image: images/{name}",
                          f"image_alt: {_quote(f'{rng.choice(NAMES)} speaking at the event')}"]
            if kind == "event":
                starts = dt.datetime.combine(date, dt.time(rng.randint(9, 16), 30)) + \
                    dt.timedelta(days=rng.randint(3, 40))
                lines += [f"starts: {starts:%Y-%m-%dT%H:%M}",
                          f"ends: {starts + dt.timedelta(hours=rng.randint(1, 3)):%Y-%m-%dT%H:%M}",
                          f"location: {_quote(rng.choice(PLACES + ('online',)))}",
                          f"register: {_url(rng, slug, number)}",
                          # As an editor does once an issue is over the clip, and the
                          # build's message says: events as compact lines in the email
                          # (in full on the web page). In full, 191 of 240 issues are over.
                          "email: teaser"]
            elif kind == "member":
                lines += [f"member: {_quote(rng.choice(ORGS))}",
                          f"member_url: https://{OWN}/members/{rng.randint(1, 80)}?from=bulletin"]
            else:
                lines += [f"link: {_url(rng, slug, number)}", "link_text: Read more"]
            words = body(rng, slug, number)
            if kind != "event" and len(words.split()) > LONG_ITEM:
                lines.append("email: teaser")  # long items too, as the build's message says
            text = "---\n" + "\n".join(lines) + "\n---\n" + words + "\n"
            stem = "-".join(word for word in title.lower().split()[:3] if word.isascii()
                            and word.isalpha())
            (folder / f"{(number + 1) * 10:03d}-{stem}-{number + 1}.md").write_text(
                text, encoding="utf-8")
    return root


if __name__ == "__main__":  # python bench/content.py FOLDER [ISSUES]: look at what it makes
    import sys

    make_content(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 240)
