"""Links: absolute, with UTM parameters only on the listed domains."""

from __future__ import annotations

from pathlib import Path

from bulletin_gen.config.settings import load_config
from bulletin_gen.mail.links import LinkPolicy, finish_html_links, finish_text_links, finish_url
from tests.email_build import set_yaml

POLICY = LinkPolicy("https://bulletin.example.org/",
                    (("utm_source", "e-bulletin"), ("utm_medium", "email"),
                     ("utm_campaign", "2022-06")), ("example.org",))
UTM = "utm_source=e-bulletin&utm_medium=email&utm_campaign=2022-06"


def test_utm_only_on_listed_domains_and_their_subdomains() -> None:
    assert finish_url("https://example.org/a", POLICY) == f"https://example.org/a?{UTM}"
    assert finish_url("https://www.example.org/a", POLICY) == f"https://www.example.org/a?{UTM}"
    assert finish_url("https://notexample.org/a", POLICY) == "https://notexample.org/a"
    assert finish_url("https://other.net/x", POLICY) == "https://other.net/x"


def test_existing_query_fragment_and_own_utm_are_kept() -> None:
    assert finish_url("https://example.org/a?x=1#top", POLICY) == \
        f"https://example.org/a?x=1&{UTM}#top"
    assert finish_url("https://example.org/a?utm_source=flyer", POLICY) == \
        "https://example.org/a?utm_source=flyer&utm_medium=email&utm_campaign=2022-06"


def test_never_on_mailto_anchors_or_placeholders() -> None:
    for url in ("mailto:info@example.org", "#event-x", "*|ARCHIVE|*", "{{ MessageURL }}",
                "%%{unsubscribe_url}%%", "[webversion]"):
        assert finish_url(url, POLICY) == url


def test_relative_urls_become_absolute_under_base_url() -> None:
    html = '<a href="/2022-06/a.pdf">a</a><img src="images/x.png"><a href="#top">t</a>'
    assert finish_html_links(html, POLICY) == (
        f'<a href="https://bulletin.example.org/2022-06/a.pdf?{UTM.replace("&", "&amp;")}">a</a>'
        '<img src="https://bulletin.example.org/images/x.png"><a href="#top">t</a>')


def test_plain_text_urls_get_the_same_parameters() -> None:
    text = "Register: https://example.org/e.\n<https://other.net/x> and https://example.org/b)"
    assert finish_text_links(text, POLICY) == (
        f"Register: https://example.org/e?{UTM}.\n<https://other.net/x> and "
        f"https://example.org/b?{UTM})")


def test_campaign_defaults_to_the_slug_and_utm_is_off_without_a_source(example: Path) -> None:
    policy = LinkPolicy.for_issue(load_config(example), "2022-06")
    assert dict(policy.utm) == {"utm_source": "e-bulletin", "utm_medium": "email",
                                "utm_campaign": "2022-06"}
    set_yaml(example, r"^  utm_source: .*\n", "")
    assert LinkPolicy.for_issue(load_config(example), "2022-06").utm == ()


def test_built_email_tags_listed_domains_only(example: Path, invoke) -> None:
    assert invoke(example, "build").exit_code == 0
    html = (example / "site/2022-06/email.html").read_text()
    assert f'href="https://example.org/events/air-quality-webinar?{UTM.replace("&", "&amp;")}"' \
        in html
    assert 'href="mailto:david@wmhtc.co.uk"' in html
    sources = [part.split('"', 1)[0] for part in html.split(' src="')[1:]]
    assert sources and not any("utm_" in src for src in sources)  # pictures are not links
