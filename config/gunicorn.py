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
