"""Columns made of correlated subqueries, whose SQL the ORM writes once per process:
the signed-in user's roles, the reader's part in a proposal's team, what the editor
asks of its proposal. Built afresh on every request, an Exists or a Subquery costs
the ORM more time than the separate query it saves; written once, a column costs
a tenth of one.

A subquery names the outer row with outer_key() and a value given with each use
with PARAMETER; it holds either such values or fixed ones, never both (their
order in the SQL would be unknown)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import connection
from django.db.models import Field, Model, QuerySet
from django.db.models.expressions import RawSQL

# Stands for a value given with each use of the column.
PARAMETER = RawSQL("%s", ())


def outer_key(model: type[Model]) -> RawSQL:
    """The key of the outer query's row (a row of `model`), inside a subquery."""
    meta, quote = model._meta, connection.ops.quote_name
    return RawSQL(f"{quote(meta.db_table)}.{quote(meta.pk.column)}", ())


@functools.cache
def _written(build: Callable[[], QuerySet]) -> tuple[str, tuple]:
    return build().query.sql_with_params()


def column(
    build: Callable[[], QuerySet], *values, output_field: Field, template="{}"
) -> RawSQL:
    """The first value of the subquery `build` returns, as a column; `values` fill
    its PARAMETER places in order, and `template` wraps it (EXISTS ({}), …)."""
    sql, fixed = _written(build)
    if fixed and values:
        raise ValueError("a column's subquery holds fixed values or given ones")
    return RawSQL(
        template.format(f"({sql})"), fixed or values, output_field=output_field
    )
