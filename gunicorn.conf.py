"""gunicorn settings for helpcenter.wsgi:application (override any of them with GUNICORN_*)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let a worker keep serving while another request waits on the database.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 5000
max_requests_jitter = 500
# Load the app (and the rendered guides, the triage tree and the search index) once, before
# forking, so workers start warm and share that memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Method and path only: no query string (what merchants search for, ?feedback= after a vote)
# and no User-Agent, so the log never links a visitor to what they searched or voted.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# CR, LF, ESC and other control characters of a path are escaped: one request, one plain line.
logger_class = "helpcenter.accesslog.SafeAccessLogger"
# The TLS proxy in front is the only peer allowed to say the request came over https
# (Django checks the same list itself: DJANGO_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 opens a control socket shared by every instance of one user
# (~/.gunicorn/gunicorn.ctl): a second instance would take it over and stopping either would
# delete it. Off unless GUNICORN_CONTROL_SOCKET names a path of this instance's own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or None
control_socket_disable = not control_socket
if control_socket:
    control_socket_mode = 0o600
# gunicorn must never face clients directly: slow clients are absorbed by the proxy in front
# (deploy/nginx.conf buffers whole requests). Bind to loopback or a private address only.
