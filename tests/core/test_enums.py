from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

import app.core.enums as enums


def _labelled() -> list[type[enums.LabelledEnum]]:
    return [
        c
        for c in vars(enums).values()
        if isinstance(c, type) and issubclass(c, enums.LabelledEnum) and c is not enums.LabelledEnum
    ]


def test_every_member_of_every_enum_has_its_own_label(app_ctx: Flask) -> None:
    with force_locale("en"):
        for kind in _labelled():
            for member in kind:
                assert member.label.strip(), member


def test_members_with_the_same_value_keep_their_own_labels(app_ctx: Flask) -> None:
    with force_locale("en"):
        assert enums.PhaseKind.DESIGN.label == "Preliminary design"
        assert enums.DocumentKind.DESIGN.label == "Design document"
