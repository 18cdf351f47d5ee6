"""The gate of each phase: the condition that must hold before the phase may be marked done.

One gate per :class:`PhaseKind`, looked up in a registry. Views and services only ever call
:func:`check_gate` and :func:`gate_for`; a later feature (assessments, agreements, documents, photos) replaces a
gate by registering its own, for instance one that queries the database::

    register_gate(PhaseKind.EVALUATION, ApprovedAssessmentGate())

Until those features exist, their gates ask for the confirmation a manager would give: the phase's
``gate_evidence`` text (the reference of the approved assessment, of the signed act...).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.core.enums import PhaseKind
from app.projects.models import Phase

COMPLETE = Decimal("100")


@dataclass(frozen=True)
class GateResult:
    """Whether a phase may be closed; ``message`` says why not (or, when it may, what was found)."""

    ok: bool
    message: str


class Gate(Protocol):
    """What a gate offers. ``needs_evidence`` says whether the phase form must ask for ``gate_evidence``."""

    needs_evidence: bool

    def requirement(self) -> str:
        """What must hold before the phase is done, in words a manager understands."""

    def check(self, session: Session, phase: Phase) -> GateResult:
        """Whether the condition holds now. Must not change anything."""


class EvidenceGate:
    """Holds when the manager has written down the evidence (reference, date) of the required act."""

    needs_evidence = True

    def __init__(self, requirement: object) -> None:
        # A lazy string, so that the requirement shows in the language of each request.
        self._requirement = requirement

    def requirement(self) -> str:
        return str(self._requirement)

    def check(self, session: Session, phase: Phase) -> GateResult:
        if phase.gate_evidence.strip():
            return GateResult(True, _("Evidence recorded: %(evidence)s", evidence=phase.gate_evidence.strip()))
        return GateResult(
            False,
            _("This phase cannot be closed yet: %(requirement)s", requirement=self.requirement()),
        )


class WorksCompleteGate:
    """Holds when the latest progress reading of the works says 100 %."""

    needs_evidence = False

    def requirement(self) -> str:
        return _("Physical progress of the works at 100 %.")

    def check(self, session: Session, phase: Phase) -> GateResult:
        progress = phase.project.physical_progress
        if progress >= COMPLETE:
            return GateResult(True, _("Physical progress is at 100 %."))
        return GateResult(
            False,
            _(
                "The works cannot be closed while physical progress is at %(percent)s %% (100 %% needed).",
                percent=f"{progress.normalize():f}",
            ),
        )


_GATES: dict[PhaseKind, Gate] = {
    PhaseKind.EVALUATION: EvidenceGate(_l("An approved assessment of the center (give its date and reference).")),
    PhaseKind.PARTNERSHIP: EvidenceGate(_l("A signed partnership agreement (give its date and reference).")),
    PhaseKind.DESIGN: EvidenceGate(_l("An approved design document and a budget (give their references).")),
    PhaseKind.WORKS: WorksCompleteGate(),
    PhaseKind.HANDOVER: EvidenceGate(
        _l("A signed handover act and photos after the works (give the act's date and reference).")
    ),
}


def register_gate(kind: PhaseKind, gate: Gate) -> Gate:
    """Replace the gate of ``kind``; returns the one it replaced (so tests can put it back)."""
    previous = _GATES[kind]
    _GATES[kind] = gate
    return previous


def gate_for(kind: PhaseKind) -> Gate:
    return _GATES[kind]


def check_gate(session: Session, phase: Phase) -> GateResult:
    """May ``phase`` be marked done now?

    Runs without autoflush: a gate that queries the database must not write the phase change being decided
    (it would reach the audit log before an administrator's override reason is attached to it).
    """
    with session.no_autoflush:
        return _GATES[phase.kind].check(session, phase)
