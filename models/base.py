"""Base classes for the API-facing pydantic types."""
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

# NUL (PostgreSQL cannot store it in text) and the bidirectional embedding, override and isolate
# controls U+202A–U+202E, U+2066–U+2069 (they make a name display reversed or hide part of it).
FORBIDDEN_TEXT_CHARACTERS = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")
_CHARACTER_NAMES = {"\x00": "NUL", "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
                    "\u202c": "pop directional formatting", "\u202d": "left-to-right override",
                    "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
                    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
                    "\u2069": "pop directional isolate"}


def check_text(value: Any) -> Any:
    """``value`` unchanged, or ``PydanticCustomError`` when a string in it (also inside lists, tuples
    and dict keys/values) holds NUL or a bidirectional control character."""
    if isinstance(value, str):
        found = FORBIDDEN_TEXT_CHARACTERS.search(value)
        if found:
            char = found.group()
            raise PydanticCustomError(
                "text_control_character",
                "contains the invisible control character U+{code} ({name}) at position {position}: "
                "remove it (it often comes from copying text out of another program)",
                {"code": f"{ord(char):04X}", "name": _CHARACTER_NAMES[char], "position": found.start() + 1})
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            check_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key)
            check_text(item)
    return value


class StrictModel(BaseModel):
    """Input type: unknown fields are an error, so a typo never passes silently; no text field may
    hold NUL or a bidirectional control character, and no number may be infinite or NaN (JSON's ``1e400``
    parses as infinity): 422 naming the field, on every back end."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        return check_text(value)


class OutModel(BaseModel):
    """Output type: built from ORM rows or dicts."""

    model_config = ConfigDict(from_attributes=True)
