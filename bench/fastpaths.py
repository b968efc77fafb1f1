"""What each library fast path (src/bulletin_gen/speedups/) saves of a cold build.

    python bench/fastpaths.py [REPS]

Cold builds of bench/archive.py's 240 x 15 archive, each fast path turned off in turn with
BULLETIN_SPEEDUPS_OFF (and all of them, and none), rounds interleaved; then the steps
they speed up, timed alone in one process. Prints medians of processor time (all
processes; user + system), which a busy shared machine disturbs less than wall time.
Builds run in a folder on /dev/shm where there is one, so that the disk is not timed.
The figures go into the "Fast paths" section of bench/results.md by hand (it
follows "## Notes", which run.py keeps when it writes a new report).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import make_archive  # noqa: E402
from run import ISSUES, ITEMS, TIME, snapshot  # noqa: E402

SETTINGS = ("none", "markdown_inline", "markdown_block", "premailer", "all")


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    base = "/dev/shm" if Path("/dev/shm").is_dir() else None
    work = Path(tempfile.mkdtemp(prefix="bulletin-fastpaths-", dir=base))
    try:
        tool = snapshot(work / "tool")
        archive = make_archive(work / "archive", ISSUES, ITEMS)
        found: dict[str, list[float]] = {setting: [] for setting in SETTINGS}
        for rep in range(reps):
            for setting in SETTINGS:
                copy = work / f"{setting}-{rep}"
                shutil.copytree(archive, copy)
                found[setting].append(cpu_seconds(tool, copy, setting))
                shutil.rmtree(copy)
                print(f"{setting} {rep}: {found[setting][-1]:.2f} s", flush=True)
        baseline = statistics.median(found["none"])
        print("\n| fast path turned off | processor time, s (median) | more than with all on |")
        print("| --- | ---: | ---: |")
        for setting in SETTINGS:
            seconds = statistics.median(found[setting])
            print(f"| {setting} | {seconds:.2f} | {100 * (seconds / baseline - 1):+.1f}% |")
        steps(tool / "src", archive)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cpu_seconds(tool: Path, root: Path, off: str) -> float:
    """User + system time of a cold build of root with the fast path off turned off."""
    environment = dict(os.environ, BULLETIN_SPEEDUPS_OFF="" if off == "none" else off)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        subprocess.run([TIME, "-v", "-o", report.name, str(tool / "bulletin"), "-C", str(root),
                        "build"], check=True, capture_output=True, env=environment)
        text = report.read()
    return sum(float(re.search(label + r" time \(seconds\): ([\d.]+)", text).group(1))  # type: ignore[union-attr]
               for label in ("User", "System"))


STEPS = """
import glob, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import markdown, premailer
from bulletin_gen.speedups import markdown_block, markdown_inline
from bulletin_gen.speedups import premailer as fast_premailer
from bulletin_gen.mail.inline import premailer_options
bodies = [open(path).read().split("---\\n", 2)[-1]
          for path in sorted(glob.glob(sys.argv[2] + "/bulletins/*/*.md"))]
def parser(inline, block):
    md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    if inline: markdown_inline.install(md)
    if block: markdown_block.install(md)
    return md
def convert_all(md):
    for body in bodies:
        md.convert(body); md.reset()
email = open(sys.argv[3]).read()
options = premailer_options(email)
def fast():
    for _ in range(240): fast_premailer.transform(premailer.Premailer(email, **options))
def stock():
    for _ in range(240): premailer.Premailer(email, **options).transform(pretty_print=False)
runs = {"Markdown, all bodies, fast paths on": lambda: convert_all(parser(True, True)),
        "Markdown, markdown_inline off": lambda: convert_all(parser(False, True)),
        "Markdown, markdown_block off": lambda: convert_all(parser(True, False)),
        "premailer, 240 emails, fast path": fast, "premailer, 240 emails, stock": stock}
found = {name: [] for name in runs}
for _ in range(int(sys.argv[4])):
    for name, run in runs.items():
        started = time.process_time(); run(); found[name].append(time.process_time() - started)
for name, times in found.items():
    print(f"| {name} | {statistics.median(times):.2f} |")
"""


def steps(source: Path, archive: Path) -> None:
    """The steps alone: Markdown over every body, premailer over one issue's email."""
    email = capture_email(source, archive)
    print("\n| step, in one process | processor time, s (median) |\n| --- | ---: |", flush=True)
    subprocess.run([sys.executable, "-c", STEPS, str(source), str(archive), str(email), "3"],
                   check=True)


def capture_email(source: Path, archive: Path) -> Path:
    """The HTML inline_css is given for the newest issue's email."""
    newest = sorted((archive / "bulletins").iterdir())[-1]
    root = archive.parent / "one-issue"
    shutil.copytree(newest, root / "bulletins" / newest.name)
    shutil.copy(archive / "site.yaml", root / "site.yaml")
    if (archive / "assets").is_dir():
        shutil.copytree(archive / "assets", root / "assets")
    target = archive.parent / "email.html"
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "import bulletin_gen.mail.finish as finish\nfrom bulletin_gen.cli import main\n"
            "real = finish.inline_css\n"
            "def keep(html):\n    open(sys.argv[3], 'w').write(html)\n    return real(html)\n"
            "finish.inline_css = keep\n"
            "main(['-C', sys.argv[2], 'build', '--jobs', '1'])\n")
    subprocess.run([sys.executable, "-c", code, str(source), str(root), str(target)],
                   capture_output=True, check=False)  # main() ends in SystemExit
    if not target.exists():
        sys.exit("bench/fastpaths.py: the email of the newest issue was not built")
    return target


if __name__ == "__main__":
    main()
