"""Measures a peer queue (Celery or RQ on redis-server) as server_bench measures
taskqueue's server, and prints the result as one JSON line.

  peer_queue.py --queue celery|rq --tasks N --workers W

Everything it needs it starts and stops itself: a redis-server on a free
loopback port with its files in a fresh directory, durable as the journal's
synchronous=FULL (an append-only file fsynced on every write), and W worker
processes. Two phases, each on an empty Redis:

  enqueue     no worker runs; one producer adds N no-op tasks one after
              another: adds/s and each add's latency (p50, p99)
  end to end  the workers run (warmed up by one task); the producer adds N
              tasks and the clock stops when the last one's result is stored

Output: {"adds_per_s", "add_p50_us", "add_p99_us", "e2e_tasks_per_s"}.
Exit status 1, with the reason on stderr, when a phase fails or does not end
within --timeout seconds; the processes it started are stopped either way,
and die with it if it is killed (PR_SET_PDEATHSIG).
"""

import argparse
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PR_SET_PDEATHSIG = 1


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG,
                                                     signal.SIGKILL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, env, log):
    return subprocess.Popen(args, cwd=HERE, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=die_with_parent)


def stop(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("%s: not within %d s" % (what, timeout))
        time.sleep(0.01)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[int(p / 100 * (len(ordered) - 1) + 0.5)]


def enqueue_all(add, n):
    latencies = []
    begin = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        add()
        latencies.append(time.perf_counter() - t)
    seconds = time.perf_counter() - begin
    return n / seconds, latencies


class CeleryPeer:
    def __init__(self, workers):
        import peer_tasks
        import redis
        self.tasks = peer_tasks
        self.results = redis.Redis.from_url(peer_tasks.REDIS_URL + "/1")
        self.workers = workers

    def add(self):
        self.tasks.celery_noop.delay()

    def worker_commands(self):
        # One worker with W prefork processes: Celery's own way to run W.
        return [[sys.executable, "-m", "celery", "-A", "peer_tasks", "worker",
                 "-c", str(self.workers), "-P", "prefork", "--loglevel",
                 "WARNING", "--without-gossip", "--without-mingle"]]

    def warm_up(self, timeout):
        self.tasks.celery_noop.delay().get(timeout=timeout)

    def done(self):
        return self.results.dbsize()  # One key per stored result.


class RqPeer:
    def __init__(self, workers):
        import peer_tasks
        import redis
        from rq import Queue
        from rq.registry import FailedJobRegistry, FinishedJobRegistry
        self.tasks = peer_tasks
        self.redis = redis.Redis.from_url(peer_tasks.REDIS_URL + "/0")
        self.queue = Queue("default", connection=self.redis)
        self.finished = FinishedJobRegistry(queue=self.queue)
        self.failed = FailedJobRegistry(queue=self.queue)
        self.workers = workers

    def add(self):
        self.queue.enqueue(self.tasks.rq_noop)

    def worker_commands(self):
        # SimpleWorker runs jobs in the worker process; RQ's default forks
        # a process per job, which would measure fork(), not the queue.
        return [["/usr/bin/rq", "worker", "-w", "rq.worker.SimpleWorker",
                 "--url", self.tasks.REDIS_URL + "/0", "--quiet"]
                for _ in range(self.workers)]

    def warm_up(self, timeout):
        from rq import Worker
        wait_until(lambda: Worker.count(connection=self.redis) >= self.workers,
                   timeout, "rq workers registering")
        job = self.queue.enqueue(self.tasks.rq_noop)
        wait_until(lambda: job.get_status(refresh=True) == "finished",
                   timeout, "rq warm-up job")

    def done(self):
        if self.failed.count > 0:
            raise RuntimeError("rq: %d jobs failed" % self.failed.count)
        return self.finished.count


def measure(options, workdir):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=HERE,
               PEER_REDIS_URL="redis://127.0.0.1:%d" % port)
    os.environ.update(env)
    log = open(os.path.join(workdir, "peer.log"), "w")
    processes = []
    try:
        processes.append(start(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
             "--dir", workdir, "--save", "", "--appendonly", "yes",
             "--appendfsync", "always", "--loglevel", "warning"], env, log))
        import redis
        server = redis.Redis(port=port)

        def answers():
            try:
                return server.ping()
            except redis.exceptions.ConnectionError:
                return False
        wait_until(answers, options.timeout, "redis-server answering")

        peer = (CeleryPeer if options.queue == "celery" else RqPeer)(
            options.workers)
        adds_per_s, latencies = enqueue_all(peer.add, options.tasks)
        server.flushall()

        for command in peer.worker_commands():
            processes.append(start(command, env, log))
        peer.warm_up(options.timeout)
        before = peer.done()
        begin = time.perf_counter()
        for _ in range(options.tasks):
            peer.add()
        wait_until(lambda: peer.done() >= before + options.tasks,
                   options.timeout, "%s running %d tasks" %
                   (options.queue, options.tasks))
        e2e = options.tasks / (time.perf_counter() - begin)
        return {"adds_per_s": adds_per_s,
                "add_p50_us": percentile(latencies, 50) * 1e6,
                "add_p99_us": percentile(latencies, 99) * 1e6,
                "e2e_tasks_per_s": e2e}
    finally:
        for process in reversed(processes):
            stop(process)
        log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queue", choices=["celery", "rq"], required=True)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=300)
    options = parser.parse_args()
    if options.tasks < 1 or options.workers < 1:
        parser.error("--tasks and --workers must be at least 1")
    workdir = tempfile.mkdtemp(prefix="peer_queue.")
    try:
        print(json.dumps(measure(options, workdir)), flush=True)
    except Exception as e:  # The reason, then the peer's own log.
        sys.stderr.write("peer_queue.py (%s): %s\n" % (options.queue, e))
        log = os.path.join(workdir, "peer.log")
        if os.path.exists(log):
            with open(log) as f:
                sys.stderr.write(f.read()[-4000:])
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
