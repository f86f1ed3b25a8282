"""gunicorn's settings in production: `gunicorn -c config/gunicorn.py config.wsgi`.

Threads, not processes, carry the concurrency: the intake API hands the petitions
of requests arriving together in one worker to one transaction
(feedback/integrations/group_intake.py), so a worker with more requests in flight writes
bigger groups. bench/intake_http.py measures this configuration. Each thread
keeps its own database connection: workers × threads connections in all.
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "16"))


def post_worker_init(worker):
    # Intake allocates thousands of short-lived objects a request (rows, model
    # instances, JSON); with the default threshold of 700, the cyclic collector
    # ran every few requests and walked every object of Django and the app. Those
    # are frozen out of its reach once loaded, and the youngest generation is
    # collected less often (reference counting frees nearly all of it anyway):
    # bench/intake_http.py, 0.26 ms of a web worker's CPU a request less.
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
