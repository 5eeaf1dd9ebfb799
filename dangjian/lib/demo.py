"""Demo data beyond the roster: each app that has some registers a step, and `seed_demo`
runs them in order after the organizations, members and demo accounts exist. The members app
sits below the apps that add steps, so it cannot call them itself."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class DemoContext:
    today: dt.date
    rng: random.Random
    log: Callable[[str], None]


Step = Callable[[DemoContext], None]
_steps: list[tuple[str, Step]] = []


def register(name: str, step: Step) -> None:
    if all(existing != name for existing, _ in _steps):
        _steps.append((name, step))


def steps() -> list[tuple[str, Step]]:
    return list(_steps)
