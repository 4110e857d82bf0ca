"""The coach's work queue: their home page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.pagination import PageRequest, paginate_rows
from app.reminders import workqueue

bp = Blueprint("reminders", __name__)


@bp.get("/work")
@login_required
def work_queue() -> str:
    queue = workqueue.work_queue(current_user)
    # Oldest first, whatever the URL says: the queue is paged, not sorted.
    page = paginate_rows(queue.items, PageRequest.from_args(request.args, sortable=()), {})
    return render_template("reminders/work_queue.html", queue=queue, page=page)
