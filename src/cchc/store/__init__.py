"""The local store: SQLite through sqlite-utils, migrations, the unit of work, the plan seed."""
