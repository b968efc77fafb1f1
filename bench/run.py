"""`make bench`: time bulletin-gen on a synthetic archive of 240 issues x 15 items, and
Pelican on the same content in the same run; write bench/results.md.

Each figure is the median of REPS runs (default 3; BENCH_REPS to change), each run
measured under /usr/bin/time -v. The tool runs from a snapshot of src/, templates/ and
assets/ compiled to bytecode, as an installed package would, so edits others make to
the working tree during the run change neither its code nor its cache keys.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import make_archive, make_pelican_project  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results.md"
REPS = int(os.environ.get("BENCH_REPS", "3"))
SETTLE = float(os.environ.get("BENCH_SETTLE", "62"))  # seconds; see cold_builds
ISSUES, ITEMS = 240, 15
TIME = "/usr/bin/time"
EDITED = "bulletins/2024-12/02-item-2.md"  # the newest issue: what an editor works on
IN_PROCESS = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from bulletin_gen.build import build
from bulletin_gen.incremental.session import BuildSession
from bulletin_gen.config.settings import load_config
config = load_config(Path(sys.argv[2]))
session = BuildSession(config)
# As `serve` does: a first build, then its session readies the next (serve.Preview.rebuild);
# then an edit, and the rebuild it triggers.
build(config, session=session)
session.warm_up()
item = Path(sys.argv[2]) / sys.argv[3]
item.write_text(item.read_text() + "\\nEdited while serving, run " + sys.argv[4] + ".\\n")
started = time.perf_counter()
build(config, session=session)
print(json.dumps(time.perf_counter() - started))
"""


def main() -> None:
    if not Path(TIME).exists():
        sys.exit("bench: /usr/bin/time is missing; install Debian's `time` package")
    work = Path(tempfile.mkdtemp(prefix="bulletin-bench-"))
    try:
        tool = snapshot(work / "tool")
        archive = make_archive(work / "archive", ISSUES, ITEMS)
        pelican = make_pelican_project(archive, work / "pelican")
        runs: dict[str, list[float]] = {}
        for phase in (cold_builds, rebuilds, memory):
            for name, values in phase(tool, archive, pelican, work).items():
                runs.setdefault(name, []).extend(values)
                print(f"{name}: " + ", ".join(f"{value:.3f}" for value in values), flush=True)
        medians = {name: statistics.median(values) for name, values in runs.items()}
        RESULTS.write_text(report(medians, runs), encoding="utf-8")
        print(RESULTS.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def snapshot(target: Path) -> Path:
    """A frozen copy of the tool, compiled, with a `bulletin` script like the console one."""
    shutil.copytree(REPO / "src" / "bulletin_gen", target / "src" / "bulletin_gen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("templates", "assets"):
        shutil.copytree(REPO / name, target / name)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "src")], check=True)
    script = target / "bulletin"
    source = str(target / "src")
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {source!r})\n"
                      "from bulletin_gen.cli import main\nsys.exit(main())\n", encoding="utf-8")
    script.chmod(0o755)
    return target


def cold_builds(tool: Path, archive: Path, pelican: Path,
                work: Path) -> dict[str, list[float]]:
    """Every round's cold build, ours then Pelican's, before anything else deletes a file.

    Each of ours builds a fresh copy of the archive (no output folder, no cache) and each
    of Pelican's writes a folder of its own. This disk is ext4 without a journal, where
    the kernel will not reuse an inode freed in the last minute or more (fs/ext4/ialloc.c,
    recently_deleted) and scans past every such inode for each file it creates: made
    right after thousands of files were deleted (as a rebuild replaces the folders of
    the site), files cost several times more, which would time the deletion, not the
    build. So no timed cold build follows a deletion of ours, and the cold builds wait
    out the kernel's window (RECENTCY_MIN, 60 s once written out) after syncing. That
    window grows by five minutes for an inode table block made dirty again, as creating
    files beside the freed ones does: deletions in the minutes before a run (an earlier
    run's clean-up) still cost both tools something, ours more as it makes more files.
    """
    copies = [work / f"round-{rep}" / "archive" for rep in range(REPS)]
    for copy in copies:
        shutil.copytree(archive, copy)
    # Written out, a freed inode counts as recent for 60 seconds more: past that, files
    # deleted before the benchmark (by tests, an earlier run) cost far less (see above).
    os.sync()
    time.sleep(SETTLE)
    found: dict[str, list[float]] = {}
    for copy in copies:
        runs = {
            "cold": [str(tool / "bulletin"), "-C", str(copy), "build"],
            "pelican": [str(Path(sys.executable).parent / "pelican"), "content", "-s",
                        "pelicanconf.py", "-o", str(copy.parent / "pelican-output"), "-q"],
        }
        for name, command in runs.items():
            timing = timed(command, cwd=pelican)
            found.setdefault(name, []).append(timing.seconds)
            found.setdefault(f"{name}_rss", []).append(timing.rss)
            # Processor time, to tell a slow build from a busy machine or disk.
            found.setdefault(f"{name}_user", []).append(timing.user)
            found.setdefault(f"{name}_sys", []).append(timing.system)
    return found


def rebuilds(tool: Path, archive: Path, pelican: Path, work: Path) -> dict[str, list[float]]:
    """A rebuild with nothing changed and after one edit, in each built copy; --help."""
    found: dict[str, list[float]] = {name: [] for name in (
        "nochange", "edit", "edit_rss", "help", "help_rss", "serve_edit")}
    for rep in range(REPS):
        ours = work / f"round-{rep}" / "archive"
        bulletin = [str(tool / "bulletin"), "-C", str(ours)]
        found["nochange"].append(timed([*bulletin, "build"]).seconds)
        item = ours / EDITED
        item.write_text(item.read_text(encoding="utf-8") + f"\nEdited in run {rep}.\n",
                        encoding="utf-8")
        edit = timed([*bulletin, "build"])
        found["edit"].append(edit.seconds)
        found["edit_rss"].append(edit.rss)
        help_ = timed([str(tool / "bulletin"), "--help"])
        found["help"].append(help_.seconds)
        found["help_rss"].append(help_.rss)
        found["serve_edit"].append(json.loads(subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(tool / "src"), str(ours), EDITED, str(rep)],
            check=True, capture_output=True, text=True).stdout))
    return found


def memory(tool: Path, archive: Path, pelican: Path, work: Path) -> dict[str, list[float]]:
    """Peak memory of the whole process tree in cold builds of their own: the sampler
    reads every process's page tables 50 times a second, on the cores the build uses."""
    found: dict[str, list[float]] = {"cold_tree": []}
    for rep in range(REPS):
        copy = work / f"memory-{rep}"
        shutil.copytree(archive, copy)
        found["cold_tree"].append(timed([str(tool / "bulletin"), "-C", str(copy), "build"],
                                        sample=True).tree)
    return found


class Timing(NamedTuple):
    seconds: float  # wall
    rss: float  # peak RSS of the largest process, MB (time -v)
    tree: float  # peak PSS of the whole process tree, MB (with sample; else 0)
    user: float  # processor time of all its processes, seconds (time -v)
    system: float


def timed(command: list[str], cwd: Path | None = None, sample: bool = False) -> Timing:
    """Run command under /usr/bin/time -v; with sample, its process tree's memory is read
    every 20 ms."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        process = subprocess.Popen([TIME, "-v", "-o", report.name, *command], cwd=cwd,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = [0]
        sampler = threading.Thread(target=_sample, args=(process, peak), daemon=True)
        if sample:
            sampler.start()
        _, errors = process.communicate()
        seconds = time.perf_counter() - started
        if sample:
            sampler.join()
        if process.returncode != 0:
            sys.exit(f"bench: {' '.join(command)} failed:\n{errors}")
        text = report.read()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user, system = (re.search(label + r" time \(seconds\): ([\d.]+)", text)
                    for label in ("User", "System"))
    return Timing(seconds, int(rss.group(1)) / 1024 if rss else 0.0, peak[0] / 1024,
                  float(user.group(1)) if user else 0.0,
                  float(system.group(1)) if system else 0.0)


def _sample(process: subprocess.Popen[str], peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], sum(_pss(pid) for pid in _tree(process.pid)))
        time.sleep(0.02)


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    queue.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            match = re.search(r"^Pss:\s+(\d+) kB", rollup.read(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def report(medians: dict[str, float], runs: dict[str, list[float]]) -> str:
    pelican = medians["pelican"]
    rows = [
        ("Full cold build, every output", medians["cold"], f"{medians['cold'] / pelican:.2f}",
         "ratio <= 1.0", medians["cold"] / pelican <= 1.0),
        ("No-change rebuild", medians["nochange"], "", "<= 0.3 s", medians["nochange"] <= 0.3),
        ("One item edited, from the command line", medians["edit"], "", "<= 1.0 s",
         medians["edit"] <= 1.0),
        ("One item edited, in-process (as `serve` rebuilds)", medians["serve_edit"], "",
         "<= 0.3 s", medians["serve_edit"] <= 0.3),
        ("`bulletin --help`", medians["help"], "", "<= 0.25 s", medians["help"] <= 0.25),
        ("Pelican, web pages only (default theme)", pelican, "1.00", "", None),
    ]
    memory = [
        ("Peak memory, cold build, largest process (time -v)", medians["cold_rss"],
         medians["cold_rss"] <= 150),
        ("Peak memory, cold build, all processes (PSS sum)", medians["cold_tree"],
         medians["cold_tree"] <= 150),
        ("Peak memory, one item edited (time -v)", medians["edit_rss"], medians["edit_rss"] <= 150),
        ("Peak memory, Pelican (time -v)", medians["pelican_rss"], None),
    ]
    lines = [
        "# bulletin-gen benchmark", "",
        f"Synthetic archive: {ISSUES} issues x {ITEMS} items (a third events, pictures, "
        "150-500 words each), built by `bench/run.py` (`make bench`). The archive is "
        "copied afresh for each run; the cold builds (ours from no output folder and no "
        "cache, then Pelican's into a folder of its own) are all timed first, before "
        "anything deletes a file: this disk is ext4 without a journal, where files made "
        "within a minute (up to six, once new files dirty the same inode table) of deleting "
        "thousands cost several times more (the kernel scans past every recently freed "
        "inode), and a rebuild replaces the site's folders. Then the rebuilds are timed in "
        "the built copies. Peak memory of the "
        "whole process tree is sampled in cold builds of their own, so that the sampler "
        "takes no processor time from the timed ones.",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}, {platform.system()}), "
        f"Python {platform.python_version()}; medians of {REPS} runs; "
        f"load average at the end {os.getloadavg()[0]:.1f} (the machine is shared).", "",
        "| measure | seconds (median) | over Pelican | target | met |",
        "| --- | ---: | ---: | --- | --- |",
        *(f"| {name} | {value:.3f} | {ratio} | {target} | {_met(ok)} |"
          for name, value, ratio, target, ok in rows),
        "", "Processor time of the cold builds (seconds, medians; all processes; ours uses "
        f"{os.cpu_count()} cores, Pelican one):", "",
        "| build | user | system |", "| --- | ---: | ---: |",
        f"| bulletin-gen | {medians['cold_user']:.2f} | {medians['cold_sys']:.2f} |",
        f"| Pelican | {medians['pelican_user']:.2f} | {medians['pelican_sys']:.2f} |",
        "", "| memory | MB (median) | target | met |", "| --- | ---: | --- | --- |",
        *(f"| {name} | {value:.0f} | {'<= 150 MB' if ok is not None else ''} | {_met(ok)} |"
          for name, value, ok in memory),
        "", "Every run (seconds or MB):", "",
        *(f"- {name}: {', '.join(f'{v:.3f}' for v in values)}" for name, values in runs.items()),
        "",
    ]
    return "\n".join(lines)


def _met(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**no**")


if __name__ == "__main__":
    main()
