from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE = REPO / "examples" / "syria"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip: dataset files never go into the repository."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent: dataset tests need ../shared/data beside the repository")
    return data
