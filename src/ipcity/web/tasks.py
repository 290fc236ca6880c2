"""Report generation as a task: a pilot year's evidence package (every supporting file, in folders, with its
catalogue) can take minutes, so `ipcity evidence-package --queue` leaves it to `ipcity worker`."""

from pathlib import Path

from django_tasks import task


@task()
def write_evidence_package(year: int, output: str) -> dict:
    """Write the package of `year` to `output`: beside it first, moved into place only when complete, so a reader
    never sees half a package. Returns {"files", "folders", "missing"}; audited as the platform's own export."""
    from ipcity.web.evidence_package import package_write

    target = Path(output)
    partial = target.with_name(target.name + ".part")
    try:
        summary = package_write(actor=None, year=year, target=partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return summary
