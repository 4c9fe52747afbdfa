"""Fixtures of the statistics tests: a clock the services obey (`clock.set(moment)`), an agency
with its officers (`make_office`), and dossiers driven through the workflow (`life`)."""

import pytest

from .timeline import Clock, Life, Office, at, office

__all__ = ["at"]


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def make_office():
    return office


@pytest.fixture
def life(clock):
    def make(where: Office, **kwargs) -> Life:
        return Life(clock, where, **kwargs)

    return make
