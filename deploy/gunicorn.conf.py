"""gunicorn settings for unionhome (`make serve` and deploy/systemd/unionhome.service use it).

Every value can be changed from the environment; see .env.example.
"""

import os

bind = os.environ.get("UNIONHOME_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("UNIONHOME_WORKERS", "3"))
worker_class = "sync"
timeout = int(os.environ.get("UNIONHOME_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (bounded memory)
max_requests_jitter = 200
# The proxy on this machine sets X-Forwarded-Proto; gunicorn believes it only from here.
forwarded_allow_ips = os.environ.get("UNIONHOME_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# One line per request on standard error, with the request id the app logs too.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s request_id=%({x-request-id}o)s'
# No runtime control socket (it would sit in the service user's home, shared by instances).
control_socket_disable = True
