"""The Celery application: workers on Redis deliver notifications (`make worker`, `make beat`).

`celery -A dichvucong.config worker` finds `app` here. Its settings are Django's CELERY_*
settings (config/settings/base.py, the end of the file). DJANGO_SETTINGS_MODULE must be set
by whoever starts the worker (the Makefile does); this module sets no default, because it is
imported with the config package by every process, the production web server included.
"""

from celery import Celery

app = Celery("dichvucong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
