"""Entry point for an app packaged with `flet build` (the window only; no command line)."""

from __future__ import annotations

import flet as ft

from cchc.paths import resolve_db_path
from cchc.services.door import Door
from cchc.ui.app import build_main


def main() -> None:
    db_path = resolve_db_path(None)
    Door.open(db_path).close()  # create the database and load the plan on first start
    ft.run(build_main(db_path, desktop=True), view=ft.AppView.FLET_APP)


if __name__ == "__main__":
    main()
