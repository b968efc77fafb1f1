"""A long issue like a real weekly newsletter's: a few long sections (hard-wrapped
paragraphs, long lists of links) and 50 events with their places. Its full email is
over Gmail's clip; with `email: teaser` it is well under."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

SLUG = "2022-07-weekly"
EVENTS = 50
TOPICS = ("digital pathology", "remote monitoring", "medical device regulation",
          "AI in diagnostics", "procurement in the NHS", "clinical trials for SMEs",
          "health data platforms", "wearables", "cyber security for clinics",
          "point-of-care testing", "investment readiness", "export to the EU")
FORMATS = ("Workshop", "Webinar", "Breakfast briefing", "Site visit", "Masterclass",
           "Meet the buyer", "Clinic")
PLACES = ("Birmingham Research Park, Vincent Drive, Edgbaston",
          "Innovation Centre, Coventry University Technology Park",
          "The Exchange, Centenary Square, Birmingham",
          "Keele Science and Innovation Park, Staffordshire",
          "Wolverhampton Science Park, Glaisher Drive", "online",
          "Warwick Innovation Centre, Gallows Hill, Warwick",
          "Serendip, Worcester Six Business Park")
SENTENCES = (
    "Members told us that the hardest step is the first conversation with a hospital trust, "
    "so this session puts buyers and suppliers in the same room.",
    "The speakers will share what worked for them, what did not, and what they would do "
    "differently if they were starting again today.",
    "There will be time for questions after each talk, and a chance to meet the other "
    "delegates over lunch.",
    "Places are limited, and members of the Cluster are offered them first until the end "
    "of the month.",
    "The regional health economy spends a large share of its budget on services that new "
    "technology could make faster, safer or cheaper.",
    "Our working group met three times this quarter and agreed a short list of priorities "
    "that we will take to the Combined Authority in the autumn.",
    "Several members have asked how the new rules on software as a medical device apply to "
    "products already on the market, and this is our attempt at an answer.",
    "If you would like to take part, or know someone who should, reply to this email and we "
    "will put you in touch with the organisers.",
)
SECTIONS = ("Funding round-up", "What the Innovation Accelerator means for members",
            "Regulation: what changes this summer", "Reading list",
            "News from the universities", "Skills and apprenticeships",
            "Procurement: open calls", "From the chair")


def paragraph(seed: int, sentences: int = 4) -> str:
    """Hard-wrapped at 72 columns, as editors paste from a plain-text draft."""
    words = " ".join(SENTENCES[(seed + i) % len(SENTENCES)] for i in range(sentences))
    return textwrap.fill(words, 72)


def event_text(number: int, date: dt.date) -> str:
    topic = TOPICS[number % len(TOPICS)]
    place = PLACES[number % len(PLACES)]
    hour = 9 + number % 8
    return "\n".join([
        "---",
        "kind: event",
        f'title: "{FORMATS[number % len(FORMATS)]}: {topic}"',
        f"starts: {date.isoformat()}T{hour:02d}:00",
        f"ends: {date.isoformat()}T{hour + 2:02d}:00",
        f'location: "{place}"',
        f"register: https://example.org/events/{date.isoformat()}-{number + 1}",
        "---",
        f"Event {number + 1} of our summer programme. " + paragraph(number, 2),
        "",
        paragraph(number + 3, 1),
        "",
    ])


def section_text(number: int, title: str) -> str:
    body = [paragraph(number * 2 + i, 4) for i in range(4)]
    if number in (0, 3):  # long lists of links, as in a real round-up
        links = [f"- [{TOPICS[(number + i) % len(TOPICS)].capitalize()}, briefing {i + 1}]"
                 f"(https://example.org/{number}/briefing-{i + 1}): a short note on what "
                 "it says and who it is for" for i in range(20)]
        body.insert(1, "\n".join(links))
    return "\n".join(["---", "kind: news", f'title: "{title}"', "---",
                      "\n\n".join(body), ""])


def write_long_issue(root: Path, slug: str = SLUG, email: str | None = None) -> Path:
    """Write the long issue into root/bulletins/slug; email: its bulletin.md's `email:`."""
    folder = root / "bulletins" / slug
    folder.mkdir(parents=True)
    setting = f"email: {email}\n" if email else ""
    (folder / "bulletin.md").write_text(
        f'---\ntitle: "Weekly bulletin, 8 July 2022"\ndate: 2022-07-08\n{setting}'
        'preheader: "Fifty events this summer, funding, regulation and a reading list"\n'
        "---\n" + paragraph(1, 6) + "\n\n" + paragraph(5, 4) + "\n", encoding="utf-8")
    first = dt.date(2022, 7, 12)
    for number in range(EVENTS):
        date = first + dt.timedelta(days=number * 2)
        (folder / f"{10 + number:03d}-event-{number + 1}.md").write_text(
            event_text(number, date), encoding="utf-8")
    for number, title in enumerate(SECTIONS):
        (folder / f"{200 + number}-section-{number + 1}.md").write_text(
            section_text(number, title), encoding="utf-8")
    return folder
