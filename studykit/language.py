"""Which language the terminal commands speak: ``--lang``, else the reader's locale.

``quiz``, ``review``, ``show``, ``check`` and ``concepts`` take ``--lang en|ko``; without it
they follow the locale (`default_language`), so a Korean desktop gets Korean text.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from typing import Final, Literal

__all__ = ["LANGUAGES", "Language", "add_language_option", "default_language"]

Language = Literal["en", "ko"]
LANGUAGES: Final = ("en", "ko")

LANG_DEFAULT_HELP: Final = "default: Korean when the locale is ko_*, else English"

# The variables that name the locale for messages, most specific first (POSIX).
_LOCALE_VARIABLES: Final = ("LC_ALL", "LC_MESSAGES", "LANG")
# A locale name's language part ends at the territory, codeset or modifier: ko_KR.UTF-8@x.
_LANGUAGE_PART: Final = re.compile(r"[_.@-]")


def default_language(environ: Mapping[str, str] = os.environ) -> Language:
    """The language the reader's locale asks for: ``"ko"`` for a Korean locale, else ``"en"``.

    The locale is the first non-empty of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (POSIX).
    As GNU gettext does, the first entry of ``LANGUAGE`` (a colon-separated list such as
    ``ko:en``) comes before them, but only when that locale is set and is not ``C``, ``C.UTF-8``
    or ``POSIX``: ``LC_ALL=C`` means untranslated messages whatever ``LANGUAGE`` says. The name
    counts as Korean when its language part (before ``_``, ``.``, ``@`` or ``-``) is ``ko``:
    ``ko``, ``ko_KR``, ``ko_KR.UTF-8``; not ``kok_IN`` (Konkani), ``C.UTF-8`` or an empty value.

    Args:
        environ: The environment to read (the process's by default).

    Returns:
        ``"ko"`` or ``"en"``.

    Examples:
        >>> default_language({"LANG": "ko_KR.UTF-8"})
        'ko'
        >>> default_language({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"})
        'en'
        >>> default_language({"LANGUAGE": "ko:en", "LANG": "en_US.UTF-8"})
        'ko'
        >>> default_language({})
        'en'
    """
    locale = next((environ[name] for name in _LOCALE_VARIABLES if environ.get(name)), "")
    name = locale
    if locale and _language_part(locale) not in ("c", "posix"):
        preferred = environ.get("LANGUAGE", "")
        name = next((entry for entry in preferred.split(":") if entry), locale)
    return "ko" if _language_part(name) == "ko" else "en"


def _language_part(name: str) -> str:
    """The language of a locale name, in lower case: ``ko_KR.UTF-8`` → ``ko``."""
    return _LANGUAGE_PART.split(name, maxsplit=1)[0].lower()


def add_language_option(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--lang en|ko`` to ``parser``, defaulting to the locale's language.

    Args:
        parser: The parser of one command (or a parent parser several share).
        what: What the option sets the language of, for the help ("text", "feedback").
    """
    parser.add_argument(
        "--lang",
        default=default_language(),
        choices=LANGUAGES,
        help=f"{what} language ({LANG_DEFAULT_HELP})",
    )
