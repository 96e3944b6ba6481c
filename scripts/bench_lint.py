"""The linter benchmark behind `make bench`: start-up, files/s and MB/s (rules only and with
the classifier), peak RSS, linearity on a 5 MB page, and proselint and alex on the same files.

Every figure is the median of several runs, each a fresh process, with the results cache off.
Peers run on the formats they read (text, Markdown, HTML); storyguard is timed on that same
subset for the ratio, and on the whole corpus. Usage:

    python scripts/bench_lint.py [--runs 3] [--model-sample 200] [--json FILE] [--no-peers]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from bench_corpus import generate  # noqa: E402

STORYGUARD = [sys.executable, "-m", "cli.main", "check", "--no-cache", "--format", "json", "--fail-on", "never"]
PROSELINT = REPO / ".bench" / "proselint" / "bin" / "proselint"
ALEX = REPO / ".bench" / "alex" / "node_modules" / ".bin" / "alex"
PEER_FORMATS = (".txt", ".md", ".html")


def timed(command: list[str], runs: int, env: dict[str, str | None] | None = None) -> dict[str, float]:
    """Median wall time and the largest peak RSS of `runs` fresh runs (workers included).
    `env` adds to the environment; a None value removes that variable."""
    environment = {key: value for key, value in {**os.environ, **(env or {})}.items() if value is not None}
    seconds, peaks = [], []
    for _ in range(runs):
        # Output goes to files, not pipes: a linter printing more than a pipe holds would block.
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=REPO, env=environment)
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds.append(time.perf_counter() - start)
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                stderr.seek(0)
                raise SystemExit(f"benchmark command failed: {' '.join(command[:6])}...\n{stderr.read()[-2000:].decode('utf-8', 'replace')}")
        # wait4 reports the child and its reaped descendants (the --jobs workers) together.
        peaks.append(usage.ru_maxrss / 1024)
    return {"seconds": statistics.median(seconds), "runs": runs, "all": seconds, "peak_rss_mb": max(peaks)}


def machine() -> dict[str, object]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?") \
        if Path("/proc/meminfo").exists() else "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(memory) / 1024 / 1024, 1) if memory != "?" else None,
            "python": platform.python_version(), "platform": platform.platform(), "load_at_start": os.getloadavg()}


def size_of(paths: list[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


def rate(files: int, size: int, result: dict[str, float], startup: float = 0.0) -> dict[str, float]:
    seconds = result["seconds"]
    return {**result, "files": files, "mb": size / 1e6, "files_per_s": files / seconds, "mb_per_s": size / 1e6 / seconds,
            "seconds_per_mb_after_startup": max(seconds - startup, 1e-9) / (size / 1e6),
            "files_per_s_after_startup": files / max(seconds - startup, 1e-9)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model-sample", type=int, default=200, help="documents timed with the classifier (0: skip)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()

    results: dict[str, object] = {"machine": machine()}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        results["corpus"] = generate(root)
        corpus = sorted((root / "corpus").iterdir())
        peer_subset = [p for p in corpus if p.suffix in PEER_FORMATS]
        big, tiny = root / "big" / "page.html", root / "tiny" / "tiny.txt"
        examples = sorted(p for p in (REPO / "corpora" / "examples").iterdir() if p.suffix != ".md" or p.name != "EXPECTED.md")
        env = {"STORYGUARD_CACHE_DIR": os.environ.get("STORYGUARD_CACHE_DIR", str(Path.home() / ".cache" / "storyguard"))}

        timed([*STORYGUARD, "--no-model", str(tiny)], 1, env)  # first run fills the lexicon cache, not timed
        startup = timed([*STORYGUARD, "--no-model", str(tiny)], max(5, args.runs), env)
        results["startup"] = startup
        # Python normally keeps compiled bytecode (.pyc); an environment with
        # PYTHONDONTWRITEBYTECODE set recompiles every module at each start. Measure both.
        results["bytecode_env"] = os.environ.get("PYTHONDONTWRITEBYTECODE") or "unset"
        cached_bytecode = {**env, "PYTHONDONTWRITEBYTECODE": None}
        timed([*STORYGUARD, "--no-model", str(tiny)], 1, cached_bytecode)  # writes the .pyc files, not timed
        results["startup_bytecode"] = timed([*STORYGUARD, "--no-model", str(tiny)], max(5, args.runs), cached_bytecode)
        def lint_rate(files: list[Path], options: list[str], targets: list[str] | None = None,
                      runs: int = args.runs, after_startup: bool = True) -> dict[str, float]:
            """files/s and MB/s of one storyguard command over `files` (or `targets` naming them)."""
            command = [*STORYGUARD, *options, *(targets or map(str, files))]
            return rate(len(files), size_of(files), timed(command, runs, env), startup["seconds"] if after_startup else 0.0)

        corpus_dir = [str(root / "corpus")]
        results["rules_j1"] = lint_rate(corpus, ["--no-model", "-j", "1"], corpus_dir)
        results["rules_j2"] = lint_rate(corpus, ["--no-model", "-j", "2"], corpus_dir)
        # The default: one worker per core once there are enough files (README, "Limits and cache").
        results["rules_default"] = lint_rate(corpus, ["--no-model"], corpus_dir)
        results["big_page"] = lint_rate([big], ["--no-model"])
        results["examples"] = lint_rate(examples, ["--no-model", "-j", "1"], after_startup=False)
        # Like with like: the corpus's own small HTML pages, in one process as the big page is.
        # The whole corpus would flatter the small files, since a .docx counts its zip
        # container's bytes, not its text.
        small_pages = [p for p in corpus if p.suffix == ".html"]
        results["small_pages"] = lint_rate(small_pages, ["--no-model", "-j", "1"])
        results["linearity"] = results["big_page"]["seconds_per_mb_after_startup"] / results["small_pages"]["seconds_per_mb_after_startup"]
        if args.model_sample:
            sample = corpus[:: max(1, len(corpus) // args.model_sample)][: args.model_sample]
            # The tiny file names a child, so this is start-up plus loading torch and the model
            # (each worker loads its own, in parallel): the rate after it is the steady state.
            results["model_startup"] = timed([*STORYGUARD, str(tiny)], args.runs, env)
            for jobs in (1, 2):
                results[f"model_j{jobs}"] = rate(len(sample), size_of(sample), timed(
                    [*STORYGUARD, "-j", str(jobs), *map(str, sample)], 1, env), results["model_startup"]["seconds"])
        if not args.no_peers:
            results["peer_subset"] = {"files": len(peer_subset), "mb": size_of(peer_subset) / 1e6}
            results["storyguard_subset"] = lint_rate(peer_subset, ["--no-model"], after_startup=False)
            results["storyguard_subset_j1"] = lint_rate(peer_subset, ["--no-model", "-j", "1"], after_startup=False)
            results["proselint"] = rate(len(peer_subset), size_of(peer_subset), timed([str(PROSELINT), "check", *map(str, peer_subset)], 1))
            plain = [str(p) for p in peer_subset if p.suffix != ".html"]
            pages = [str(p) for p in peer_subset if p.suffix == ".html"]
            alex_plain = timed([str(ALEX), "--quiet", *plain], 1)
            alex_html = timed([str(ALEX), "--quiet", "--html", *pages], 1)
            alex = {"seconds": alex_plain["seconds"] + alex_html["seconds"], "runs": 1,
                    "peak_rss_mb": max(alex_plain["peak_rss_mb"], alex_html["peak_rss_mb"])}
            results["alex"] = rate(len(peer_subset), size_of(peer_subset), alex)
            ours = results["storyguard_subset"]["files_per_s"]
            results["ratio_vs_proselint"] = ours / results["proselint"]["files_per_s"]
            results["ratio_vs_alex"] = ours / results["alex"]["files_per_s"]
            results["ratio_vs_proselint_j1"] = results["storyguard_subset_j1"]["files_per_s"] / results["proselint"]["files_per_s"]
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


def render(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, load at start {m['load_at_start']}",
        f"Corpus: {r['corpus']} (1-5 KB of text each; .docx are ~37 KB zip containers), 5 MB HTML page",
        "",
        "| Measurement | Median s | Files/s | MB/s | Peak RSS MB |",
        "|---|---|---|---|---|",
        f"| Start-up, one tiny file, rules only (PYTHONDONTWRITEBYTECODE={r['bytecode_env']}) | {r['startup']['seconds']:.2f} | | | {r['startup']['peak_rss_mb']:.0f} |",
        f"| Start-up, one tiny file, rules only, bytecode cached (.pyc, as a normal install) | {r['startup_bytecode']['seconds']:.2f} | | | {r['startup_bytecode']['peak_rss_mb']:.0f} |",
    ]
    names = {"rules_j1": "Corpus, rules only, 1 job", "rules_j2": "Corpus, rules only, 2 jobs", "rules_default": "Corpus, rules only, default jobs (automatic)", "big_page": "5 MB HTML page, rules only", "small_pages": "Small HTML pages of the corpus, rules only, 1 job",
             "examples": "corpora/examples, rules only, 1 job", "model_j1": "Corpus sample, with classifier, 1 job",
             "model_j2": "Corpus sample, with classifier, 2 jobs", "storyguard_subset": "txt/md/html subset, storyguard rules only (default jobs)", "storyguard_subset_j1": "txt/md/html subset, storyguard rules only, 1 job",
             "proselint": "txt/md/html subset, proselint", "alex": "txt/md/html subset, alex"}
    for key, title in names.items():
        if key in r:
            x = r[key]
            lines.append(f"| {title} ({x['files']} files, {x['mb']:.1f} MB) | {x['seconds']:.2f} | {x['files_per_s']:.1f} | {x['mb_per_s']:.2f} | {x['peak_rss_mb']:.0f} |")
    if "model_startup" in r:
        lines.append(f"| Start-up with the classifier (torch and the model loaded), one tiny file | {r['model_startup']['seconds']:.2f} | | | {r['model_startup']['peak_rss_mb']:.0f} |")
        lines.append("")
        lines.append("With the classifier, after start-up and model load: "
                     + ", ".join(f"{jobs} job{'s' if jobs > 1 else ''} {r[f'model_j{jobs}']['files_per_s_after_startup']:.1f} files/s" for jobs in (1, 2)) + ".")
    lines.append("")
    lines.append(f"Linearity: the 5 MB page costs {r['linearity']:.2f}x the per-MB time of the corpus's small HTML pages (after start-up).")
    if "ratio_vs_proselint" in r:
        lines.append(f"storyguard (rules only, default jobs) vs proselint: {r['ratio_vs_proselint']:.2f}x the files/s "
                     f"({r['ratio_vs_proselint_j1']:.2f}x with 1 job); vs alex: {r['ratio_vs_alex']:.2f}x.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
