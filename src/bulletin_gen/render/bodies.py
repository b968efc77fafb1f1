"""What a body's HTML needs to differ between the web page and the email.

A body is sanitised once, for both. Table cells keep their column's alignment as
`align`, which every email client honours but the HTML standard calls obsolete: on
the web page it becomes `style="text-align: ..."`. Footnotes are reached by `id`, which
Gmail ignores: in the email each footnote and each reference to one also gets an
`<a name>` (EMAIL-FACTS 7), which the standard calls obsolete on the web.
"""

from __future__ import annotations

import re

ALIGN_RE = re.compile(r'<(t[hd])([^>]*?) align="(left|center|right)"')
# The footnotes and references sanitize.py lets keep their ids (markdown/gfm.py makes them).
TARGET_RE = re.compile(r'<(li|sup) id="(fn[^"]*)">')


def web_body(html: str) -> str:
    """A body as the web page shows it: cells aligned by style."""
    if ' align="' not in html:
        return html
    return ALIGN_RE.sub(r'<\1\2 style="text-align: \3;"', html)


def email_body(html: str) -> str:
    """A body as the email shows it: footnotes reachable in Gmail too."""
    if ' id="fn' not in html:
        return html
    return TARGET_RE.sub(r'<\1><a name="\2" id="\2"></a>', html)
