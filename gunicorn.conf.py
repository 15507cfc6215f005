"""gunicorn settings, read by default from the working directory: ``gunicorn app:server``.

* No control socket: gunicorn 27 opens ``~/.gunicorn/gunicorn.ctl`` by default, one path for every
  gunicorn of the user on the host, so one app's ``gunicornc`` would reach another's master.
* Threaded workers: a slow request (a chart image rendered by Chromium, at most a few per process:
  ``exports.render``) holds one thread, not a whole worker; pages and API keep answering.
* ``WEB_CONCURRENCY`` workers (default 2, one per core of the reference machine), ``GUNICORN_THREADS``
  threads each (default 8). Command-line options override these values.
* Publications from the workspace run as background jobs of a worker (not in a request): the
  default 30 s timeout applies to requests only.
"""

import os

control_socket_disable = True
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8050")
