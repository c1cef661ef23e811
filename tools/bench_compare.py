#!/usr/bin/env python3
"""Prints a before/after table from Google Benchmark JSON files.

    bench_compare.py --before B1.json [B2.json ...] --after A1.json [...]

For every benchmark and every counter that says what a scenario measures
(MEASURES), the cell is the
median over the runs of each run's median aggregate. The ratio is after ÷
before: above 1 is slower (every quantity here is lower-is-better).
"""
import argparse
import json
import statistics
import sys

# Counters worth comparing; the rest (iteration counts, sizes) are not.
MEASURES = ("real_time", "ns_per_task", "add_p50_ns", "add_p99_ns",
            "add_mean_ns", "join_p50_us", "join_mean_us", "bytes_per_task",
            "vs_ideal")


def medians(paths):
  """{(benchmark, measure): [median of each file]}"""
  out = {}
  for path in paths:
    with open(path) as f:
      data = json.load(f)
    for b in data["benchmarks"]:
      if b.get("aggregate_name") != "median":
        continue
      name = b["run_name"].split("/iterations:")[0]
      for measure in MEASURES:
        if measure in b:
          out.setdefault((name, measure), []).append(float(b[measure]))
  return out


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--before", nargs="+", required=True)
  parser.add_argument("--after", nargs="+", required=True)
  args = parser.parse_args()
  before, after = medians(args.before), medians(args.after)
  def order(key):  # scenario, then peer, then worker count
    scenario, peer, workers = (key[0].split("/") + ["", ""])[:3]
    return (scenario, peer, int(workers.split(":")[-1] or 0), key[1])

  keys = sorted((k for k in before if k in after), key=order)
  if not keys:
    sys.exit("bench_compare.py: no benchmark in both sides")
  print(f"Medians over {len(args.before)} before and {len(args.after)} after"
        " runs, run alternately; after ÷ before above 1 is slower.\n")
  print("| benchmark | measure | before | after | after ÷ before |")
  print("| --- | --- | --: | --: | --: |")
  for name, measure in keys:
    b = statistics.median(before[(name, measure)])
    a = statistics.median(after[(name, measure)])
    ratio = f"{a / b:.2f}" if b > 0 else "–"
    print(f"| {name} | {measure} | {b:.3g} | {a:.3g} | {ratio} |")


if __name__ == "__main__":
  main()
