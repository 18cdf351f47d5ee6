"""Budget services on SQLite and PostgreSQL: totals to the cent, conversions that say their rate, corrections."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from app.budgets.analysis import budget_report, budget_totals_for_projects
from app.budgets.models import BudgetLine, Expenditure
from app.budgets.money import line_total
from app.budgets.services import (
    EntryInput,
    LineInput,
    budget_line_update,
    budget_lines_create_all,
    expenditure_correct,
    expenditure_reverse,
    line_check,
)
from app.core.audit.models import AuditEntry
from app.core.enums import AuditAction, BudgetCategory, PhaseKind, SpendKind
from app.core.errors import Conflict, DomainError
from app.extensions import db
from tests.budgets.helpers import add_line, add_rate, funded_project, spend

ON = date(2025, 6, 30)


def test_totals_are_the_same_to_the_cent_on_both_databases_for_many_lines(db_ctx: Flask) -> None:
    rng = random.Random(37)
    project, (funder,) = funded_project()
    values = []
    for n in range(600):
        quantity = Decimal(rng.randint(1, 999_999)) / 1000
        unit_cost = Decimal(rng.randint(1, 99_999_999)) / 100
        values.append(
            line_check(
                project,
                LineInput(
                    PhaseKind.WORKS, BudgetCategory.MATERIALS, f"Item {n}", quantity, "u", unit_cost, "USD", funder.id
                ),
            ).values
        )
    lines = budget_lines_create_all(db.session, project, [v for v in values if v is not None])
    db.session.commit()
    spent_expected = Decimal(0)
    for n in range(400):
        amount = Decimal(rng.randint(1, 9_999_999)) / 100
        spent_expected += amount
        db.session.add(
            Expenditure(
                project_id=project.id,
                line_id=lines[n % len(lines)].id,
                kind=SpendKind.EXPENDITURE,
                spent_on=ON,
                supplier="S",
                amount=amount,
                currency="USD",
                line_amount=amount,
            )
        )
    db.session.commit()
    budget_expected = sum((line_total(v.quantity, v.unit_cost) for v in values if v), Decimal(0))

    report = budget_report(db.session, project, on=ON)
    totals = budget_totals_for_projects(db.session, [project.id], on=ON)[project.id]

    assert report.total.budget == budget_expected == totals.budget
    assert report.total.spent == spent_expected == totals.spent
    assert sum((g.figures.budget for g in report.by_phase), Decimal(0)) == budget_expected
    assert str(report.total.budget) == str(budget_expected.quantize(Decimal("0.01")))


def test_an_expenditure_paid_in_lempiras_is_converted_with_the_rate_of_its_date_and_keeps_it(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder, quantity="1", unit_cost="1000.00")
    add_rate("USD", "HNL", "24.500000", date(2025, 1, 1))
    add_rate("USD", "HNL", "25.000000", date(2025, 4, 1))

    entry = spend(project, line, "2450.00", currency="HNL", spent_on=date(2025, 3, 31))

    assert entry.line_amount == Decimal("100.00")
    assert (entry.fx_rate, entry.fx_valid_on, entry.fx_inverted) == (Decimal("24.5"), date(2025, 1, 1), True)


def test_an_expenditure_in_a_currency_without_a_rate_is_refused_on_the_currency_field(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder)
    with pytest.raises(DomainError) as refused:
        spend(project, line, "10.00", currency="EUR")
    assert refused.value.field == "currency"
    assert db.session.scalar(select(Expenditure.id)) is None


def test_a_report_in_another_currency_says_which_rate_it_used(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    add_line(project, funder, quantity="2", unit_cost="50.00")  # USD 100
    add_line(project, funder, quantity="1", unit_cost="2500.00", currency="HNL")
    add_rate("USD", "HNL", "25.000000", date(2025, 1, 1))

    report = budget_report(db.session, project, on=ON)

    assert report.total.budget == Decimal("200.00")
    assert [(r.stored_pair, r.stored, r.valid_on) for r in report.rates] == [
        (("USD", "HNL"), Decimal("25"), date(2025, 1, 1))
    ]
    in_lempiras = budget_report(db.session, project, currency="HNL", on=ON)
    assert in_lempiras.total.budget == Decimal("5000.00")


def test_lines_without_a_rate_are_left_out_of_the_totals_and_counted(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    add_line(project, funder, unit_cost="1.00", quantity="3")
    add_line(project, funder, currency="EUR")
    report = budget_report(db.session, project, on=ON)
    assert report.total.budget == Decimal("3.00")
    assert report.unconverted == {"EUR": 1}
    assert budget_totals_for_projects(db.session, [project.id], on=ON)[project.id].complete is False


def test_open_commitments_count_until_paid_and_flag_a_line_over_budget(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder, quantity="1", unit_cost="1000.00")
    order = spend(project, line, "800.00", kind=SpendKind.COMMITMENT)
    spend(project, line, "300.00", commitment_id=order.id)

    figures = budget_report(db.session, project, on=ON).lines[0].figures
    assert (figures.committed, figures.spent, figures.remaining) == (
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("200.00"),
    )
    assert not figures.over_budget

    spend(project, line, "250.00")
    figures = budget_report(db.session, project, on=ON).lines[0].figures
    assert figures.over_budget and figures.remaining == Decimal("-50.00")


def test_a_correction_reverses_the_entry_and_records_a_new_one_both_audited(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder)
    wrong = spend(project, line, "120.00")

    reversal, corrected = expenditure_correct(
        db.session,
        wrong,
        reason="Typed 120 instead of 102",
        data=EntryInput(
            line_id=line.id,
            kind=SpendKind.EXPENDITURE,
            spent_on=date(2025, 3, 1),
            supplier="Constructora",
            amount="102.00",
            currency="USD",
        ),
    )
    db.session.commit()

    assert reversal.amount == Decimal("-120.00") and reversal.reverses_id == wrong.id
    assert corrected.amount == Decimal("102.00")
    assert db.session.get(Expenditure, wrong.id).amount == Decimal("120.00")  # never edited
    assert budget_report(db.session, project, on=ON).total.spent == Decimal("102.00")
    created = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "expenditures")).all()
    assert len(created) == 3 and all(entry.project_id == project.id for entry in created)
    assert created[0].center_id == project.center_id
    with force_locale("en"), pytest.raises(DomainError, match="already been reversed"):
        expenditure_reverse(db.session, wrong, reason="again")


def test_editing_a_line_someone_else_saved_is_refused(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder)
    read_version = line.version
    data = LineInput(PhaseKind.WORKS, BudgetCategory.WORKS, "Roof", "12", "m²", "100.00", "USD", funder.id)
    budget_line_update(db.session, line, version=read_version, data=data)
    db.session.commit()
    with pytest.raises(Conflict):
        budget_line_update(db.session, line, version=read_version, data=data)
    db.session.rollback()
    update = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "budget_lines", AuditEntry.action == AuditAction.UPDATE)
    ).one()
    assert update.changes["quantity"] == ["10.000", "12.000"]
    assert update.changes["total"] == ["1000.00", "1200.00"]


def test_a_line_with_entries_keeps_its_currency(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder)
    spend(project, line, "1.00")
    data = LineInput(PhaseKind.WORKS, BudgetCategory.WORKS, "Roof", "10", "m²", "100.00", "HNL", funder.id)
    with pytest.raises(DomainError) as refused:
        budget_line_update(db.session, line, version=line.version, data=data)
    assert refused.value.field == "currency"


def test_a_line_must_be_funded_by_a_funder_of_the_project(db_ctx: Flask) -> None:
    project, _ = funded_project()
    _other, (stranger,) = funded_project("OTHER")
    check = line_check(
        project, LineInput(PhaseKind.WORKS, BudgetCategory.WORKS, "Roof", "1", "", "1.00", "USD", stranger.id)
    )
    assert check.values is None and set(check.errors) == {"funder_id"}


def test_a_donor_scope_sees_only_the_lines_it_funds_and_their_spending(db_ctx: Flask) -> None:
    project, (usaid, sida) = funded_project("USAID-T", "SIDA-T")
    mine = add_line(project, usaid, quantity="1", unit_cost="100.00")
    theirs = add_line(project, sida, quantity="1", unit_cost="900.00")
    spend(project, mine, "10.00")
    spend(project, theirs, "90.00")
    report = budget_report(db.session, project, funder_id=usaid.id, on=ON)
    assert [item.line.id for item in report.lines] == [mine.id]
    assert (report.total.budget, report.total.spent) == (Decimal("100.00"), Decimal("10.00"))
    assert [group.label for group in report.by_donor] == ["USAID-T"]


def test_burn_rate_and_forecast_say_how_they_were_made(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    line = add_line(project, funder, quantity="1", unit_cost="1200.00")
    spend(project, line, "300.00", spent_on=date(2025, 1, 1))
    report = budget_report(db.session, project, on=date(2025, 4, 2))  # 91 days ≈ 2.99 months
    assert report.burn_rate == Decimal("100.34")
    assert report.forecast.method == "plan" and report.forecast.value == Decimal("1200.00")

    project.physical_progress = Decimal("20")
    db.session.commit()
    report = budget_report(db.session, project, on=date(2025, 4, 2))
    assert (report.forecast.method, report.forecast.value) == ("progress", Decimal("1500.00"))


def test_totals_for_many_projects_take_one_query(db_ctx: Flask) -> None:
    from sqlalchemy import event

    ids = []
    for _ in range(4):
        project, (funder,) = funded_project(f"F{len(ids)}")
        line = add_line(project, funder)
        spend(project, line, "5.00")
        ids.append(project.id)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        totals = budget_totals_for_projects(db.session, ids, on=ON)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert {t.budget for t in totals.values()} == {Decimal("1000.00")}
    assert {t.spent for t in totals.values()} == {Decimal("5.00")}


def test_lines_are_stored_exactly_as_typed(db_ctx: Flask) -> None:
    project, (funder,) = funded_project()
    add_line(project, funder, quantity="0.335", unit_cost="3.00")  # 1.005 rounds up to 1.01
    db.session.expire_all()
    line = db.session.scalars(select(BudgetLine)).one()
    assert (line.quantity, line.unit_cost, line.total) == (Decimal("0.335"), Decimal("3.00"), Decimal("1.01"))
