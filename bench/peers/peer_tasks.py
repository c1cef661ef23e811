"""The no-op task of the peer queues (Celery, RQ), imported by their workers.

The broker's address comes from the environment (PEER_REDIS_URL), which
peer_queue.py sets for itself and for the workers it starts.
"""

import os

from celery import Celery

REDIS_URL = os.environ.get("PEER_REDIS_URL", "redis://127.0.0.1:6379")

# Celery as a user wanting at-least-once delivery configures it: a task is
# acknowledged after it ran (a killed worker's task is delivered again), one
# task prefetched per worker process, results in Redis (as the server keeps
# them in its journal).
app = Celery("peer_tasks", broker=REDIS_URL + "/0", backend=REDIS_URL + "/1")
app.conf.update(
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)


@app.task(name="peer.noop")
def celery_noop():
    return None


def rq_noop():
    return None
