"""What the cost engine reads: token and request arrays per month, split in one place.

:class:`UsageArrays` holds input, output and cached input tokens and requests per month
(months on the last axis, leading batch axes broadcast), with the load shape the fleet is
sized for. :meth:`UsageArrays.split` is the one place where total tokens become input,
output and cached input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

__all__ = ["UsageArrays", "nonzero"]


def nonzero(value: Any) -> bool:
    """Whether a parameter (a number, or the array of a batch's draws) is other than 0
    anywhere; None is not. A plain number is answered without numpy's overhead (the cost
    engine asks this of every optional price on every costing).

    >>> nonzero(0.0), nonzero(0.1), nonzero(None), nonzero(np.array([0.0, 2.0]))
    (False, True, False, True)
    """
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    return bool(np.any(np.asarray(value) != 0))


@dataclass(frozen=True)
class UsageArrays:
    """Monthly token arrays of one usage, or of a batch (leading axes broadcast).

    All arrays have months on the last axis. ``cached_input`` is part of ``input``, and so
    is ``cache_writes`` (input written to a prompt cache; None: none); ``output`` includes
    hidden reasoning tokens. ``requests`` is None when the usage does not say how many
    tokens a request has. ``length_mix`` gives input tokens per request and the share of
    tokens at that length (None: not stated); ``start`` is the calendar month of month 1
    (None: the current month).
    """

    input: np.ndarray
    output: np.ndarray
    cached_input: np.ndarray
    peak_to_average: Any
    operating_hours: Any
    requests: np.ndarray | None = None
    cache_writes: np.ndarray | None = None
    bytes_per_request: Any = None
    length_mix: tuple[tuple[float, float], ...] | None = None
    start: date | None = None

    @classmethod
    def split(
        cls,
        total: np.ndarray,
        *,
        output_share: Any,
        cached_input_share: Any,
        peak_to_average: Any,
        operating_hours: Any,
        tokens_per_request: Any = None,
        bytes_per_request: Any = None,
        cache_write_share: Any = 0.0,
        reasoning_per_output: Any = 0.0,
        length_mix: tuple[tuple[float, float], ...] | None = None,
        start: date | None = None,
    ) -> UsageArrays:
        """Input, output, cached input and requests from total tokens per month.

        Parameters
        ----------
        total : ndarray, shape (..., H)
            Input + output tokens per month. [tokens/month]
        output_share, cached_input_share : numeric
            Output share of all tokens, cached share of input tokens (batch axes broadcast
            before the months axis). [0-1]
        peak_to_average, operating_hours : numeric
            Passed through. [-], [h/month]
        tokens_per_request : numeric, optional
            Mean input + output tokens of a request. [tokens]
        bytes_per_request : numeric, optional
            Mean bytes of a request and its response, for egress. [bytes]
        cache_write_share : numeric
            Share of input tokens written to a prompt cache. [0-1]
        reasoning_per_output : numeric
            Hidden reasoning tokens per visible output token (output includes them). [-]
        length_mix, start
            Passed through (see the class).

        Examples
        --------
        >>> a = UsageArrays.split(np.array([100.0]), output_share=0.25, cached_input_share=0.2,
        ...                       peak_to_average=1.0, operating_hours=730.0,
        ...                       tokens_per_request=50.0)
        >>> a.input.tolist(), a.cached_input.tolist(), a.output.tolist(), a.requests.tolist()
        ([75.0], [15.0], [25.0], [2.0])
        """
        out_share = np.asarray(output_share)[..., None]
        inp = total * (1.0 - out_share)
        output = total * out_share
        if nonzero(reasoning_per_output):
            output = output * (1.0 + np.asarray(reasoning_per_output)[..., None])
        requests = None
        if tokens_per_request is not None:
            requests = total / np.asarray(tokens_per_request, dtype=float)[..., None]
        writes = None
        if nonzero(cache_write_share):
            writes = inp * np.asarray(cache_write_share)[..., None]
        return cls(
            input=inp,
            output=output,
            cached_input=inp * np.asarray(cached_input_share)[..., None],
            peak_to_average=peak_to_average,
            operating_hours=operating_hours,
            requests=requests,
            cache_writes=writes,
            bytes_per_request=bytes_per_request,
            length_mix=length_mix,
            start=start,
        )

    @property
    def months(self) -> int:
        return int(self.input.shape[-1])

    @property
    def uncached_input(self) -> np.ndarray:
        return self.input - self.cached_input

    @property
    def total(self) -> np.ndarray:
        return self.input + self.output

    @property
    def egress_gb(self) -> np.ndarray | None:
        """Bytes sent per month, requests x bytes per request (None: not stated). [GB]"""
        if self.requests is None or self.bytes_per_request is None:
            return None
        return self.requests * np.asarray(self.bytes_per_request, dtype=float)[..., None] / 1e9

    def scaled(self, share: Any) -> UsageArrays:
        """The same usage with every token and request array multiplied by ``share``."""
        share = np.asarray(share, dtype=float)
        return replace(
            self,
            input=self.input * share,
            output=self.output * share,
            cached_input=self.cached_input * share,
            requests=None if self.requests is None else self.requests * share,
            cache_writes=None if self.cache_writes is None else self.cache_writes * share,
        )

    @classmethod
    def combined(cls, parts: Sequence[UsageArrays], like: UsageArrays) -> UsageArrays:
        """The sum of several usages with ``like``'s load shape (e.g. task classes served
        together)."""
        zero = np.zeros_like(like.input)

        requests = [p.requests for p in parts if p.requests is not None]
        writes = [p.cache_writes for p in parts if p.cache_writes is not None]
        return replace(
            like,
            input=sum((p.input for p in parts), zero),
            output=sum((p.output for p in parts), zero),
            cached_input=sum((p.cached_input for p in parts), zero),
            requests=sum(requests, zero) if parts and len(requests) == len(parts) else None,
            cache_writes=sum(writes, zero) if writes else None,
        )
