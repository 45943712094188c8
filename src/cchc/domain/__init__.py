"""Pure rules of the plan: no I/O, standard library and pydantic only."""
