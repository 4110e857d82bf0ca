"""Gunicorn's settings for serving the app: ``gunicorn -c python:app.serving 'app:create_app()'``.

``make run`` and ``make bench`` both pass this module, so the benchmark measures the server as it
runs. It holds only what the command line does not say (the address, workers and threads stay
there): a hook that readies each worker once it has loaded the app, before it serves anyone.

Why, measured on the 1,000-rep organisation (README, "Production"):

* **Templates compiled up front.** Jinja compiles a template on its first use in each worker,
  so the first visitor of a page on each worker waited for it (the agreements list: 114 ms of
  CPU instead of 28). Compiling all of them (about 140) takes the worker about a second more
  to start.
* **The loaded objects kept out of the garbage collector's way.** A loaded worker holds some
  300,000 long-lived objects (modules, the mapped classes, the curriculum, compiled
  templates). Python's cyclic collector walks all of them in each full (generation 2)
  collection, which a busy page's allocations set off every few hundred requests: 160 ms of
  CPU on a quiet machine, half a second on a loaded one, landing on whichever request was
  running. ``gc.freeze()`` moves what exists once the worker is ready into a generation the
  collector never walks, so a full collection walks only what came later (20 to 60 ms under
  the same load). The young generations keep Python's thresholds: raising the first to 50,000
  made each of its collections walk that many young objects, 140 ms under load, a worse spike.
* **The organisation's dashboard worked out up front.** HR's dashboard sums fifty teams'
  shares, kept in each process; a worker that has none works them all out on its first view
  (40 to 55 ms at 1,000 reps, ten times a page's usual time, and the benchmark's worst p95).
  The worker works them out before it serves (:mod:`app.dashboards.service.warming`); a
  failure there is logged, never in the way of serving.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from flask import Flask

from app.dashboards.service import warm_organisation_shares
from app.extensions import db

logger = logging.getLogger(__name__)


def compile_templates(app: Flask) -> int:
    """Compile (and cache) every HTML template now rather than on a visitor's request."""
    names = app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def settle_memory() -> None:
    """Collect what loading left as garbage, then keep the survivors out of later collections."""
    gc.collect()
    gc.freeze()


def warm_kept_figures(app: Flask) -> bool:
    """The organisation's dashboard shares kept in this process before it serves; whether
    they were (not when nobody oversees the organisation, or the database cannot be read)."""
    with app.app_context():
        try:
            return warm_organisation_shares()
        except Exception:  # a warm-up that failed only leaves the first view to do the work
            logger.exception("The dashboard's shares could not be worked out in advance")
            return False
        finally:
            db.session.rollback()
            db.session.remove()


def post_worker_init(worker: Any) -> None:
    """Gunicorn calls this in each worker once it has loaded the app, before it serves."""
    if isinstance(worker.wsgi, Flask):
        compile_templates(worker.wsgi)
        warm_kept_figures(worker.wsgi)
    settle_memory()
