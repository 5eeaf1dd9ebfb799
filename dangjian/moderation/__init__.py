"""Sensitive-word moderation (issue 3). So far: the engine (engine.py, normalize.py, pinyin.py),
pure Python and numpy; the service, review queue and administration follow."""
