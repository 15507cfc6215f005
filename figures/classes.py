"""Map classes (pure): quantiles, natural breaks (Fisher–Jenks) and classes diverging around a
reference value (the metropolis value for rates). Breaks are the ``k + 1`` class bounds, sorted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from config.texts import t
from figures.base import DIVERGING_HIGH, DIVERGING_LOW, SEQUENTIAL

METHODS = ("quantiles", "jenks")


@dataclass(frozen=True)
class Classes:
    """Class bounds, a colour per class, and where the reference value falls (diverging only)."""

    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    method: str
    center: float | None = None

    @property
    def k(self) -> int:
        return len(self.colors)

    def index(self, values: Sequence[float]) -> np.ndarray:
        """Class index (0..k-1) of each value; -1 for missing values."""
        arr = np.asarray(values, dtype=float)
        inner = np.asarray(self.breaks[1:-1], dtype=float)
        idx = np.searchsorted(inner, arr, side="right")
        return np.where(np.isfinite(arr), np.clip(idx, 0, self.k - 1), -1)

    def labels(self, fmt: Callable[[float], str], lang: str = "fr") -> list[str]:
        """« 11,5 % à < 11,8 % » for each class, « 14,5 % à 16,8 % » for the last: contiguous
        ranges read from the breaks, as ``index`` assigns them (a value on a bound belongs to the
        class above; the last class holds the maximum). Not each class's smallest and largest
        member: those left gaps, and the reference value between two classes in neither (R1 #12).
        """
        out = []
        last = len(self.breaks) - 2
        for k, (lo, hi) in enumerate(zip(self.breaks[:-1], self.breaks[1:], strict=True)):
            a, b = fmt(lo), fmt(hi)
            key = "map.class_last" if k == last else "map.class_range"
            out.append(a if a == b else t(key, lang, lo=a, hi=b))
        return out


def _clean(values: Sequence[float]) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    return np.sort(arr[np.isfinite(arr)])


def quantile_breaks(values: Sequence[float], k: int = 5) -> list[float]:
    """Bounds of ``k`` classes holding about the same number of values (duplicates merged)."""
    arr = _clean(values)
    if arr.size == 0:
        return []
    qs = np.quantile(arr, np.linspace(0, 1, k + 1))
    return _unique(qs)


def jenks_breaks(values: Sequence[float], k: int = 5) -> list[float]:
    """Fisher–Jenks natural breaks: the ``k`` classes minimising the within-class variance."""
    arr = _clean(values)
    n = arr.size
    if n == 0:
        return []
    k = max(1, min(k, len(np.unique(arr))))
    cum = np.concatenate([[0.0], np.cumsum(arr)])
    cum2 = np.concatenate([[0.0], np.cumsum(arr**2)])

    def ssd(i: np.ndarray, j: int) -> np.ndarray:  # sum of squared deviations of arr[i:j]
        cnt = j - i
        s = cum[j] - cum[i]
        return cum2[j] - cum2[i] - s * s / np.maximum(cnt, 1)

    cost = np.full((k + 1, n + 1), np.inf)
    back = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)
            total = cost[c - 1, i] + ssd(i, j)
            best = int(np.argmin(total))
            cost[c, j], back[c, j] = total[best], i[best]
    bounds, j = [arr[-1]], n
    for c in range(k, 0, -1):
        i = back[c, j]
        bounds.append(arr[i])
        j = i
    return _unique(sorted(bounds))


def _unique(bounds: Sequence[float]) -> list[float]:
    out: list[float] = []
    for b in bounds:
        if not out or b > out[-1] + 1e-12:
            out.append(float(b))
    if len(out) == 1:
        out.append(out[0])
    return out


def sequential(values: Sequence[float], method: str = "quantiles", k: int = 5) -> Classes:
    """Sequential classes (light = low) by quantiles or natural breaks."""
    breaks = jenks_breaks(values, k) if method == "jenks" else quantile_breaks(values, k)
    n = max(1, len(breaks) - 1)
    step = (len(SEQUENTIAL) - 1) / max(1, n - 1)
    colors = tuple(SEQUENTIAL[round(i * step)] for i in range(n)) if n > 1 else (SEQUENTIAL[3],)
    return Classes(tuple(breaks), colors, method)


def diverging(values: Sequence[float], center: float, method: str = "quantiles", k_side: int = 3) -> Classes:
    """Classes below and above ``center`` (purple below, orange above), each side split by ``method``.

    Falls back to sequential classes when every value is on the same side of ``center``.
    """
    arr = _clean(values)
    low, high = arr[arr < center], arr[arr >= center]
    if low.size == 0 or high.size == 0:
        return sequential(arr, method, 2 * k_side)
    split = jenks_breaks if method == "jenks" else quantile_breaks
    lo_b = split(np.append(low, center), min(k_side, low.size))
    hi_b = split(np.append(high, center), min(k_side, high.size))
    lo_b = [b for b in lo_b if b < center] + [center]
    hi_b = [center] + [b for b in hi_b if b > center]
    if len(hi_b) == 1:
        hi_b.append(center)
    n_lo, n_hi = len(lo_b) - 1, len(hi_b) - 1
    colors = DIVERGING_LOW[len(DIVERGING_LOW) - n_lo :] + DIVERGING_HIGH[:n_hi]
    return Classes(tuple(lo_b + hi_b[1:]), tuple(colors), method, center)


def discrete_colorscale(colors: Sequence[str]) -> list[list]:
    """A stepped plotly colorscale for class indices 0..k-1 (use zmin=-0.5, zmax=k-0.5)."""
    k = len(colors)
    scale: list[list] = []
    for i, color in enumerate(colors):
        scale += [[i / k, color], [(i + 1) / k, color]]
    return scale
