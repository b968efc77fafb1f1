"""`make upgrade-check`: which library fast paths the installed libraries let run.

    python -m bulletin_gen.speedups           # list them; exit 1 if one fell back
    python -m bulletin_gen.speedups --write   # record the installed code as read

Run it after upgrading premailer, Markdown, lxml or cssselect. A fast path whose
library code changed falls back to the library's own code (slower, the same output);
to let it run again, read the library's diff of the code listed, change the fast path
if the code it copies or relies on changed its behaviour, run the tests that compare
it with the stock library (tests/test_speedups*.py, tests/test_md*.py), then --write.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys

from bulletin_gen.speedups import (
    FAST_PATHS,
    FINGERPRINTS,
    changed_code,
    installed_digests,
    recorded,
    turned_off,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bulletin_gen.speedups",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true",
                        help=f"record the installed libraries' code in {FINGERPRINTS.name}")
    arguments = parser.parse_args(argv)
    if arguments.write:
        write()
        return 0
    return report()


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def report() -> int:
    recorded_paths = recorded()
    fell_back = 0
    for name, path in FAST_PATHS.items():
        installed = version(path.distribution)
        read = recorded_paths.get(name, {}).get("version", "?")
        changed = changed_code(name)
        if changed:
            fell_back += 1
            state = "FELL BACK to the library's own code"
        elif turned_off(name):
            state = "off (turned off in the environment)"
        else:
            state = "active"
        print(f"{name}: {state}  ({path.distribution} {installed}, read from {read})")
        print(f"    {path.summary}")
        for code in changed:
            print(f"    changed or missing: {code}")
    if fell_back:
        print(f"\n{fell_back} fast path(s) fell back. Before recording the new code:\n"
              "  1. read the library's diff of each function listed above, between the\n"
              "     version read from and the installed one (e.g. `pip download` both\n"
              "     and diff them);\n"
              "  2. change the fast path (src/bulletin_gen/speedups/) where the code it\n"
              "     copies or relies on now behaves differently;\n"
              "  3. python -m bulletin_gen.speedups --write, then `make test`: the suite\n"
              "     compares each fast path with the stock library.")
        return 1
    return 0


def write() -> None:
    """Record, for every fast path, the installed version and its code's digests."""
    digests = {name: installed_digests(path) for name, path in FAST_PATHS.items()}
    missing = [code for codes in digests.values() for code, digest in codes.items() if not digest]
    if missing:
        sys.exit("cannot read the source of: " + ", ".join(missing))
    found = {name: {"version": version(path.distribution), "code": digests[name]}
             for name, path in FAST_PATHS.items()}
    FINGERPRINTS.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n",
                            encoding="utf-8")
    print(f"wrote {FINGERPRINTS}")


if __name__ == "__main__":
    sys.exit(main())
