"""Every enumeration the app stores, by name, with its translated label in one place."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class LabelledEnum(enum.StrEnum):
    """An enum stored by its name whose ``label`` is shown to people in their language."""

    @property
    def label(self) -> str:
        return str(LABELS[(type(self), self.value)])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class Role(LabelledEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    ENGINEER = "engineer"
    DONOR = "donor"


class OrganizationKind(LabelledEnum):
    GOVERNMENT = "government"
    UN_AGENCY = "un_agency"
    DONOR = "donor"
    NGO = "ngo"
    MUNICIPALITY = "municipality"
    CONTRACTOR = "contractor"


class Population(LabelledEnum):
    RETURNED_ADULTS = "returned_adults"
    UNACCOMPANIED_CHILDREN = "unaccompanied_children"
    CHILDREN_AND_FAMILIES = "children_and_families"


class PhaseKind(LabelledEnum):
    """The phases of a rehabilitation, in the order they happen."""

    EVALUATION = "evaluation"
    PARTNERSHIP = "partnership"
    DESIGN = "design"
    WORKS = "works"
    HANDOVER = "handover"


class PhaseStatus(LabelledEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ON_HOLD = "on_hold"


class MilestoneStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ProjectKind(LabelledEnum):
    REHABILITATION = "rehabilitation"
    RECONSTRUCTION = "reconstruction"


class ProjectState(LabelledEnum):
    """Where a project stands as a whole (derived from its phases, used to filter lists)."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"


class PhotoStage(LabelledEnum):
    """When a photo was taken relative to the works: "before" and "after" photos of one spot are paired."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class DocumentKind(LabelledEnum):
    AGREEMENT = "agreement"
    DRAWING = "drawing"
    BILL_OF_QUANTITIES = "bill_of_quantities"
    DESIGN = "design"
    HANDOVER_ACT = "handover_act"
    REPORT = "report"
    OTHER = "other"


class DocumentStatus(LabelledEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SIGNED = "signed"


class AssessmentType(LabelledEnum):
    """What an engineer assesses on a site visit."""

    WORKING_MODEL = "working_model"
    STRUCTURAL = "structural"
    WATER_SANITATION = "water_sanitation"
    ELECTRICAL = "electrical"
    FIRE_SAFETY = "fire_safety"
    ACCESSIBILITY = "accessibility"
    PROTECTION = "protection"


class AssessmentStatus(LabelledEnum):
    """Draft → submitted → approved, or returned with comments; an approved one is superseded by its revision."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


class AnswerType(LabelledEnum):
    YES_NO = "yes_no"
    SCORE = "score"
    NUMBER = "number"
    TEXT = "text"


class Severity(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AgreementKind(LabelledEnum):
    MEMORANDUM = "memorandum"
    COOPERATION = "cooperation"
    PROPERTY_LOAN = "property_loan"
    LETTER_OF_INTENT = "letter_of_intent"
    WORKS_CONTRACT = "works_contract"


class AgreementStatus(LabelledEnum):
    """Stored: draft, negotiating, signed, terminated. "Expired" is computed (signed and its end date passed)."""

    DRAFT = "draft"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class PartyRole(LabelledEnum):
    SIGNATORY = "signatory"
    IMPLEMENTING = "implementing"
    FUNDING = "funding"
    BENEFICIARY = "beneficiary"
    WITNESS = "witness"


class BudgetCategory(LabelledEnum):
    """What a budget line pays for."""

    ASSESSMENT_DESIGN = "assessment_design"
    WORKS = "works"
    MATERIALS = "materials"
    EQUIPMENT_FURNITURE = "equipment_furniture"
    SUPERVISION = "supervision"
    CONTINGENCY = "contingency"
    OTHER = "other"


class SpendKind(LabelledEnum):
    """A commitment (purchase order, contract) reserves money; an expenditure pays it."""

    COMMITMENT = "commitment"
    EXPENDITURE = "expenditure"


class AuditAction(LabelledEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class JobStatus(LabelledEnum):
    """Where a background job stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PhotoCopies(LabelledEnum):
    """Whether a photo's display and thumbnail copies are made: at once for most photos, in the background for
    photos too large to decode during the upload (until then a plain placeholder stands in)."""

    READY = "ready"
    PENDING = "pending"
    FAILED = "failed"


class DownloadKind(LabelledEnum):
    """A file prepared in the background for one person: photos in a ZIP, or the portfolio exported whole."""

    PHOTOS_ZIP = "photos_zip"
    PORTFOLIO_XLSX = "portfolio_xlsx"
    PORTFOLIO_CSV_ZIP = "portfolio_csv_zip"
    PORTFOLIO_IATI = "portfolio_iati"


class ReportScope(LabelledEnum):
    """What a donor report covers."""

    PROJECT = "project"
    CENTER = "center"
    DONOR = "donor"


class ReportKind(LabelledEnum):
    """A progress report for a period, or the dossier handed over with a finished project."""

    PROGRESS = "progress"
    HANDOVER = "handover"


class ReportSection(LabelledEnum):
    """The optional sections of a donor progress report, in the order they are printed."""

    SUMMARY = "summary"
    PHASES = "phases"
    MILESTONES = "milestones"
    ASSESSMENTS = "assessments"
    BUDGET = "budget"
    PHOTOS = "photos"
    AGREEMENTS = "agreements"
    RISKS = "risks"


# Pairs, not a dict literal: members of different enums with the same value ("design", "works", "other") are
# equal as strings, so a dict keyed by member would silently keep only the last label.
_LABEL_PAIRS: list[tuple[enum.Enum, object]] = [
    (Role.ADMIN, _l("Administrator")),
    (Role.MANAGER, _l("Project manager")),
    (Role.ENGINEER, _l("Engineer")),
    (Role.DONOR, _l("Donor")),
    (OrganizationKind.GOVERNMENT, _l("Government")),
    (OrganizationKind.UN_AGENCY, _l("UN agency")),
    (OrganizationKind.DONOR, _l("Donor")),
    (OrganizationKind.NGO, _l("NGO")),
    (OrganizationKind.MUNICIPALITY, _l("Municipality")),
    (OrganizationKind.CONTRACTOR, _l("Contractor")),
    (Population.RETURNED_ADULTS, _l("Returned adults")),
    (Population.UNACCOMPANIED_CHILDREN, _l("Unaccompanied children")),
    (Population.CHILDREN_AND_FAMILIES, _l("Children and families")),
    (PhaseKind.EVALUATION, _l("Evaluation of the working model")),
    (PhaseKind.PARTNERSHIP, _l("Partnership agreement")),
    (PhaseKind.DESIGN, _l("Preliminary design")),
    (PhaseKind.WORKS, _l("Works")),
    (PhaseKind.HANDOVER, _l("Handover")),
    (PhaseStatus.NOT_STARTED, _l("Not started")),
    (PhaseStatus.IN_PROGRESS, _l("In progress")),
    (PhaseStatus.DONE, _l("Done")),
    (PhaseStatus.ON_HOLD, _l("On hold")),
    (MilestoneStatus.OPEN, _l("Open")),
    (MilestoneStatus.DONE, _l("Done")),
    (MilestoneStatus.CANCELLED, _l("Cancelled")),
    (ProjectKind.REHABILITATION, _l("Rehabilitation")),
    (ProjectKind.RECONSTRUCTION, _l("Reconstruction")),
    (ProjectState.ACTIVE, _l("Active")),
    (ProjectState.ON_HOLD, _l("On hold")),
    (ProjectState.COMPLETED, _l("Completed")),
    (PhotoStage.BEFORE, _l("Before")),
    (PhotoStage.DURING, _l("During the works")),
    (PhotoStage.AFTER, _l("After")),
    (DocumentKind.AGREEMENT, _l("Agreement")),
    (DocumentKind.DRAWING, _l("Drawing or plan")),
    (DocumentKind.BILL_OF_QUANTITIES, _l("Bill of quantities")),
    (DocumentKind.DESIGN, _l("Design document")),
    (DocumentKind.HANDOVER_ACT, _l("Handover act")),
    (DocumentKind.REPORT, _l("Report")),
    (DocumentKind.OTHER, _l("Other")),
    (DocumentStatus.DRAFT, _l("Draft")),
    (DocumentStatus.APPROVED, _l("Approved")),
    (DocumentStatus.SIGNED, _l("Signed")),
    (AssessmentType.WORKING_MODEL, _l("Working-model evaluation")),
    (AssessmentType.STRUCTURAL, _l("Structural")),
    (AssessmentType.WATER_SANITATION, _l("Water and sanitation")),
    (AssessmentType.ELECTRICAL, _l("Electrical")),
    (AssessmentType.FIRE_SAFETY, _l("Fire and safety")),
    (AssessmentType.ACCESSIBILITY, _l("Accessibility")),
    (AssessmentType.PROTECTION, _l("Protection")),
    (AssessmentStatus.DRAFT, _l("Draft")),
    (AssessmentStatus.SUBMITTED, _l("Submitted for review")),
    (AssessmentStatus.RETURNED, _l("Returned with comments")),
    (AssessmentStatus.APPROVED, _l("Approved")),
    (AssessmentStatus.SUPERSEDED, _l("Superseded by a revision")),
    (AnswerType.YES_NO, _l("Yes / no")),
    (AnswerType.SCORE, _l("Score from 0 to 4")),
    (AnswerType.NUMBER, _l("Number")),
    (AnswerType.TEXT, _l("Text")),
    (Severity.LOW, _l("Low")),
    (Severity.MEDIUM, _l("Medium")),
    (Severity.HIGH, _l("High")),
    (Severity.CRITICAL, _l("Critical")),
    (AgreementKind.MEMORANDUM, _l("Memorandum of understanding")),
    (AgreementKind.COOPERATION, _l("Cooperation agreement")),
    (AgreementKind.PROPERTY_LOAN, _l("Loan or use of a property")),
    (AgreementKind.LETTER_OF_INTENT, _l("Letter of intent")),
    (AgreementKind.WORKS_CONTRACT, _l("Works contract")),
    (AgreementStatus.DRAFT, _l("Draft")),
    (AgreementStatus.NEGOTIATING, _l("Negotiating")),
    (AgreementStatus.SIGNED, _l("Signed")),
    (AgreementStatus.EXPIRED, _l("Expired")),
    (AgreementStatus.TERMINATED, _l("Terminated")),
    (PartyRole.SIGNATORY, _l("Signatory")),
    (PartyRole.IMPLEMENTING, _l("Implementing partner")),
    (PartyRole.FUNDING, _l("Funding partner")),
    (PartyRole.BENEFICIARY, _l("Beneficiary")),
    (PartyRole.WITNESS, _l("Witness")),
    (BudgetCategory.ASSESSMENT_DESIGN, _l("Assessment and design")),
    (BudgetCategory.WORKS, _l("Works")),
    (BudgetCategory.MATERIALS, _l("Materials")),
    (BudgetCategory.EQUIPMENT_FURNITURE, _l("Equipment and furniture")),
    (BudgetCategory.SUPERVISION, _l("Supervision")),
    (BudgetCategory.CONTINGENCY, _l("Contingency")),
    (BudgetCategory.OTHER, _l("Other")),
    (SpendKind.COMMITMENT, _l("Commitment")),
    (SpendKind.EXPENDITURE, _l("Expenditure")),
    (JobStatus.QUEUED, _l("Queued")),
    (JobStatus.RUNNING, _l("Running")),
    (JobStatus.DONE, _l("Ready")),
    (JobStatus.FAILED, _l("Failed")),
    (PhotoCopies.READY, _l("Ready")),
    (PhotoCopies.PENDING, _l("Being prepared")),
    (PhotoCopies.FAILED, _l("Could not be read")),
    (DownloadKind.PHOTOS_ZIP, _l("Photos (ZIP)")),
    (DownloadKind.PORTFOLIO_XLSX, _l("Portfolio workbook (XLSX)")),
    (DownloadKind.PORTFOLIO_CSV_ZIP, _l("Portfolio tables (CSV in a ZIP)")),
    (DownloadKind.PORTFOLIO_IATI, _l("Portfolio in IATI 2.03 XML")),
    (ReportScope.PROJECT, _l("One project")),
    (ReportScope.CENTER, _l("One center")),
    (ReportScope.DONOR, _l("Everything the donor funds")),
    (ReportKind.PROGRESS, _l("Progress report")),
    (ReportKind.HANDOVER, _l("Handover dossier")),
    (ReportSection.SUMMARY, _l("Summary")),
    (ReportSection.PHASES, _l("Where each project stands")),
    (ReportSection.MILESTONES, _l("Milestones")),
    (ReportSection.ASSESSMENTS, _l("Assessments and standards")),
    (ReportSection.BUDGET, _l("Budget against actual")),
    (ReportSection.PHOTOS, _l("Photos")),
    (ReportSection.AGREEMENTS, _l("Agreements and commitments")),
    (ReportSection.RISKS, _l("Risks and next steps")),
    (AuditAction.CREATE, _l("Created")),
    (AuditAction.UPDATE, _l("Updated")),
    (AuditAction.DELETE, _l("Deleted")),
]
LABELS: dict[tuple[type, str], object] = {(type(member), member.value): label for member, label in _LABEL_PAIRS}
