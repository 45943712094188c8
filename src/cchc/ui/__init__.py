"""The Flet app: a shell with one screen per area, built on `cchc.services` only."""
