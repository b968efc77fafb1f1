"""Load site.yaml into a Config."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin_gen.config import schema
from bulletin_gen.config.schema import Field
from bulletin_gen.config.theme import default_theme_dir
from bulletin_gen.errors import BulletinError, ContentError, ContentErrors
from bulletin_gen.sources.frontmatter import read_text
from bulletin_gen.sources.yamlload import load_yaml

SITE_FILE = "site.yaml"
SERVICES = ("generic", "mailchimp", "listmonk", "buttondown", "campaign-monitor", "ghost")


@dataclass(frozen=True)
class Kind:
    name: str
    heading: str


@dataclass(frozen=True)
class Organisation:
    name: str
    address: str
    website: str
    email: str


@dataclass(frozen=True)
class EmailSettings:
    from_name: str
    from_address: str
    reply_to: str
    service: str
    unsubscribe_url: str | None
    reason: str
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    utm_domains: tuple[str, ...]


@dataclass(frozen=True)
class Brand:
    primary: str
    accent: str
    text: str
    background: str
    logo: str | None
    logo_alt: str


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    user: str | None
    password_env: str


@dataclass(frozen=True)
class CmsSettings:
    """The hosted web editor (site/admin/): the GitHub repository and branch it edits."""

    repository: str
    branch: str


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    base_url: str
    language: str
    direction: str
    timezone: str
    organisation: Organisation
    email: EmailSettings
    brand: Brand
    kinds: tuple[Kind, ...]
    smtp: Smtp | None
    out_dir: Path
    drafts: bool = False
    theme_dir: Path = field(default_factory=default_theme_dir)
    cms: CmsSettings | None = None

    @property
    def bulletins_dir(self) -> Path:
        return self.root / "bulletins"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """The publication's templates first, then the default theme's."""
        return _distinct(self.root / "templates", self.theme_dir / "templates")

    @property
    def asset_dirs(self) -> tuple[Path, ...]:
        return _distinct(self.root / "assets", self.theme_dir / "assets")

    def kind(self, name: str) -> Kind | None:
        return next((kind for kind in self.kinds if kind.name == name), None)


DEFAULT_KINDS = (Kind("news", "News"), Kind("event", "Events"), Kind("member", "From our members"))

ORGANISATION_FIELDS = {
    "name": Field(schema.text, required=True),
    "address": Field(schema.paragraph, required=True),
    "website": Field(schema.url, required=True),
    "email": Field(schema.email, required=True),
}
EMAIL_FIELDS = {
    "from_name": Field(schema.text, required=True),
    "from_address": Field(schema.email, required=True),
    "reply_to": Field(schema.email),
    "service": Field(schema.one_of(*SERVICES)),
    "unsubscribe_url": Field(schema.url),
    "reason": Field(schema.paragraph),
    "utm_source": Field(schema.text),
    "utm_medium": Field(schema.text),
    "utm_campaign": Field(schema.text),
    "utm_domains": Field(lambda value: tuple(schema.text(v) for v in _list(value))),
}
BRAND_FIELDS = {
    "primary": Field(schema.colour),
    "accent": Field(schema.colour),
    "text": Field(schema.colour),
    "background": Field(schema.colour),
    "logo": Field(schema.text),
    "logo_alt": Field(schema.text),
}
SMTP_FIELDS = {
    "host": Field(schema.text, required=True),
    "port": Field(schema.integer),
    "security": Field(schema.one_of("starttls", "tls", "none")),
    "user": Field(schema.text),
    "password_env": Field(schema.text),
}
KIND_FIELDS = {"name": Field(schema.text, required=True), "heading": Field(schema.text)}
CMS_FIELDS = {"repository": Field(schema.github_repository, required=True),
              "branch": Field(schema.text)}
SITE_FIELDS = {
    "title": Field(schema.text, required=True),
    "base_url": Field(schema.base_url, required=True),
    "language": Field(schema.text),
    "direction": Field(schema.one_of("ltr", "rtl")),
    "timezone": Field(schema.text),
    "organisation": Field(schema.mapping("a mapping with name, address, website, email"),
                          required=True),
    "email": Field(schema.mapping("a mapping with from_name, from_address, service..."),
                   required=True),
    "brand": Field(schema.mapping("a mapping with primary, accent, logo...")),
    "kinds": Field(schema.sequence("a list of kinds, each a name or a mapping with name "
                                   "and heading")),
    "smtp": Field(schema.mapping("a mapping with host, port, security...")),
    "cms": Field(schema.mapping("a mapping with repository and branch")),
}


def find_root(start: Path) -> Path:
    """The nearest folder at or above start that holds site.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SITE_FILE).is_file():
            return folder
    raise BulletinError(f"no {SITE_FILE} in {start} or any folder above it; "
                        "run `bulletin init DIR` to start a publication")


def load_config(root: Path, out_dir: Path | None = None, drafts: bool = False) -> Config:
    """Read and validate site.yaml; report every problem at once."""
    root = root.resolve()
    document = load_yaml(read_text(root / SITE_FILE, SITE_FILE), SITE_FILE)
    meta = document.data if document.data is not None else {}
    if not isinstance(meta, dict):
        raise ContentError(SITE_FILE, 1, "must be a mapping of 'key: value' lines")
    lines = document.lines
    values, errors = schema.validate_fields(meta, SITE_FIELDS, SITE_FILE, lines)
    errors.extend(document.errors)

    def section(key: str, fields: dict[str, Field]) -> dict[str, Any]:
        if key in meta and key not in values:
            return {}  # not a mapping: reported once, by validate_fields
        raw = values.get(key) or {}
        clean, section_errors = schema.validate_fields(raw, fields, SITE_FILE, lines,
                                                       prefix=f"{key}.",
                                                       default_line=lines.get(key, 1))
        errors.extend(section_errors)
        return clean

    organisation = section("organisation", ORGANISATION_FIELDS)
    email = section("email", EMAIL_FIELDS)
    brand = section("brand", BRAND_FIELDS)
    smtp = section("smtp", SMTP_FIELDS) if "smtp" in values else None
    cms = section("cms", CMS_FIELDS) if "cms" in values else None
    kinds = _kinds(values.get("kinds"), lines, errors)

    timezone = values.get("timezone", "UTC")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(ContentError(SITE_FILE, lines.get("timezone"),
                                   f"'timezone': unknown time zone {timezone!r}; "
                                   "expected a name like Europe/London"))
    service = email.get("service", "generic")
    if service == "generic" and "email" in values and "unsubscribe_url" not in values["email"]:
        errors.append(ContentError(SITE_FILE, lines.get("email"),
                                   "'email.unsubscribe_url' is required with the generic "
                                   "service (or set 'email.service' to your email service)"))
    if errors:
        raise ContentErrors(errors)

    config = Config(
        root=root,
        title=values["title"],
        base_url=values["base_url"],
        language=values.get("language", "en"),
        direction=values.get("direction", "ltr"),
        timezone=timezone,
        organisation=Organisation(**organisation),
        email=EmailSettings(
            from_name=email["from_name"],
            from_address=email["from_address"],
            reply_to=email.get("reply_to", email["from_address"]),
            service=service,
            unsubscribe_url=email.get("unsubscribe_url"),
            reason=email.get("reason", f"You are receiving this email because you signed up "
                                       f"for {values['title']}."),
            utm_source=email.get("utm_source"),
            utm_medium=email.get("utm_medium"),
            utm_campaign=email.get("utm_campaign"),
            utm_domains=email.get("utm_domains", ()),
        ),
        brand=Brand(
            primary=brand.get("primary", "#1d3c6e"),
            accent=brand.get("accent", "#0f7c78"),
            text=brand.get("text", "#222222"),
            background=brand.get("background", "#f4f4f4"),
            logo=brand.get("logo"),
            logo_alt=brand.get("logo_alt", organisation["name"]),
        ),
        kinds=kinds,
        smtp=Smtp(host=smtp["host"], port=smtp.get("port", 587),
                  security=smtp.get("security", "starttls"), user=smtp.get("user"),
                  password_env=smtp.get("password_env", "BULLETIN_SMTP_PASSWORD"))
        if smtp else None,
        out_dir=(out_dir or root / "site").resolve(),
        drafts=drafts,
        cms=CmsSettings(cms["repository"], cms.get("branch", "main"))
        if cms and "repository" in cms else None,
    )
    logo_problem = _logo_problem(config, lines.get("brand.logo"))
    if logo_problem is not None:
        raise ContentErrors([logo_problem])
    return config


def _logo_problem(config: Config, line: int | None) -> ContentError | None:
    """Why brand.logo cannot be shown in the email, if it cannot: the email's templates
    take its file's size, so a missing or unmeasurable logo must stop the build here."""
    from bulletin_gen.sources.images import PICTURE_SUFFIXES
    from bulletin_gen.sources.paths import PathProblem, resolve_source

    logo = config.brand.logo
    if not logo:
        return None
    if not logo.startswith("assets/"):
        return ContentError(SITE_FILE, line, "'brand.logo': expected a picture in assets/, "
                            f"like assets/images/logo.png, got {logo!r}")
    try:
        file, _ = resolve_source(logo, config.root, config)
    except PathProblem as problem:
        return ContentError(SITE_FILE, line, f"'brand.logo': {problem}")
    if file.suffix.lower() not in PICTURE_SUFFIXES:
        return ContentError(SITE_FILE, line, f"'brand.logo': {logo!r} is not a PNG, JPEG or "
                            "GIF; email clients such as Gmail do not show SVG or WebP")
    return None


def _kinds(raw: list | None, lines: dict[str, int], errors: list[ContentError]) -> tuple[Kind, ...]:
    if raw is None:
        return DEFAULT_KINDS
    kinds = []
    for index, entry in enumerate(raw):
        line = lines.get(f"kinds.{index}", lines.get("kinds"))
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            errors.append(ContentError(SITE_FILE, line, "'kinds': each kind is a name or "
                                       "a mapping with 'name' and 'heading'"))
            continue
        clean, kind_errors = schema.validate_fields(entry, KIND_FIELDS, SITE_FILE, lines,
                                                    prefix=f"kinds.{index}.", default_line=line)
        errors.extend(kind_errors)
        if "name" in clean:
            kinds.append(Kind(clean["name"], clean.get("heading", clean["name"].title())))
    names = [kind.name for kind in kinds]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(ContentError(SITE_FILE, lines.get("kinds"),
                                   f"'kinds': {name!r} is listed twice"))
    return tuple(kinds)


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _distinct(*paths: Path) -> tuple[Path, ...]:
    seen: list[Path] = []
    for path in paths:
        if path.resolve() not in [p.resolve() for p in seen]:
            seen.append(path)
    return tuple(seen)
