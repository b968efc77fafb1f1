"""`make bench`: time bulletin-gen on an archive of 240 issues x 15 items written as
editors write (bench/content.py), and Pelican on the same content in the same run; a
1,000-issue archive for linearity; `serve` from the save to the served page. Writes
bench/results.md.

Each figure is the median of REPS runs (default 5; BENCH_REPS to change), each run
measured under /usr/bin/time -v. BENCH_ISSUES, BENCH_LARGE (0: no large run),
BENCH_LARGE_REPS, BENCH_SERVE_EDITS and BENCH_SETTLE make a smaller run while developing.
The tool runs from a snapshot of src/, templates/ and assets/ compiled to bytecode, as an
installed package would, so edits others make to the working tree during the run change
neither its code nor its cache keys.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import make_pelican_project  # noqa: E402
from content import make_content  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results.md"
REPS = int(os.environ.get("BENCH_REPS", "5"))
SETTLE = float(os.environ.get("BENCH_SETTLE", "62"))  # seconds; see cold_builds
ISSUES, ITEMS = int(os.environ.get("BENCH_ISSUES", "240")), 15
LARGE = int(os.environ.get("BENCH_LARGE", "1000"))  # issues of the linearity run
LARGE_REPS = int(os.environ.get("BENCH_LARGE_REPS", "3"))
SERVE_EDITS = int(os.environ.get("BENCH_SERVE_EDITS", "7"))
TIME = "/usr/bin/time"
NOTES = "\n## Notes"  # results.md from here on is written by hand and kept by each run
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
        archive = make_content(work / "archive", ISSUES, ITEMS)
        pelican = make_pelican_project(archive, work / "pelican")
        large = make_content(work / "large", LARGE, ITEMS) if LARGE else None
        runs: dict[str, list[float]] = {}
        for phase in (cold_builds, large_builds, memory, rebuilds, serve_edits):
            for name, values in phase(tool, archive, pelican, large, work).items():
                runs.setdefault(name, []).extend(values)
                print(f"{name}: " + ", ".join(f"{value:.3f}" for value in values), flush=True)
        medians = {name: statistics.median(values) for name, values in runs.items()}
        notes = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        notes = notes[notes.index(NOTES):] if NOTES in notes else ""
        RESULTS.write_text(report(medians, runs) + notes, encoding="utf-8")
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


def move_aside(work: Path, *folders: Path) -> None:
    """Make the next build cold: its output and caches renamed out of the way, not deleted.

    This disk is ext4 without a journal, where the kernel will not reuse an inode freed
    in the last minute or more (fs/ext4/ialloc.c, recently_deleted) and scans past every
    such inode for each file it creates: made right after thousands of files were
    deleted, files cost several times more, which would time the deletion, not the build.
    A rename frees nothing. That window grows by five minutes for an inode table block
    made dirty again, as creating files beside the freed ones does: deletions in the
    minutes before a run (an earlier run's clean-up) still cost both tools something,
    ours more as it makes more files.
    """
    aside = work / "aside"
    aside.mkdir(exist_ok=True)
    for folder in folders:
        if folder.exists():
            os.rename(folder, tempfile.mkdtemp(prefix=folder.name + "-", dir=aside))


def ours_cold(work: Path, archive: Path) -> None:
    move_aside(work, archive / "site", archive / ".bulletin-cache",
               *archive.glob("site.spare-*"))  # the site a build replaced, kept for the next


def settle() -> None:
    # Written out, a freed inode counts as recent for 60 seconds more: past that, files
    # deleted before the benchmark (by tests, an earlier run) cost far less (move_aside).
    os.sync()
    time.sleep(SETTLE)


def cold_builds(tool: Path, archive: Path, pelican: Path, large: Path | None,
                work: Path) -> dict[str, list[float]]:
    """Every round's cold build, ours then Pelican's, with every output and cache of the
    round before moved aside (move_aside): nothing is deleted until the rebuilds."""
    settle()
    found: dict[str, list[float]] = {}
    output = work / "pelican-output"
    for _ in range(REPS):
        ours_cold(work, archive)
        move_aside(work, output, pelican / "cache", pelican / "__pycache__")
        runs = {
            "cold": [str(tool / "bulletin"), "-C", str(archive), "build"],
            "pelican": [str(Path(sys.executable).parent / "pelican"), "content", "-s",
                        "pelicanconf.py", "-o", str(output), "-q"],
        }
        for name, command in runs.items():
            timing = timed(command, cwd=pelican)
            found.setdefault(name, []).append(timing.seconds)
            found.setdefault(f"{name}_rss", []).append(timing.rss)
            # Processor time, to tell a slow build from a busy machine or disk.
            found.setdefault(f"{name}_user", []).append(timing.user)
            found.setdefault(f"{name}_sys", []).append(timing.system)
    return found


def large_builds(tool: Path, archive: Path, pelican: Path, large: Path | None,
                 work: Path) -> dict[str, list[float]]:
    """Cold builds of the 1,000-issue archive: does the time grow with the archive, and
    the memory not?"""
    found: dict[str, list[float]] = {}
    if large is None:
        return found
    for _ in range(LARGE_REPS):
        ours_cold(work, large)
        timing = timed([str(tool / "bulletin"), "-C", str(large), "build"])
        for name, value in (("large", timing.seconds), ("large_rss", timing.rss),
                            ("large_user", timing.user), ("large_sys", timing.system)):
            found.setdefault(name, []).append(value)
    return found


def memory(tool: Path, archive: Path, pelican: Path, large: Path | None,
           work: Path) -> dict[str, list[float]]:
    """Peak memory of the whole process tree in cold builds of their own: the sampler
    reads every process's page tables 50 times a second, on the cores the build uses."""
    found: dict[str, list[float]] = {"cold_tree": []}
    for _ in range(min(REPS, 3)):
        ours_cold(work, archive)
        found["cold_tree"].append(timed([str(tool / "bulletin"), "-C", str(archive), "build"],
                                        sample=True).tree)
    if large is not None:
        ours_cold(work, large)
        found["large_tree"] = [timed([str(tool / "bulletin"), "-C", str(large), "build"],
                                     sample=True).tree]
    return found


def edited_item(archive: Path) -> Path:
    """An item of the newest issue: what an editor works on."""
    newest = sorted((archive / "bulletins").iterdir())[-1]
    return sorted(newest.glob("[0-9]*.md"))[0]


def tidied(archive: Path, timeout: float = 300.0) -> None:
    """Wait until what builds no longer needed is deleted (in the background, see
    output/tidy.py), so that no timed command shares the disk with their deletion."""
    deadline = time.monotonic() + timeout
    while any(archive.glob("site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)


def rebuilds(tool: Path, archive: Path, pelican: Path, large: Path | None,
             work: Path) -> dict[str, list[float]]:
    """A rebuild with nothing changed and after one edit, in the built archive; --help.

    The cold builds' sites were moved aside, not deleted. Each edit replaces the site and
    writes into the one the last build replaced (output/spare.py): what that held of the
    edited issue is deleted after the command returned, which makes the files of the next
    build dearer for a minute (see move_aside), as it would for an editor.
    """
    found: dict[str, list[float]] = {name: [] for name in (
        "nochange", "edit", "edit_rss", "help", "help_rss", "serve_rebuild")}
    bulletin = [str(tool / "bulletin"), "-C", str(archive)]
    item = edited_item(archive)
    relative = item.relative_to(archive).as_posix()
    for rep in range(REPS):
        tidied(archive)
        found["nochange"].append(timed([*bulletin, "build"]).seconds)
        item.write_text(item.read_text(encoding="utf-8") + f"\nEdited in run {rep}.\n",
                        encoding="utf-8")
        edit = timed([*bulletin, "build"])
        found["edit"].append(edit.seconds)
        found["edit_rss"].append(edit.rss)
        help_ = timed([str(tool / "bulletin"), "--help"])
        found["help"].append(help_.seconds)
        found["help_rss"].append(help_.rss)
        tidied(archive)
        found["serve_rebuild"].append(json.loads(subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(tool / "src"), str(archive), relative,
             str(rep)], check=True, capture_output=True, text=True).stdout))
    return found


def serve_edits(tool: Path, archive: Path, pelican: Path, large: Path | None,
                work: Path) -> dict[str, list[float]]:
    """`bulletin serve` in the built archive: from saving an item to the page served with
    the change, as the browser gets it (the page's event stream says the build is done,
    then the page is fetched again)."""
    port = _free_port()
    item = edited_item(archive)
    page = f"/{item.parent.name}/"
    tidied(archive)
    process = subprocess.Popen([str(tool / "bulletin"), "-C", str(archive), "serve", "--port",
                                str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found: dict[str, list[float]] = {"serve_edit": []}
    try:
        _wait(lambda: _get(port, "/")[0] == 200, process)
        _idle(process)  # its first build, then its warm-up for the edits to come
        for number in range(SERVE_EDITS):
            since = int(re.search(r"since=(\d+)", _get(port, page)[1]).group(1))
            mark = f"Saved while serving, edit {number}."
            text = item.read_text(encoding="utf-8") + f"\n{mark}\n"
            started = time.perf_counter()
            item.write_text(text, encoding="utf-8")
            while True:  # as the browser: wait for the reload message, fetch the page
                _get(port, f"/__bulletin/events?since={since}")
                body = _get(port, page)[1]
                if mark in body:
                    break
                if process.poll() is not None:
                    sys.exit("bench: bulletin serve stopped")
                since = int(re.search(r"since=(\d+)", body).group(1))
            found["serve_edit"].append(time.perf_counter() - started)
            _idle(process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.returncode not in (0, -signal.SIGINT):
        sys.exit(f"bench: bulletin serve ended with {process.returncode}")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _wait(check: Any, process: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("bench: bulletin serve did not start")


def _idle(process: subprocess.Popen[bytes], quiet: float = 1.0) -> None:
    """Wait until the process has used no processor time for `quiet` seconds."""
    def used() -> int:
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
    before = used()
    while True:
        time.sleep(quiet)
        now = used()
        if now == before:
            return
        before = now


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
        ("One item edited in `serve`, from the save to the served page",
         medians["serve_edit"], "", "<= 0.3 s", medians["serve_edit"] <= 0.3),
        ("(of which the rebuild in the process, as `serve` rebuilds)",
         medians["serve_rebuild"], "", "", None),
        ("`bulletin --help`", medians["help"], "", "<= 0.25 s", medians["help"] <= 0.25),
        ("Pelican, web pages only (default theme)", pelican, "1.00", "", None),
    ]
    if "large" in medians:
        ratio = medians["large"] / medians["cold"]
        rows.append((f"Full cold build, {LARGE} issues", medians["large"],
                     f"{ratio:.2f} x {ISSUES} issues", f"<= {LARGE / ISSUES * 1.08:.1f} x",
                     ratio <= LARGE / ISSUES * 1.08))
    memory = [
        ("Peak memory, cold build, largest process (time -v)", medians["cold_rss"],
         medians["cold_rss"] <= 150),
        ("Peak memory, cold build, all processes (PSS sum)", medians["cold_tree"],
         medians["cold_tree"] <= 150),
        ("Peak memory, one item edited (time -v)", medians["edit_rss"], medians["edit_rss"] <= 150),
        ("Peak memory, Pelican (time -v)", medians["pelican_rss"], None),
    ]
    if "large" in medians:
        memory += [
            (f"Peak memory, {LARGE} issues, largest process (time -v)", medians["large_rss"],
             medians["large_rss"] <= 150),
            (f"Peak memory, {LARGE} issues, all processes (PSS sum)", medians["large_tree"],
             medians["large_tree"] <= 150),
        ]
    processor = [("bulletin-gen", "cold"), ("Pelican", "pelican")]
    if "large" in medians:
        processor.append((f"bulletin-gen, {LARGE} issues", "large"))
    lines = [
        "# bulletin-gen benchmark", "",
        f"Archive: {ISSUES} issues x {ITEMS} items written by `bench/content.py` as editors "
        "write (150-500 words each, hard-wrapped; lists with sublists indented by two "
        "spaces, tables, links with query strings, bare URLs, accented names; a third "
        "events, a quarter with pictures), built by `bench/run.py` (`make bench`), and the "
        "same content by Pelican (web pages only). Every cold round starts with the output "
        "and every cache of the round before renamed aside, not deleted: this disk is "
        "ext4 without a journal, where files made within a minute (up to six, once new "
        "files dirty the same inode table) of deleting thousands cost several times more "
        "(the kernel scans past every recently freed inode). The rebuilds come after, in "
        "the built archive, each waiting until what the last one no longer needed is "
        "deleted (which `bulletin` leaves to a background process; the site it replaced "
        "is kept for the next build to write into). `serve` is timed from the save "
        "of an item to the served page showing it, as a browser sees it (the page's event "
        "stream, then the page). Peak memory of the whole process tree is sampled in cold "
        "builds of their own, so that the sampler takes no processor time from the timed "
        "ones.",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}, {platform.system()}), "
        f"Python {platform.python_version()}; medians of {REPS} runs ({LARGE_REPS} for "
        f"{LARGE} issues, {SERVE_EDITS} edits in `serve`); load average at the end "
        f"{os.getloadavg()[0]:.1f} (the machine is shared).", "",
        "| measure | seconds (median) | ratio | target | met |",
        "| --- | ---: | ---: | --- | --- |",
        *(f"| {name} | {value:.3f} | {ratio} | {target} | {_met(ok)} |"
          for name, value, ratio, target, ok in rows),
        "", "Processor time of the cold builds (seconds, medians; all processes; ours uses "
        f"{os.cpu_count()} cores, Pelican one):", "",
        "| build | user | system |", "| --- | ---: | ---: |",
        *(f"| {name} | {medians[key + '_user']:.2f} | {medians[key + '_sys']:.2f} |"
          for name, key in processor),
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
