import pytest

from ipcity.evidence.ledger import forget_tree


@pytest.fixture(autouse=True)
def fresh_log_cache():
    """Each test's database starts where the last one's rollback left it; the process's tree copy must too."""
    forget_tree()
    yield
    forget_tree()
