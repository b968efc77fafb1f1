"""Inline CSS into the email with premailer, keeping email-service placeholders intact."""

from __future__ import annotations

import logging
import os
import re

# premailer's shared cache of parsed rules holds 128 entries by default; set before import.
os.environ.setdefault("PREMAILER_CACHE_MAXSIZE", "4096")

# Placeholders of email services (Mailchimp, listmonk, Buttondown, Ghost, Campaign
# Monitor). premailer percent-encodes `|` in hrefs (peterbe/premailer #130), so they
# are swapped for inert tokens before inlining and put back byte for byte after.
PLACEHOLDER_RE = re.compile(
    r"\*\|[A-Z0-9_:]+\|\*"                 # Mailchimp *|UNSUB|*
    r"|\{\{-?\s*[\w. ]+?\s*-?\}\}"         # listmonk, Buttondown {{ UnsubscribeURL }}
    r"|%%\{?[\w.]+\}?%%"                   # Ghost %%{unsubscribe_url}%%
    r"|\[(?:unsubscribe|webversion)\]"     # bracketed tags
    # Campaign Monitor's elements: lxml would drop or move unknown tags.
    r"|</?(?:unsubscribe|webversion|forwardtoafriend|preferences)\b[^>]*>"
)
TOKEN = "bgph{:04d}x"
TOKEN_RE = re.compile(r"bgph(\d{4})x")


def inline_css(html: str) -> str:
    """Inline every <style> rule that can be inlined; keep media queries in <style>."""
    import premailer

    found: list[str] = []

    def protect(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return TOKEN.format(len(found) - 1)

    protected = PLACEHOLDER_RE.sub(protect, html)
    inliner = premailer.Premailer(
        protected,
        allow_network=False,
        disable_validation=True,
        strip_important=False,  # the default strips it from kept media queries
        cssutils_logging_level=logging.CRITICAL,  # silence warnings about mso- properties
        remove_classes=False,
        keep_style_tags=False,
        exclude_pseudoclasses=True,
        # Keep the width and height attributes the template wrote for Outlook: by default
        # premailer overwrites width="600" on an image with its CSS width (100%).
        disable_basic_attributes=["width", "height"],
    )
    result = inliner.transform(pretty_print=False)
    return TOKEN_RE.sub(lambda match: found[int(match.group(1))], result)
