"""The layer rules of DESIGN.md section 5, kept by import-linter."""

from importlinter.cli import lint_imports


def test_every_import_contract_is_kept() -> None:
    assert lint_imports(no_cache=True, no_logo=True) == 0
