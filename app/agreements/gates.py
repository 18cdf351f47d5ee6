"""The partnership phase's gate: a signed agreement linked to the project.

Registered in :mod:`app.projects.gates` when this module is imported (the agreements blueprint imports it, so
every app has it). The typed evidence of the previous gate still counts, for agreements signed before they were
registered here; when a signed agreement exists nobody has to type anything.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.agreements.services import signed_agreement_of_project
from app.core.enums import PhaseKind
from app.projects.gates import GateResult, register_gate
from app.projects.models import Phase


class SignedAgreementGate:
    needs_evidence = True

    def requirement(self) -> str:
        return _("A signed agreement linked to the project (or, if it is not registered yet, its date and reference).")

    def check(self, session: Session, phase: Phase) -> GateResult:
        agreement = signed_agreement_of_project(session, phase.project_id)
        if agreement is not None:
            return GateResult(
                True,
                _(
                    "Agreement %(code)s signed on %(date)s.",
                    code=agreement.code,
                    date=format_date(agreement.signed_on) if agreement.signed_on else "—",
                ),
            )
        if phase.gate_evidence.strip():
            return GateResult(True, _("Evidence recorded: %(evidence)s", evidence=phase.gate_evidence.strip()))
        return GateResult(False, _("This phase cannot be closed yet: %(requirement)s", requirement=self.requirement()))


PARTNERSHIP_GATE = SignedAgreementGate()
register_gate(PhaseKind.PARTNERSHIP, PARTNERSHIP_GATE)
