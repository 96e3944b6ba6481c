"""Speed and memory benchmark: ``python -m classifiers.bench [--json FILE] [--depths 12,8,6,4]``.

Each measurement runs in a fresh subprocess so load times and peak RSS are not polluted by
earlier steps: cold load (conversion from the 4-bit file into an empty temp cache), warm load
(from that cache), and encoding throughput at 1 and 2 threads (int8, plus float32 for
reference), all at the encoder depth the shipped head was trained on. ``--depths`` instead
measures int8 throughput for each given depth and records it in ``depth_speed.json`` for the
depth table that ``classifiers.train`` writes into METRICS.md. Sentences come from
``corpora/train`` when present, else a built-in sample.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEPTH_SPEED = Path(__file__).resolve().parent / "depth_speed.json"
SAMPLE = [
    "Thanks to your support, children in the valley now walk to a school with a library.",
    "Share this post to save little Emma before it is too late!",
    "Tom, 8, lives at 14 Elm Street and attends Greenfield Primary, class 3B.",
    "Our programme supports families in rural areas with books and meals.",
    "孩子们的父母在外务工，我们为他们提供课后辅导和营养午餐。",
    "转发就是救命，求求大家帮帮这个孩子！",
    "小明今年八岁，住在河南省某村，就读于村小三年级。",
    "這些孩子的父母在城市工作，志工每週陪伴他們閱讀。",
]


def _sentences(n: int) -> tuple[list[str], str]:
    texts: list[str] = []
    corpus = REPO_ROOT / "corpora" / "train"
    for path in sorted(corpus.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                texts.append(json.loads(line)["text"])
            except (ValueError, KeyError, TypeError):
                continue
    source = "corpora/train"
    if not texts:
        texts, source = SAMPLE, "built-in sample"
    # Interleave languages/files deterministically, then repeat to n.
    texts = texts[::max(1, len(texts) // n)] if len(texts) > n else texts
    return [texts[i % len(texts)] for i in range(n)], source


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _worker(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    import torch

    from .encoder import SentenceEncoder

    t_import = time.perf_counter() - t0
    torch.set_num_threads(args.threads)
    if args.worker in ("cold", "warm"):
        t1 = time.perf_counter()
        enc = SentenceEncoder.load(args.cache_dir, quantize=True, threads=args.threads,
                                   layers=args.layers)
        t_load = time.perf_counter() - t1
        enc.encode(["query warm-up"])
        return {"import_s": t_import, "load_s": t_load, "total_s": time.perf_counter() - t0,
                "peak_rss_mb": _peak_rss_mb()}
    texts, source = _sentences(args.n)
    enc = SentenceEncoder.load(args.cache_dir, quantize=args.worker == "int8", threads=args.threads,
                               layers=args.layers)
    enc.encode(texts[:32])  # warm-up: first calls pay one-off allocation costs
    ntok = sum(len(x) for x in enc.tokenize(texts)) / len(texts)
    t1 = time.perf_counter()
    enc.encode(texts, batch_size=args.batch_size)
    dt = time.perf_counter() - t1
    return {"sentences": len(texts), "source": source, "mean_tokens": ntok, "seconds": dt,
            "sentences_per_s": len(texts) / dt, "peak_rss_mb": _peak_rss_mb()}


def _run(worker: str, threads: int, cache_dir: Path, n: int, batch_size: int,
         layers: int) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": str(threads),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "classifiers.bench", "--_worker", worker, "--threads", str(threads),
           "--cache-dir", str(cache_dir), "--n", str(n), "--batch-size", str(batch_size),
           "--layers", str(layers)]
    out = subprocess.run(cmd, env=env, cwd=REPO_ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m classifiers.bench", description=__doc__)
    ap.add_argument("--json", type=Path, default=None, help="also write results as JSON here")
    ap.add_argument("--n", type=int, default=512, help="sentences per throughput run")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--depths", default=None,
                    help="comma-separated encoder depths: int8 throughput per depth only, "
                         "written to classifiers/depth_speed.json")
    ap.add_argument("--cache-dir", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--layers", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_worker", dest="worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args)))
        return 0
    if args.depths:
        return _depth_speed(args, [int(k) for k in args.depths.split(",")])

    from .encoder import FULL_DEPTH
    from .head import load_head_meta

    layers = int(load_head_meta().get("encoder", {}).get("layers", FULL_DEPTH))
    results: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                               "python": platform.python_version(), "n": args.n,
                               "batch_size": args.batch_size, "layers": layers,
                               "load_average": _load_average()}
    with tempfile.TemporaryDirectory(prefix="storyguard-bench-") as tmp:
        cache = Path(tmp)
        results["cold_load"] = _run("cold", 2, cache, args.n, args.batch_size, layers)
        results["warm_load"] = _run("warm", 2, cache, args.n, args.batch_size, layers)
        for mode in ("int8", "fp32"):
            for threads in (1, 2):
                results[f"{mode}_{threads}t"] = _run(mode, threads, cache, args.n, args.batch_size,
                                                     layers)

    rows = [("cold load (convert 4-bit file, 2 threads)", results["cold_load"]),
            ("warm load (from cache, 2 threads)", results["warm_load"])]
    print(f"storyguard classifier benchmark ({results['machine']}, Python {results['python']}, "
          f"load average before {results['load_average']}, after {_load_average()}); "
          f"encoder: first {layers} of {FULL_DEPTH} layers\n")
    print("| step | import s | load s | peak RSS MB |\n|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['import_s']:.2f} | {r['load_s']:.2f} | {r['peak_rss_mb']:.0f} |")
    t = results["int8_1t"]
    print(f"\nthroughput on {t['sentences']} sentences from {t['source']} "
          f"(mean {t['mean_tokens']:.1f} tokens incl. prefix), batch {args.batch_size}\n")
    print("| encoder | threads | sentences/s | peak RSS MB |\n|---|---|---|---|")
    for mode in ("int8", "fp32"):
        for threads in (1, 2):
            r = results[f"{mode}_{threads}t"]
            print(f"| {mode} | {threads} | {r['sentences_per_s']:.1f} | {r['peak_rss_mb']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _load_average() -> str:
    """The 1-minute load average: other processes on the machine skew every figure."""
    return f"{os.getloadavg()[0]:.2f}"


def _depth_speed(args: argparse.Namespace, depths: list[int]) -> int:
    """int8 throughput at 1 and 2 threads per depth, from the user's warm model cache."""
    from .base_model import default_cache_root

    cache = args.cache_dir or default_cache_root()
    record: dict[str, Any] = {
        "command": f"python -m classifiers.bench --depths {args.depths}", "n": args.n,
        "batch_size": args.batch_size, "load_average": _load_average(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "depths": {}}
    print("| layers | int8 sentences/s 1 thread | 2 threads |\n|---|---|---|")
    for k in depths:
        rate = {str(t): _run("int8", t, cache, args.n, args.batch_size, k)["sentences_per_s"]
                for t in (1, 2)}
        record["depths"][str(k)] = rate
        print(f"| {k} | {rate['1']:.1f} | {rate['2']:.1f} |")
    record["load_average"] += f" before, {_load_average()} after"
    DEPTH_SPEED.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
