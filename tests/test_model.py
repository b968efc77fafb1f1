"""The Site orders issues newest first and knows each issue's neighbours."""

import datetime as dt

from bulletin_gen.config.settings import DEFAULT_KINDS, Kind
from bulletin_gen.model import Bulletin, Item, Site


def bulletin(slug: str, day: dt.date, *items: Item) -> Bulletin:
    return Bulletin(slug=slug, path=f"bulletins/{slug}/bulletin.md", title=slug, date=day,
                    preheader=None, intro_html="", items=items)


def item(kind: str, slug: str) -> Item:
    return Item(path=f"x/{slug}.md", slug=slug, kind=kind, title=slug, body_html="")


def test_newest_first_and_neighbours() -> None:
    jan, jun, dec = (bulletin("2022-01", dt.date(2022, 1, 5)),
                     bulletin("2022-06", dt.date(2022, 6, 30)),
                     bulletin("2021-12", dt.date(2021, 12, 1)))
    site = Site(config=None, bulletins=(jan, jun, dec))  # type: ignore[arg-type]
    assert [b.slug for b in site.bulletins] == ["2022-06", "2022-01", "2021-12"]
    assert site.neighbours(jan) == (dec, jun)
    assert site.neighbours(jun) == (jan, None)
    assert site.neighbours(dec) == (None, jan)


def test_groups_follow_the_kinds_order_and_skip_empty_kinds() -> None:
    issue = bulletin("x", dt.date(2022, 1, 1), item("member", "m"), item("news", "a"),
                     item("news", "b"), item("jobs", "j"))
    groups = issue.groups(DEFAULT_KINDS)
    assert [(g.kind.name, [i.slug for i in g.items]) for g in groups] == [
        ("news", ["a", "b"]), ("member", ["m"])]
    custom = issue.groups((Kind("jobs", "Jobs"), Kind("news", "News")))
    assert [g.kind.name for g in custom] == ["jobs", "news"]
