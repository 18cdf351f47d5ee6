from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.models import User
from app.core.audit.services import AuditFilter, audit_query, audited_entity_types
from app.core.inputs import record_id
from app.core.permissions import can_view_audit_log, require
from app.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit", template_folder="templates")


@bp.get("/")
@login_required
def index() -> str:
    require(can_view_audit_log(current_user))
    filters = AuditFilter(
        entity_type=request.args.get("entity_type") or None,
        entity_id=request.args.get("entity_id") or None,
        actor_id=request.args.get("actor_id", type=record_id) or None,
    )
    page = db.paginate(audit_query(filters), per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template(
        "audit/index.html", page=page, filters=filters, users=users, entity_types=audited_entity_types()
    )
