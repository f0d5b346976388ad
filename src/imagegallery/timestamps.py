"""Date-times as the library reads them: ISO 8601 text that carries a UTC offset.

Azure writes date-times with up to 7 fractional digits (``2024-08-26T09:05:29.0464492+00:00``);
Python's ``datetime`` holds 6, so the seventh is truncated (entities remember the original text to
write it back). A date-time without an offset is an error: the library never guesses a time zone.

Example:
    >>> from imagegallery import parse_datetime
    >>> parse_datetime("2024-08-26T09:05:29.0464492+00:00").microsecond
    46449
    >>> parse_datetime("2024-08-26T09:05:29")
    Traceback (most recent call last):
    ...
    imagegallery.errors.NaiveDatetimeError: a date-time must carry a UTC offset ...
"""

from __future__ import annotations

from datetime import UTC, datetime

from imagegallery.errors import InvalidDatetimeError, InvalidTypeError, NaiveDatetimeError

__all__ = ["moment", "optional_datetime", "parse_datetime"]


def parse_datetime(text: str | datetime) -> datetime:
    """Parse an ISO 8601 date-time that carries a UTC offset (7-digit fractions are truncated).

    Args:
        text: The text, or an aware ``datetime`` (returned as is).

    Returns:
        The timezone-aware date-time.

    Raises:
        NaiveDatetimeError: The text or datetime has no UTC offset.
        InvalidDatetimeError: The text is not ISO 8601.
        InvalidTypeError: ``text`` is neither a string nor a datetime.

    Example:
        >>> parse_datetime("2025-01-15T03:00:00Z").isoformat()
        '2025-01-15T03:00:00+00:00'
    """
    if isinstance(text, datetime):
        if text.tzinfo is None or text.utcoffset() is None:
            raise NaiveDatetimeError("a date-time must carry a UTC offset", value=text)
        return text
    if type(text) is not str:
        raise InvalidTypeError("expected an ISO 8601 date-time string", value=text)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDatetimeError("not an ISO 8601 date-time", value=text) from None
    if value.tzinfo is None:
        raise NaiveDatetimeError(
            "a date-time must carry a UTC offset ('Z' or '+00:00'); the library never guesses",
            value=text,
        )
    return value


def optional_datetime(value: str | datetime | None) -> datetime | None:
    """``None``, or :func:`parse_datetime` of ``value`` (the converter of optional date fields).

    Example:
        >>> optional_datetime(None) is None, optional_datetime("2030-01-01T00:00:00Z").year
        (True, 2030)
    """
    if value is None:
        return None
    return parse_datetime(value)


def moment(value: object, field: str = "at") -> datetime:
    """A timezone-aware moment given as an argument; ``None`` means now.

    Example:
        >>> from datetime import UTC
        >>> moment(datetime(2025, 3, 1, tzinfo=UTC)).isoformat()
        '2025-03-01T00:00:00+00:00'
        >>> moment(datetime(2025, 3, 1))
        Traceback (most recent call last):
        ...
        imagegallery.errors.NaiveDatetimeError: at: must be timezone-aware ...
    """
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, datetime):
        raise InvalidTypeError("expected a timezone-aware datetime", field=field, value=value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            "must be timezone-aware (for example datetime.now(UTC)); the library never guesses",
            field=field,
            value=value,
        )
    return value
