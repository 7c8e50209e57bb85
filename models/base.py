"""Base classes for the API-facing pydantic types."""
from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Input type: unknown fields are an error, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutModel(BaseModel):
    """Output type: built from ORM rows or dicts."""

    model_config = ConfigDict(from_attributes=True)
