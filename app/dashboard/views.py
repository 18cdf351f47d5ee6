"""The portfolio dashboard, search, notifications and the ``flask send-digest`` command."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import click
from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers.response import Response

from app.core.enums import JobStatus, PhaseKind, PhaseStatus, ProjectState
from app.core.inputs import page_number
from app.core.jobs.models import Job
from app.core.jobs.runner import job_create, job_start, run_job
from app.core.permissions import can_list_projects, can_receive_notifications, require
from app.core.timeutil import today
from app.dashboard import cache, digest, notifications, search, services
from app.dashboard.visibility import visibility_key
from app.extensions import db

# cli_group=None: the blueprint's commands are top-level (``flask send-digest``).
bp = Blueprint("dashboard", __name__, template_folder="templates", cli_group=None)

NOTIFICATIONS_ON_DASHBOARD = 8
# A project without any recorded change for longer than this is flagged on the dashboard.
IDLE_WARNING_DAYS = 30


def _due_soon_days() -> int:
    return int(current_app.config["DUE_SOON_DAYS"])


@bp.app_context_processor
def _notification_badge() -> dict[str, Any]:
    """``notification_count()`` for the navigation bar: computed only when a page asks for it."""

    def notification_count() -> int | None:
        if not can_receive_notifications(current_user):
            return None
        if "notification_count" not in g:  # the dashboard counted them already
            g.notification_count = notifications.notification_count(
                db.session(), current_user, on=today(), due_soon_days=_due_soon_days()
            )
        return int(g.notification_count)

    return {"notification_count": notification_count}


@bp.get("/")
def home() -> Response:
    return redirect(url_for("dashboard.index") if current_user.is_authenticated else url_for("auth.login"))


@bp.get("/dashboard")
@login_required
def index() -> str:
    require(can_list_projects(current_user))
    on = today()
    filters = services.PortfolioFilter.from_args(request.args)
    memo = cache.memo_for(db.session(), on, max_age=current_app.config["DASHBOARD_CACHE_SECONDS"])
    scope = visibility_key(current_user)
    page = services.portfolio_page(
        db.session(),
        current_user,
        filters,
        on=on,
        due_soon_days=_due_soon_days(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        memo=memo,
    )
    # Translated once per page, not once per cell: a lookup is cheap, but the table has hundreds of cells.
    phase_labels = {kind: kind.label for kind in PhaseKind}
    upcoming, g.notification_count = notifications.notifications_preview(
        db.session(), current_user, on=on, due_soon_days=_due_soon_days(), limit=NOTIFICATIONS_ON_DASHBOARD
    )
    alerts = _agreement_alerts(limit=NOTIFICATIONS_ON_DASHBOARD) if can_receive_notifications(current_user) else None
    here = url_for("dashboard.index")
    return render_template(
        "dashboard/index.html",
        here=here,
        sort_links=_sort_links(here, filters),
        project_prefix=_project_url_prefix(),
        page=page,
        filters=filters,
        summary=memo(("summary", scope), lambda: services.portfolio_summary(db.session(), current_user, on=on)),
        funders=memo(("funders", scope), lambda: services.portfolio_funders(db.session(), current_user)),
        phases=list(PhaseKind),
        statuses=list(ProjectState),
        phase_labels=phase_labels,
        bar_labels=_phase_bar_labels(page.items, phase_labels),
        upcoming=upcoming,
        more_upcoming=g.notification_count > len(upcoming),
        due_soon_days=_due_soon_days(),
        idle_warning_days=IDLE_WARNING_DAYS,
        alerts=alerts,
    )


def _agreement_alerts(limit: int | None = None) -> notifications.AgreementAlerts:
    return notifications.agreement_alerts(
        db.session(),
        current_user,
        on=today(),
        due_soon_days=_due_soon_days(),
        expiry_days=int(current_app.config["AGREEMENT_EXPIRY_DAYS"]),
        limit=limit,
    )


def _sort_links(here: str, filters: services.PortfolioFilter) -> dict[str, str]:
    """The address of each column's sort link: same filters, first page, the direction flipped on the current
    column (a new column starts in its natural direction)."""
    args = {key: value for key, value in request.args.items() if key not in ("sort", "dir", "page") and value}
    links = {}
    for key in services.SORTS:
        direction = {"dir": "asc" if filters.descending else "desc"} if key == filters.sort else {}
        links[key] = f"{here}?{urlencode(args | {'sort': key} | direction)}"
    return links


def _project_url_prefix() -> str:
    """ "/projects/" when a project's address ends with its id: the page then has no url_for() per row."""
    sample = url_for("projects.view", project_id=0)
    return sample[:-1] if sample.endswith("/0") else ""


def _phase_bar_labels(
    rows: list[services.PortfolioRow], phase_labels: dict[PhaseKind, str]
) -> dict[tuple[tuple[PhaseKind, PhaseStatus], ...], str]:
    """What each phase bar says to a screen reader ("Works: In progress; …"), once per distinct bar."""
    status_labels = {status: status.label for status in PhaseStatus}
    return {
        row.phase_statuses: "; ".join(f"{phase_labels[k]}: {status_labels[s]}" for k, s in row.phase_statuses)
        for row in rows
    }


@bp.get("/search", endpoint="search")
@login_required
def search_page() -> str:
    require(can_list_projects(current_user))
    text = request.args.get("q", "").strip()
    results = None
    if len(text) >= search.MIN_QUERY_LENGTH:
        results = search.search(db.session(), current_user, text)
    return render_template("dashboard/search.html", q=text, results=results, min_length=search.MIN_QUERY_LENGTH)


@bp.get("/notifications")
@login_required
def notifications_page() -> str:
    require(can_receive_notifications(current_user))
    page = notifications.notifications_page(
        db.session(),
        current_user,
        on=today(),
        due_soon_days=_due_soon_days(),
        page=request.args.get("page", 1, type=page_number),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template(
        "dashboard/notifications.html",
        page=page,
        due_soon_days=_due_soon_days(),
        alerts=_agreement_alerts(),
        expiry_days=current_app.config["AGREEMENT_EXPIRY_DAYS"],
    )


@bp.cli.command("send-digest")
@click.option(
    "--queue",
    is_flag=True,
    help="Put the digest on the job queue (the RQ workers, with REDIS_URL) instead of sending it from here.",
)
def send_digest(queue: bool) -> None:
    """E-mail each person their overdue and upcoming milestones (needs SMTP_HOST), once a day at most."""
    if digest.SmtpSettings.from_config(current_app.config) is None:
        click.echo("SMTP_HOST is not configured: no digest sent.")
        return
    job = job_create(db.session(), digest.JOB_KIND)
    db.session.commit()
    if queue:
        job_start(job.id)
        click.echo(f"Digest queued as job {job.id}.")
        return
    run_job(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    db.session.expire_all()
    done = db.session.get(Job, job.id)
    deliveries = digest.digest_deliveries(db.session(), today())
    sent = sum(1 for by in deliveries.values() if by == job.id)
    if done is None or done.status is JobStatus.FAILED:
        error = done.error if done is not None else "the job disappeared"
        raise click.ClickException(f"{error} (job {job.id}; sent to {sent} people before it stopped)")
    if sent:
        click.echo(f"Digest sent to {sent} people.")
    elif deliveries:
        click.echo(f"Today's digest was already sent to {len(deliveries)} people; nobody else is waiting for it.")
    else:
        click.echo("Nobody has milestones due or overdue: no digest sent.")
