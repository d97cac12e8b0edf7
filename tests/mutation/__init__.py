"""Mutation testing: the module → tests map, the equivalent mutants and the runner."""
