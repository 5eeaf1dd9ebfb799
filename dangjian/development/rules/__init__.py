"""The member-development rules engine (发展党员): pure Python, no Django.

- ``steps``: the 5 stages and 25 steps of the national flowchart, with the fields each records.
- ``versions``: the rule versions (``2014.06``, ``2026.05``) and their numbers and articles.
- ``model``: the plain data the engine reads (a case's history, a new step, facts, config).
- ``checks``: one function per rule identifier (domain-rules.md sections 1.3 to 1.5).
- ``engine``: ``evaluate`` (the violations of a new step) and ``next_step`` (deadlines).

The Django layer loads a case into these dataclasses, calls the engine and translates the
English format strings of the violations.
"""
