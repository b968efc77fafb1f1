"""The editor's page: Decap CMS, with previews in the bulletin's own web style."""

from __future__ import annotations

import html
import json
from typing import Any

# The hosted page (site/admin/) is on the web anyway: it loads the same pinned Decap
# release from a CDN, so that a build never depends on what npm put on the machine.
HOSTED_SCRIPT = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js"

# Previews draw an item as _item.html does (same classes), so bulletin.css styles them.
PREVIEW_JS = """
CMS.registerPreviewStyle(%(css)s);
var h = window.h;
function picture(props, key, alt, className) {
  var value = props.entry.getIn(['data', key]);
  if (!value) return null;
  var asset = props.getAsset(value);
  return h('img', {className: className, src: asset ? asset.toString() : value,
                   alt: props.entry.getIn(['data', alt]) || ''});
}
function itemPreview(props) {
  var data = function (key) { return props.entry.getIn(['data', key]); };
  var facts = ['starts', 'ends', 'when', 'location', 'member'].filter(data).map(function (key) {
    return h('p', {className: 'meta', key: key}, key.replace('_', ' ') + ': ' + data(key));
  });
  var link = data('link') ? h('p', {className: 'actions'},
    h('a', {className: 'button', href: data('link')}, data('link_text') || data('link'))) : null;
  return h('main', {id: 'main'}, h('article', {className: 'item item-' + (data('kind') || '')},
    h('h3', {}, data('title') || ''), facts, picture(props, 'image', 'image_alt', 'item-image'),
    h('div', {className: 'item-body'}, props.widgetFor('body')), link));
}
function issuePreview(props) {
  var data = function (key) { return props.entry.getIn(['data', key]); };
  return h('main', {id: 'main'}, h('article', {className: 'bulletin'},
    h('header', {className: 'bulletin-header'}, picture(props, 'banner', 'banner_alt', 'banner'),
      h('h1', {}, data('title') || ''), h('p', {className: 'meta'}, data('date') || '')),
    h('div', {className: 'intro'}, props.widgetFor('body'))));
}
%(registrations)s
"""


def index_html(title: str, script: str, css: str, settings: dict[str, Any]) -> str:
    """admin/index.html: Decap reads config.yml beside it and draws the editor."""
    registrations = []
    for collection in settings["collections"]:
        if "files" in collection:
            names = [file["name"] for file in collection["files"]]
            registrations += [f"CMS.registerPreviewTemplate({json.dumps(n)}, issuePreview);"
                              for n in names]
        else:
            registrations.append(f"CMS.registerPreviewTemplate("
                                 f"{json.dumps(collection['name'])}, itemPreview);")
    preview = PREVIEW_JS % {"css": json.dumps(css), "registrations": "\n".join(registrations)}
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{html.escape(title)}: editor</title>
<link rel="config" type="text/yaml" href="config.yml">
</head>
<body>
<script src="{html.escape(script)}"></script>
<script>{preview}</script>
</body>
</html>
"""
