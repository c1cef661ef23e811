#!/usr/bin/env python3
"""Turns pool_bench's JSON output into the markdown results table.

    tools/bench_table.py [--meta KEY=VALUE ...] RUN.json [RUN2.json ...] > RESULTS.md

Every cell is the median over the run's repetitions, with its ratio to the
best peer of that row (1.00 = best, in bold). Ratios only mean something
within one run: the peers of a run were measured interleaved, on the same
machine at the same time; numbers from different runs are not comparable.
Given several runs, the first gets the full table and every run gets a column
in the targets table, so that a target can be quoted from repeated runs.

Benchmark names are <scenario>/<peer>/workers:<N>[/...] (bench/
register_scenarios.h). Python 3 standard library only.
"""

import argparse
import json
import re
import statistics
import sys

# (scenario, counter, what, unit), in table order. bench/scenarios/*.h say
# what each counter measures.
ROWS = [
    ("throughput", "ns_per_task", "throughput: 100,000 no-op tasks, then join", "ns/task"),
    ("add_cost", "add_p50_ns", "add_task caller cost, p50 over batches", "ns"),
    ("add_cost", "add_p99_ns", "add_task caller cost, p99 over batches", "ns"),
    ("add_cost", "add_mean_ns", "add_task caller cost, mean", "ns"),
    ("join_back_to_back", "join_p50_us", "join round trip, back to back (p50)", "µs"),
    ("join_after_idle", "join_p50_us", "join round trip, after an idle gap (p50)", "µs"),
    ("blocking", "ms", "blocking: 200 × 1 ms sleeps (ideal 40 ms)", "ms"),
    ("long_then_short", "ms", "long then short: 1.5 s, then 1,000 × 100 µs", "ms"),
    ("many_producers", "ns_per_task", "4 producers at once, then join", "ns/task"),
    ("memory", "bytes_per_task", "memory per queued task, 1,000,000 waiting", "bytes"),
    ("task_options", "ns_per_task", "7. throughput, task options off vs absent", "ns/task"),
    ("idle_cpu", "idle_cpu_percent", "8. CPU while idle, % of one core", "%"),
]

PEER_ORDER = ["taskqueue", "naive", "asio", "tbb", "caf_actor_pool", "moodycamel",
              "taskqueue_options_off"]
OURS = "taskqueue"

NAME_RE = re.compile(r"^([^/]+)/([^/]+)/workers:(\d+)")


class Run:
    """One JSON file: per (scenario, peer, workers), each counter's values."""

    def __init__(self, path):
        with open(path) as f:
            data = json.load(f)
        self.path = path
        self.context = data.get("context", {})
        # (scenario, peer, workers) -> counter -> [value per repetition]
        self.values = {}
        medians = {}
        for entry in data.get("benchmarks", []):
            if entry.get("error_occurred"):
                continue
            m = NAME_RE.match(entry.get("run_name", entry["name"]))
            if not m:
                continue
            key = (m.group(1), m.group(2), int(m.group(3)))
            if entry.get("run_type", "iteration") == "iteration":
                counters = self.values.setdefault(key, {})
                for name, value in entry.items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        counters.setdefault(name, []).append(float(value))
            elif entry.get("aggregate_name") == "median":
                counters = medians.setdefault(key, {})
                for name, value in entry.items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        counters[name] = [float(value)]
        # With --benchmark_report_aggregates_only the repetitions are gone:
        # fall back to the medians Google Benchmark computed.
        for key, counters in medians.items():
            self.values.setdefault(key, counters)
        self.peers = sorted(
            {peer for (_, peer, _) in self.values},
            key=lambda p: (PEER_ORDER.index(p) if p in PEER_ORDER else len(PEER_ORDER), p),
        )

    def cell(self, scenario, peer, workers, counter):
        """(median, relative spread, repetitions) or None."""
        values = self.values.get((scenario, peer, workers), {}).get(counter)
        if not values:
            return None
        median = statistics.median(values)
        spread = (max(values) - min(values)) / 2 / median if median else 0.0
        return median, spread, len(values)

    def worker_counts(self, scenario):
        return sorted({w for (s, _, w) in self.values if s == scenario})

    def best(self, scenario, workers, counter):
        cells = [self.cell(scenario, p, workers, counter) for p in self.peers]
        cells = [c[0] for c in cells if c is not None]
        return min(cells) if cells else None


def fmt(value):
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def grid(run, cell_text):
    peers = run.peers
    lines = [
        "| scenario | unit | N | " + " | ".join(peers) + " |",
        "| --- | --- | --: | " + " | ".join("---:" for _ in peers) + " |",
    ]
    for scenario, counter, what, unit in ROWS:
        for workers in run.worker_counts(scenario):
            best = run.best(scenario, workers, counter)
            cells = [cell_text(run, scenario, p, workers, counter, best) for p in peers]
            lines.append(f"| {what} | {unit} | {workers} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratio_cell(run, scenario, peer, workers, counter, best):
    cell = run.cell(scenario, peer, workers, counter)
    if cell is None or best is None:
        return "–"
    ratio = cell[0] / best if best else float("inf")
    text = f"{fmt(cell[0])} ({ratio:.2f})"
    return f"**{text}**" if ratio <= 1.0 else text


def spread_cell(run, scenario, peer, workers, counter, best):
    cell = run.cell(scenario, peer, workers, counter)
    return "–" if cell is None else f"±{cell[1] * 100:.0f}%"


# --- Targets (the benchmarks issue), checked for taskqueue. ---


def target_rows(run):
    """[(target, N, text, verdict)] for one run."""
    rows = []

    def value(scenario, peer, workers, counter):
        cell = run.cell(scenario, peer, workers, counter)
        return cell[0] if cell else None

    for workers in run.worker_counts("throughput"):
        ours = run.cell("throughput", OURS, workers, "ns_per_task")
        best = run.best("throughput", workers, "ns_per_task")
        if ours is None or best is None:
            continue
        best_peer = min(
            (p for p in run.peers if run.cell("throughput", p, workers, "ns_per_task")),
            key=lambda p: run.cell("throughput", p, workers, "ns_per_task")[0],
        )
        best_spread = run.cell("throughput", best_peer, workers, "ns_per_task")[1]
        ratio = ours[0] / best
        noise = max(ours[1], best_spread)
        if ratio <= 1.0:
            verdict = "holds"
        elif ratio <= 1.0 + noise:
            verdict = f"within noise (±{noise * 100:.0f}%)"
        else:
            verdict = f"fails by {(ratio - 1) * 100:.0f}%"
        rows.append(("throughput ≤ 1.0 × best", workers,
                     f"{ratio:.2f} × {best_peer}", verdict))

    for counter, limit, label in [("add_p50_ns", 50, "add_task p50 ≤ 50 ns"),
                                  ("add_p99_ns", 500, "add_task p99 ≤ 500 ns")]:
        for workers in run.worker_counts("add_cost"):
            ours = value("add_cost", OURS, workers, counter)
            if ours is None:
                continue
            verdict = "holds" if ours <= limit else f"fails by {(ours / limit - 1) * 100:.0f}%"
            rows.append((label, workers, f"{fmt(ours)} ns", verdict))

    # An idle queue costs ~0 CPU: no spin that never stops.
    for workers in run.worker_counts("idle_cpu"):
        ours = value("idle_cpu", OURS, workers, "idle_cpu_percent")
        if ours is None:
            continue
        verdict = "holds" if ours <= 1.0 else f"fails by {(ours - 1.0):.1f} points"
        rows.append(("idle CPU ≤ 1% of a core", workers, f"{fmt(ours)} %", verdict))

    def relative(label, scenario, counter, baseline, limit):
        for workers in run.worker_counts(scenario):
            ours = value(scenario, OURS, workers, counter)
            base = value(scenario, baseline, workers, counter)
            if ours is None or base is None:
                continue
            ratio = ours / base
            verdict = "holds" if ratio <= limit else f"fails by {(ratio / limit - 1) * 100:.0f}%"
            rows.append((label, workers, f"{ratio:.2f} × {baseline}", verdict))

    relative("join back to back ≤ 1.5 × asio", "join_back_to_back", "join_p50_us", "asio", 1.5)
    relative("join after idle ≤ 1.5 × asio", "join_after_idle", "join_p50_us", "asio", 1.5)
    relative("blocking ≤ 1.05 × naive", "blocking", "ms", "naive", 1.05)
    relative("long then short ≤ 1.05 × naive", "long_then_short", "ms", "naive", 1.05)
    relative("memory ≤ 2 × naive", "memory", "bytes_per_task", "naive", 2.0)
    # The task-control issue: default TaskOptions cost little next to none.
    for workers in run.worker_counts("task_options"):
        off = value("task_options", "taskqueue_options_off", workers, "ns_per_task")
        absent = value("task_options", OURS, workers, "ns_per_task")
        if off is not None and absent is not None:
            rows.append(("task options off ÷ absent (reported)", workers,
                         f"{off / absent:.2f}", "–"))
    return rows


def targets_table(runs):
    per_run = [target_rows(run) for run in runs]
    keys = []
    for rows in per_run:
        for target, workers, _, _ in rows:
            if (target, workers) not in keys:
                keys.append((target, workers))
    header = "| target | N | " + " | ".join(
        f"run {i + 1}" if len(runs) > 1 else "taskqueue" for i in range(len(runs))) + " |"
    lines = [header, "| --- | --: | " + " | ".join("---" for _ in runs) + " |"]
    for target, workers in keys:
        cells = []
        for rows in per_run:
            found = [(text, verdict) for t, w, text, verdict in rows if (t, w) == (target, workers)]
            cells.append(f"{found[0][0]}: {found[0][1]}" if found else "–")
        lines.append(f"| {target} | {workers} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def context_lines(run, meta):
    c = run.context
    lines = [
        f"- date: {c.get('date', '?')}",
        f"- machine: {c.get('host_name', '?')}, {c.get('num_cpus', '?')} CPUs "
        f"at {c.get('mhz_per_cpu', '?')} MHz, load average at start "
        f"{', '.join(f'{x:.2f}' for x in c.get('load_avg', [])) or '?'}",
    ]
    versions = [f"{k} {c[k]}" for k in ("compiler", "caf", "boost", "onetbb") if k in c]
    if versions:
        lines.append("- versions: " + "; ".join(versions))
    if "pool_bench_sizes" in c:
        lines.append(f"- sizes: {c['pool_bench_sizes']}; Google Benchmark build "
                     f"{c.get('library_build_type', '?')}")
    for key, value in meta:
        lines.append(f"- {key}: {value}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="pool_bench --benchmark_out JSON files")
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE",
                        help="a line for the header (repeatable)")
    parser.add_argument("--title", default="taskqueue benchmark results")
    args = parser.parse_args()
    runs = [Run(path) for path in args.runs]
    meta = [tuple(m.split("=", 1)) if "=" in m else (m, "") for m in args.meta]

    out = [f"# {args.title}", ""]
    out += context_lines(runs[0], meta)
    out += [
        "",
        "Each cell: the median over the repetitions of one run, and in brackets its",
        "ratio to the best peer of the row (**bold**: the best). Lower is better",
        "everywhere. N is the number of workers. Peers and scenarios:",
        "bench/pool_bench.cc and bench/scenarios/*.h.",
        "",
    ]
    out += ["## Targets (taskqueue)", "", targets_table(runs), ""]
    for i, run in enumerate(runs):
        title = "Results" if len(runs) == 1 else f"Results, run {i + 1} ({run.context.get('date', '?')})"
        out += [f"## {title}", "", grid(run, ratio_cell), ""]
        out += [
            "<details><summary>Spread over the repetitions (half the range, relative to the median)</summary>",
            "",
            grid(run, spread_cell),
            "",
            "</details>",
            "",
        ]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
