"""Sampling uncertain inputs: distributions, a Gaussian copula, correlation matrices.

Each parameter path gets a distribution (a frozen ``scipy.stats`` distribution, or a plain
number for a fixed value). Draws are made by inverse transform from a Gaussian copula:
standard normals ``Z`` (correlated by a Cholesky factor when a correlation matrix is given),
``U = Phi(Z)``, ``x = dist.ppf(U)``. Without a correlation matrix the inputs are
independent. All randomness comes from one ``numpy.random.Generator``; global random state
is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.paths import ParameterSpace, is_number

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = [
    "check_distribution",
    "check_n",
    "checked_draws",
    "correlation_matrix",
    "draw",
    "seeded",
]

_U_MAX = 1.0 - 2.0**-53
"""Largest uniform passed to a ``ppf``: ``Phi(z)`` rounds to 1.0 for z > 8.3."""


def check_n(n: Any, name: str = "n") -> int:
    """``n`` as an int >= 1, else a ValueError."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"{name}: {n!r} -> a whole number of draws >= 1")
    return int(n)


def check_distribution(path: str, dist: Any) -> Any:
    """A frozen distribution (anything with ``ppf``) or a finite number, else TypeError."""
    if is_number(dist):
        return float(dist)
    if isinstance(dist, str):
        raise TypeError(
            f"distributions[{path!r}]: {dist!r} -> a distribution object such as "
            "scipy.stats.norm(loc, scale), not a name"
        )
    if not callable(getattr(dist, "ppf", None)):
        raise TypeError(
            f"distributions[{path!r}]: {type(dist).__name__} -> a frozen scipy.stats "
            "distribution (with a ppf method), e.g. scipy.stats.uniform(1.5, 1.0), or a number"
        )
    return dist


def correlation_matrix(correlation: Any, paths: Sequence[str]) -> np.ndarray | None:
    """The correlation of the copula's normals as a (k, k) array in ``paths`` order.

    ``correlation`` is None, a (k, k) array in the order of ``paths``, a square DataFrame
    labelled by (some of) the paths, or a mapping ``{(path_a, path_b): rho}``; paths it
    does not mention are independent. It must be symmetric with unit diagonal and
    positive definite.
    """
    if correlation is None:
        return None
    k = len(paths)
    index = {p: i for i, p in enumerate(paths)}
    corr = np.eye(k)
    if isinstance(correlation, pd.DataFrame):
        rows, cols = list(correlation.index), list(correlation.columns)
        if rows != cols:
            raise ValueError(
                "correlation: the DataFrame's index and columns must be the same paths"
            )
        for p in rows:
            if p not in index:
                raise ValueError(f"correlation: {p!r} has no distribution; paths are {list(paths)}")
        ix = [index[p] for p in rows]
        corr[np.ix_(ix, ix)] = correlation.to_numpy(dtype=float)
    elif isinstance(correlation, Mapping):
        for pair, rho in correlation.items():
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ValueError(
                    f"correlation: key {pair!r} -> a pair of paths, e.g. "
                    "('baseline.input_usd_per_mtok', 'baseline.output_usd_per_mtok')"
                )
            for p in pair:
                if p not in index:
                    raise ValueError(
                        f"correlation: {p!r} has no distribution; paths are {list(paths)}"
                    )
            if not is_number(rho):
                raise ValueError(f"correlation[{pair!r}]: {rho!r} -> a number in [-1, 1]")
            i, j = index[pair[0]], index[pair[1]]
            if i == j and rho != 1:
                raise ValueError(f"correlation[{pair!r}]: {rho!r} -> a path's own correlation is 1")
            corr[i, j] = corr[j, i] = float(rho)
    else:
        corr = np.asarray(correlation, dtype=float)
        if corr.shape != (k, k):
            raise ValueError(
                f"correlation: shape {corr.shape} -> ({k}, {k}), in the order of distributions"
            )
    if not np.all(np.isfinite(corr)) or np.any(np.abs(corr) > 1):
        raise ValueError("correlation: entries must be finite numbers in [-1, 1]")
    if not np.allclose(corr, corr.T, atol=1e-12, rtol=0):
        raise ValueError("correlation: the matrix must be symmetric")
    if not np.allclose(np.diag(corr), 1.0, atol=1e-12, rtol=0):
        raise ValueError("correlation: the diagonal must be 1")
    smallest = float(np.linalg.eigvalsh(corr).min())
    if smallest <= 1e-12:
        raise ValueError(
            f"correlation: not positive definite (smallest eigenvalue {smallest:.3g}); "
            "the correlations contradict each other"
        )
    return corr


def draw(
    distributions: Mapping[str, Any],
    n: int,
    rng: np.random.Generator,
    correlation: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """``n`` draws per path through a Gaussian copula (independent when no correlation).

    Examples
    --------
    >>> from scipy import stats
    >>> x = draw({"a": stats.uniform(0, 1), "b": 2.0}, 4, np.random.default_rng(0))
    >>> x["b"].tolist(), bool(((x["a"] >= 0) & (x["a"] <= 1)).all())
    ([2.0, 2.0, 2.0, 2.0], True)
    """
    from scipy.special import ndtr  # imported here: scipy takes a while to load

    paths = list(distributions)
    z = rng.standard_normal((n, len(paths)))
    if correlation is not None:
        z = z @ np.linalg.cholesky(correlation).T
    out: dict[str, np.ndarray] = {}
    for j, path in enumerate(paths):
        dist = distributions[path]
        if isinstance(dist, float):
            out[path] = np.full(n, dist)
            continue
        u = np.minimum(ndtr(z[:, j]), _U_MAX)
        out[path] = np.asarray(dist.ppf(u), dtype=float).reshape(n)
    return out


def seeded(seed: Any) -> tuple[np.random.Generator, int | None]:
    """The generator for ``seed`` (an int >= 0, a Generator, or None for fresh entropy),
    and the int that repeats the run (None when a Generator was given)."""
    if isinstance(seed, np.random.Generator):
        return seed, None
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        return np.random.default_rng(entropy), int(entropy)  # type: ignore[arg-type]
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed: {seed!r} -> an int >= 0, a numpy Generator or None")
    return np.random.default_rng(int(seed)), int(seed)


def checked_draws(
    space: ParameterSpace,
    distributions: Mapping[str, Any],
    n: int,
    rng: np.random.Generator,
    correlation: Any,
) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """``n`` draws per path, each checked against what its parameter accepts, and the
    copula's correlation matrix."""
    if not isinstance(distributions, Mapping) or not distributions:
        raise ValueError(
            "distributions: give a mapping of parameter path -> scipy.stats distribution, "
            "e.g. {'candidate.procurement.usd_per_gpu_hour': scipy.stats.uniform(2, 1.5)}"
        )
    params = {path: space.resolve(path) for path in distributions}
    dists = {path: check_distribution(path, d) for path, d in distributions.items()}
    corr = correlation_matrix(correlation, list(dists))
    values = draw(dists, n, rng, corr)
    for path, v in values.items():
        if np.isnan(v).any():
            raise ValueError(
                f"distributions[{path!r}]: gives NaN -> check the distribution's parameters "
                "(scipy.stats returns NaN for invalid ones, e.g. a scale <= 0)"
            )
        space.check(params[path], v, "draws")
    return values, corr
