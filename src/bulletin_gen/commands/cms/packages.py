"""Where `bulletin cms` finds Node and the two npm packages it runs, and how it installs them."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bulletin_gen.errors import MissingPartError

# Pinned: the generated config.yml and the save path were written against these.
DECAP_CMS = "decap-cms@3.16.3"
DECAP_SERVER = "decap-server@3.11.3"
MODULES_ENV = "BULLETIN_CMS_MODULES"


@dataclass(frozen=True)
class Packages:
    node: str
    admin_dist: Path  # decap-cms/dist: decap-cms.js and the pieces it loads later
    server_script: Path  # decap-server/dist/index.js


def cache_dir() -> Path:
    """The user's own copy of the packages (`bulletin cms --install` puts them there)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bulletin-gen" / "cms"


def candidates(root: Path) -> list[Path]:
    """node_modules folders to look in, the most specific first."""
    found = [Path(os.environ[MODULES_ENV])] if os.environ.get(MODULES_ENV) else []
    return [*found, root / "node_modules", cache_dir() / "node_modules"]


def find_packages(root: Path) -> Packages:
    """Node and the packages, or MissingPartError saying in one line what to install."""
    node = shutil.which("node")
    if node is None:
        raise MissingPartError("`bulletin cms` needs Node.js: install it (Debian: `sudo apt-get "
                               "install nodejs npm`), then run `bulletin cms --install`")
    for modules in candidates(root):
        admin = modules / "decap-cms" / "dist"
        server = modules / "decap-server" / "dist" / "index.js"
        if (admin / "decap-cms.js").is_file() and server.is_file():
            return Packages(node, admin, server)
    raise MissingPartError(f"`bulletin cms` needs the npm packages {DECAP_CMS} and "
                           f"{DECAP_SERVER}: run `bulletin cms --install` (it uses npm once; "
                           "the editor then works offline)")


def install_packages() -> Path:
    """npm install the two packages into the user's cache folder; return it."""
    npm = shutil.which("npm")
    if npm is None:
        raise MissingPartError("`bulletin cms --install` needs npm: install Node.js and npm "
                               "(Debian: `sudo apt-get install nodejs npm`)")
    target = cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(target), "--no-audit", "--no-fund",
               "--ignore-scripts", "--loglevel=error", DECAP_CMS, DECAP_SERVER]
    if subprocess.run(command, check=False).returncode != 0:
        raise MissingPartError(f"`{' '.join(command)}` failed; see npm's message above")
    return target
