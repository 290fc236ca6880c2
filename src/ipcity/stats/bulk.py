"""Writing many registry records at once: one prepared INSERT or UPDATE run over a list of rows (executemany).

The registries' own imports store tens of thousands of rows per file. Django's save() costs a round trip per row, and
bulk_create and bulk_update still prepare every value of every row through the field machinery (and bulk_update
writes a CASE per field and row); here each column's conversion is chosen once and the driver runs the statement over
the rows (SQLite in C; on PostgreSQL new rows go by COPY, updates by psycopg's pipeline). The statements go through Django's cursor, inside the import's
transaction, so the data-version watch (ipcity.versions) sees every one of them.

Numbers are checked against their column's rule (ipcity.bounds) as save() checks them: the importer's parsers already
hold them to the same rules, so nothing is refused here that a save() would have taken."""

import functools
import json
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import connection, models

from ipcity.bounds import DecimalRule, NumberRefused, field_rule

_AS_IS = (models.CharField, models.TextField, models.BooleanField)


def _converter(model, field) -> Callable:
    """How one field's Python value becomes the value the driver is handed."""
    ops = connection.ops  # resolved once: the connection proxy costs a lookup per use
    if field.is_relation:
        return lambda value: value.pk if isinstance(value, models.Model) else value
    if isinstance(field, _AS_IS):
        return lambda value: value
    if type(field) is models.DateField:
        adapt = ops.adapt_datefield_value
        return lambda value: None if value is None else adapt(value)
    if isinstance(field, models.JSONField):  # None is SQL NULL, as save() stores it
        adapt_json, encoder = ops.adapt_json_value, field.encoder
        return lambda value: None if value is None else adapt_json(value, encoder)
    prepare = field.get_db_prep_save
    if isinstance(field, (models.DecimalField, models.IntegerField)):
        rule = field_rule(model, field.name)
        check = functools.partial(rule.check, rounding=True) if isinstance(rule, DecimalRule) else rule.check

        def checked(value):  # as bounds.guard_model_numbers checks every save()
            if value is None:
                return None
            try:
                check(value)
            except NumberRefused as refused:
                raise ValidationError({field.name: [str(refused)]}) from None
            return prepare(value, connection)
        return checked
    return lambda value: prepare(value, connection)


def _copy_converter(model, field) -> Callable:
    """As _converter, for a value COPY takes as text: a JSON value as its JSON text, which the column parses (a
    fifth of the cost of handing psycopg a wrapper to dump)."""
    if isinstance(field, models.JSONField):
        dumps = json.dumps if field.encoder is None else functools.partial(json.dumps, cls=field.encoder)
        return lambda value: None if value is None else dumps(value)
    return _converter(model, field)


class Writer:
    """INSERTs of whole rows (every column; what a row leaves out takes the field's default) and UPDATEs by primary
    key of the named fields, for one model."""

    def __init__(self, model, updated: Iterable[str] = ()):
        self.model = model
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.inserted = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.name: f.get_default() for f in self.inserted}
        self.convert = {f.name: _converter(model, f) for f in self.inserted}
        self.copy_convert = {f.name: _copy_converter(model, f) for f in self.inserted}
        columns = ", ".join(quote(f.column) for f in self.inserted)
        self.insert_sql = f"INSERT INTO {self.table} ({columns}) VALUES ({', '.join(['%s'] * len(self.inserted))})"
        self.copy_sql = f"COPY {self.table} ({columns}) FROM STDIN"
        self.updated = [model._meta.get_field(name) for name in updated]
        self.update_sql = (f"UPDATE {self.table} SET {', '.join(f'{quote(f.column)} = %s' for f in self.updated)} "
                           f"WHERE {quote(model._meta.pk.column)} = %s")

    def insert(self, rows: Iterable[dict]) -> int:
        """New records, each a dict of field name → value (a related record or its id)."""
        rows = list(rows)
        if connection.vendor == "postgresql" and len(rows) > 1:
            # COPY: a third of executemany's time. It passes under the cursor's execute wrappers, so the last row
            # goes in by INSERT, which the data-version watch sees (in the same transaction: the version moves).
            with connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
                for values in self._values(rows[:-1], self.copy_convert):
                    copy.write_row(values)
            self._run(self.insert_sql, self._values(rows[-1:], self.convert))
            return len(rows)
        return self._run(self.insert_sql, self._values(rows, self.convert))

    def _values(self, rows: list[dict], converters: dict[str, Callable]) -> list[list]:
        names = [(f.name, converters[f.name], self.defaults[f.name]) for f in self.inserted]
        return [[convert(row.get(name, default)) for name, convert, default in names] for row in rows]

    def update(self, records: Iterable[dict]) -> int:
        """Records given as dicts of field name → value, with their "id": the fields named when the writer was made
        are written."""
        fields = [(f.name, self.convert[f.name]) for f in self.updated]
        params = [[convert(record[name]) for name, convert in fields] + [record["id"]] for record in records]
        return self._run(self.update_sql, params)

    @staticmethod
    def _run(sql: str, params: list) -> int:
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        return len(params)


IN_LIST = 900  # values per IN (…) list: under SQLite's limit on a statement's parameters
ANY_ARRAY = 20_000  # values per PostgreSQL array parameter


def having(queryset, field: str, values: Iterable) -> list:
    """The records of `queryset` whose `field` is one of `values`. On PostgreSQL the values go as one array parameter
    per ANY_ARRAY of them (`= ANY(%s)`): an IN list of 900 placeholders costs a query's round trip and the parsing of
    every placeholder, on both sides, per 900 values. Elsewhere IN_LIST values per query."""
    values = list(dict.fromkeys(values))
    queryset = queryset.order_by()
    if connection.vendor != "postgresql":
        return [record for start in range(0, len(values), IN_LIST)
                for record in queryset.filter(**{f"{field}__in": values[start:start + IN_LIST]})]
    quote, meta = connection.ops.quote_name, queryset.model._meta
    where = f"{quote(meta.db_table)}.{quote(meta.get_field(field).column)} = ANY(%s)"
    return [record for start in range(0, len(values), ANY_ARRAY)
            for record in queryset.extra(where=[where], params=[values[start:start + ANY_ARRAY]])]


ANALYZE_AFTER = 5_000  # rows written at once beyond which PostgreSQL's planner statistics are renewed


def analyze(model, written: int) -> None:
    """After a large import, renew PostgreSQL's statistics of the table (autovacuum would, later): without them the
    next import's lookups by key plan as if the table were still empty and scan it whole. Inside the transaction,
    so it sees the rows just written. SQLite plans by its indexes alone."""
    if connection.vendor == "postgresql" and written >= ANALYZE_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
