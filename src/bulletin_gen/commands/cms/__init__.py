"""The web editor: Decap CMS configured from site.yaml and the schema (`bulletin cms`,
and site/admin/ for the published site), its saves written as `bulletin add` writes."""
