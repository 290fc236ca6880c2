"""Activities other apps record and the indicator engine counts (navigation projects completed, high-value
portfolios established, …). An app registers a source in its AppConfig.ready(); the registry snapshot takes the
sources' records, and a write to any of a source's models moves the registry version (ipcity/versions.py), so a
new activity shows in the indicators at once."""

from collections.abc import Callable
from dataclasses import dataclass

from ipcity.stats.core.records import Activity


@dataclass(frozen=True)
class ActivitySource:
    kinds: tuple[str, ...]
    columns: tuple[str, ...]  # the headings of the lineage rows
    models: tuple[str, ...]  # "app_label.Model" of every table `records` reads: their writes move the version
    records: Callable[[], list[Activity]]
    rows: Callable[[list[str]], list[list]]  # lineage rows for keys, in their order
    # Lineage is public, so `rows` masks what is not (an SME's name under custody, a case's party). The office sees
    # the names (`unmasked_rows`, under `unmasked_columns`) for the kinds in `unmasked_kinds`, each view audited.
    unmasked_kinds: tuple[str, ...] = ()
    unmasked_columns: tuple[str, ...] = ()
    unmasked_rows: Callable[[list[str]], list[list]] | None = None


SOURCES: list[ActivitySource] = []


def register(source: ActivitySource) -> None:
    if not any(s.kinds == source.kinds for s in SOURCES):
        SOURCES.append(source)


def source_for(kind: str) -> ActivitySource:
    return next(s for s in SOURCES if kind in s.kinds)


# What the engine reads besides the activity sources: the registries, its settings and coverage, and the
# organizations its breakdowns group by.
ENGINE_MODELS = ("stats.Patent", "stats.LegalEvent", "stats.Trademark", "stats.Pledge", "stats.InsurancePolicy",
                 "stats.SecuritizationProduct", "stats.PopulationFigure", "stats.SeiIpcEntry", "stats.EngineSetting",
                 "stats.RegistryCoverage", "accounts.Organization")


def engine_models() -> list[str]:
    """Every model the indicator engine reads: the "registry" scope of ipcity/versions.py."""
    return list(dict.fromkeys([*ENGINE_MODELS, *(label for source in SOURCES for label in source.models)]))
