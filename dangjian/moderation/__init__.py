"""Sensitive-word moderation: the engine (engine.py, normalize.py, pinyin.py; pure Python and
numpy), the dictionary kept current in every process (dictionary.py), the screening of every
text a user writes (services.moderate, reached by writers through dangjian.lib.screening), the
review queue, dictionary administration and monitoring. See docs/decisions/0006."""
