"""Where the fitter's size search starts and how it moves: the sizes a bisection can try, a galloping search over
them, and a cheap estimate of a stack's height at a size (no wrapping) to start from.

Only how many sizes :func:`kaartenoptafel.layout.text.fit` wraps a text at depends on this module, never the size
it finds: that is always the one the plain bisection from the top finds (``text._fit_bisect``).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=64)
def trial_sizes(min_size: float, max_size: float) -> tuple[float, ...]:
    """Every size the bisection of ``text._fit_bisect`` can try between ``min_size`` and ``max_size``, ascending,
    with both ends: the bisection's answer is always one of them (the largest it finds that fits)."""
    mids = []

    def split(lo: float, hi: float) -> None:
        if hi - lo > 0.1:
            mid = round((lo + hi) / 2, 2)
            split(lo, mid)
            mids.append(mid)
            split(mid, hi)

    split(min_size, max_size)
    return (min_size, *mids, max_size)


def largest(sizes, ok) -> int:
    """The largest index i with ``ok(sizes[i])`` for an ``ok`` that holds up to some size and not beyond; -1 if none."""
    lo, hi = -1, len(sizes)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(sizes[mid]):
            lo = mid
        else:
            hi = mid
    return lo


def search(fits, lo: int, hi: int, guess: int) -> int:
    """The largest index in (lo, hi) at which ``fits``, given that ``fits(lo)`` (or lo == -1: nothing known to fit)
    and not ``fits(hi)``; -1 when nothing fits. Text that fits at a size fits at every smaller one, so the search
    gallops from ``guess`` (two calls when the guess is right) and then bisects. Returns lo when (lo, hi) is empty."""
    if hi - lo <= 1:
        return lo
    guess = min(max(guess, lo + 1), hi - 1)
    step = 1
    if fits(guess):
        lo = guess
        while lo + step < hi:
            if fits(lo + step):
                lo, step = lo + step, step * 2
            else:
                hi = lo + step
                break
    else:
        hi = guess
        while hi - step > lo:
            if fits(hi - step):
                lo = hi - step
                break
            hi, step = hi - step, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def estimator(items: tuple, style, width: float):
    """A cheap guess at the stack's height as a function of its size, from each paragraph's width at size 1 (no
    wrapping): only where the search for a size starts depends on it, never the size it finds. None when the
    items cannot be measured (then the search starts at the top)."""
    try:
        widths = _widths(items, style)
    except TypeError:  # unhashable
        widths = _widths.__wrapped__(items, style)
    if widths is None or width <= 0:
        return None
    leading = style.leading

    def height(size: float) -> float:
        total = 0.0
        for n, (first, indent, lines) in enumerate(widths):
            total += size * 0.32 if (n and first) else (size * 0.1 if not first else 0.0)
            room = width - indent * size
            if room <= 0:
                return float("inf")
            count = 0
            for w in lines:
                count += max(1, -int(-(w * size * 1.04) // room))  # ceil, with a little slack for ragged lines
            total += count * size * leading
        return total

    return height


@lru_cache(maxsize=8192)
def _widths(items: tuple, style):
    """Per paragraph of ``items`` (as ``text.build_item`` makes them): (first of its item, indent per point of size,
    the width at size 1 of each of its forced lines)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = style.family.face(style.bold, style.italic)
    out = []

    def lines(text: str, label: str | None = None) -> list[float]:
        parts = str(text).replace("*", "").split("\n")
        if label:
            parts[0] = f"{label}: {parts[0]}"
        return [stringWidth(part.strip(), font, 1.0) for part in parts]

    for item in items:
        if item.text is not None:
            out.append((True, 0.0, lines(item.text, item.label)))
            continue
        first = True
        if item.label:
            out.append((True, 0.0, lines(item.label)))
            first = False
        for entry in item.items:
            out.append((first, 0.85, lines(entry)))
            first = False
    return tuple(out)
