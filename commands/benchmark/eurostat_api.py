"""Eurostat's dissemination API (JSON-stat 2.0): asking for a dataset and reading the answer.

One request fetches a dataset for the partner regions' NUTS codes; every other dimension must
be pinned to one category with filters (``unit=PC_GDP``). Eurostat's status flags (p
provisional, e estimated, b break in series) come with their labels.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_API_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/"


TIMEOUT_SECONDS = 60


# Eurostat's flags, for responses that do not label them.
STATUS_LABELS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}


_DATASET = re.compile(r"^[A-Za-z0-9_]+$")


class EurostatError(Exception):
    """Eurostat could not be asked, or answered something that cannot be imported."""


def api_url(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    url = env.get("EUROSTAT_API_URL", "").strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def fetch(
    dataset: str, params: list[tuple[str, str]], *, base_url: str | None = None
) -> dict[str, Any]:
    """The dataset as a JSON-stat document; repeated parameters select several codes."""
    import requests

    if not _DATASET.match(dataset):
        raise EurostatError(f"“{dataset}” is not a Eurostat dataset code (e.g. rd_e_gerdreg).")
    url = (base_url or api_url()) + dataset
    query = [("format", "JSON"), ("lang", "EN"), *params]
    try:
        response = requests.get(url, params=query, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise EurostatError(f"Eurostat could not be reached: {error}") from error
    try:
        document = response.json()
    except ValueError:
        document = None
    if response.status_code != 200 or not isinstance(document, dict) or "error" in document:
        raise EurostatError(_error_text(dataset, response.status_code, document, response.text))
    return document


def _error_text(dataset: str, status: int, document: Any, body: str) -> str:
    detail = ""
    if isinstance(document, dict) and "error" in document:
        errors = document["error"]
        errors = errors if isinstance(errors, list) else [errors]
        detail = "; ".join(
            str(e.get("label", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    detail = detail or body.strip()[:200] or "no details"
    return f"Eurostat refused {dataset} (HTTP {status}): {detail}"


@dataclass(frozen=True)
class Observation:
    geo: str
    time: str
    value: float
    status: str | None  # a flag such as "p", or None


@dataclass(frozen=True)
class Dataset:
    label: str
    dimensions: dict[str, list[str]]  # dimension id -> category codes, in index order
    observations: list[Observation]
    status_labels: dict[str, str]


def _categories(dimension: dict[str, Any]) -> list[str]:
    index = dimension.get("category", {}).get("index", {})
    if isinstance(index, list):
        return [str(code) for code in index]
    return [code for code, _ in sorted(index.items(), key=lambda item: item[1])]


def _sparse(raw: Any, total: int) -> dict[int, Any]:
    """JSON-stat ``value``/``status``: an object keyed by flat index, a dense array, or one
    value for every cell."""
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {int(key): item for key, item in raw.items() if item is not None}
    if isinstance(raw, list):
        return {i: item for i, item in enumerate(raw) if item is not None}
    return dict.fromkeys(range(total), raw)


def positions(flat: int, sizes: list[int]) -> list[int]:
    """The category positions of a flat index; row-major, the last dimension varies fastest."""
    out = []
    for size in reversed(sizes):
        flat, position = divmod(flat, size)
        out.append(position)
    return out[::-1]


def parse(document: dict[str, Any]) -> Dataset:
    """A JSON-stat 2.0 dataset, with its ``geo`` and ``time`` observations."""
    try:
        ids: list[str] = list(document["id"])
        sizes: list[int] = [int(n) for n in document["size"]]
        dimensions = {d: _categories(document["dimension"][d]) for d in ids}
    except (KeyError, TypeError, ValueError) as error:
        raise EurostatError(f"The answer is not a JSON-stat dataset (missing {error}).") from error
    if "geo" not in ids or "time" not in ids:
        raise EurostatError("The dataset has no geo and time dimensions to map to regions.")
    total = 1
    for n in sizes:
        total *= n
    values = _sparse(document.get("value"), total)
    statuses = _sparse(document.get("status"), total)
    geo_at, time_at = ids.index("geo"), ids.index("time")
    observations = []
    for flat, value in sorted(values.items()):
        where = positions(flat, sizes)
        observations.append(
            Observation(
                geo=dimensions["geo"][where[geo_at]],
                time=dimensions["time"][where[time_at]],
                value=float(value),
                status=statuses.get(flat) or None,
            )
        )
    labels = dict(STATUS_LABELS)
    extension_labels = document.get("extension", {}).get("status", {}).get("label", {})
    if isinstance(extension_labels, dict):
        labels.update({k: str(v).lower() for k, v in extension_labels.items()})
    return Dataset(
        label=str(document.get("label", "")),
        dimensions=dimensions,
        observations=observations,
        status_labels=labels,
    )
