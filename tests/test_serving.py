"""Gunicorn's settings module (app/serving.py): what ``make run`` and the benchmark load."""

from __future__ import annotations

import gc
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from gunicorn.app.wsgiapp import WSGIApplication

from app import serving
from benchmarks import server

ROOT = Path(__file__).resolve().parent.parent


def _run_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    return recipe[1].replace("\\\n", " ")


def test_make_run_and_the_benchmark_pass_the_same_settings_module() -> None:
    assert "-c python:app.serving" in _run_recipe()
    arguments = server.command(5000)
    assert arguments[arguments.index("-c") + 1] == "python:app.serving"
    assert arguments[-1] == "app:create_app()"


def test_gunicorn_loads_the_worker_hook_from_the_settings_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "argv", server.command(5000))
    monkeypatch.chdir(ROOT)
    loaded = WSGIApplication()
    assert loaded.cfg.post_worker_init is serving.post_worker_init
    assert loaded.cfg.workers == 2 and loaded.cfg.threads == 4  # the command line's, kept


def test_the_hook_compiles_every_template_then_keeps_the_loaded_objects_out_of_collections(
    app: Flask,
) -> None:
    assert gc.get_freeze_count() == 0
    app.jinja_env.cache.clear()
    try:
        serving.post_worker_init(SimpleNamespace(wsgi=app))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    compiled = {name for _loader, name in app.jinja_env.cache}
    assert {"base.html", "plans/team.html", "agreements/index.html"} <= compiled
    assert len(compiled) == len(app.jinja_env.list_templates(filter_func=_html))


def _html(name: str) -> bool:
    return name.endswith(".html")
