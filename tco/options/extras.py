"""What a self-hosted fleet costs beyond its GPUs and staff: software licences per GPU, an
overhead on the GPU bill, fine-tuning and evaluation compute, and whole servers.

* licences: ``licence_usd_per_gpu_year / 12`` per GPU in service each month;
* overhead: ``overhead_share`` of the month's GPU bill (rent, reserved terms, power, hosting,
  maintenance, depreciation);
* fine-tuning: ``fine_tune_gpu_hours`` once, at the start of the option's window, and
  evaluation: ``eval_gpu_hours_per_month`` every month, both at ``tuning_usd_per_gpu_hour``
  (default: the rental price of a rented fleet);
* whole servers: GPUs come in servers of ``gpus_per_server``, so the fleet steps by servers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tco.core.arrays import nonzero
from tco.core.parts import CostContext
from tco.core.series import one_time_at

__all__ = ["EXTRA_COMPONENTS", "GPU_BILL", "in_servers", "one_time_extras", "recurring_extras"]

EXTRA_COMPONENTS = {
    "licences": "Software licences",
    "overhead": "Overhead on the GPU bill",
    "fine_tuning": "Fine-tuning compute",
    "evaluation": "Evaluation compute",
}
"""The components this module adds, with their labels."""

GPU_BILL = (
    "gpu_rent",
    "gpu_reserved",
    "gpu_on_demand",
    "power",
    "hosting",
    "maintenance",
    "depreciation",
)
"""Recurring components that make up the GPU bill the overhead applies to."""


def in_servers(gpus: np.ndarray, gpus_per_server: int | None) -> np.ndarray:
    """GPUs rounded up to whole servers (a tolerance keeps float noise from adding one).

    Examples
    --------
    >>> in_servers(np.array([0.0, 4.0, 9.0]), 8).tolist()
    [0.0, 8.0, 16.0]
    """
    if gpus_per_server is None:
        return gpus
    return np.ceil(gpus / gpus_per_server * (1.0 - 1e-9)) * gpus_per_server


def _tuning_rate(option: Any) -> Any:
    if option.tuning_usd_per_gpu_hour is not None:
        return option.tuning_usd_per_gpu_hour
    rate = getattr(option.procurement, "usd_per_gpu_hour", None)
    if rate is None:
        raise ValueError(
            f"{option.name}: fine-tuning or evaluation GPU-hours on bought GPUs -> give "
            "tuning_usd_per_gpu_hour (the rate of the compute they run on)"
        )
    return rate


def recurring_extras(
    option: Any, gpus: np.ndarray, recurring: dict[str, np.ndarray], context: CostContext
) -> dict[str, np.ndarray]:
    """Licences, overhead and evaluation per month. [USD/month]"""
    out: dict[str, np.ndarray] = {}
    if nonzero(option.licence_usd_per_gpu_year):
        out["licences"] = gpus * (np.asarray(option.licence_usd_per_gpu_year)[..., None] / 12.0)
    if nonzero(option.overhead_share):
        bill = sum((recurring[k] for k in GPU_BILL if k in recurring), np.zeros(np.shape(gpus)))
        out["overhead"] = bill * np.asarray(option.overhead_share)[..., None]
    if nonzero(option.eval_gpu_hours_per_month):
        hours = np.asarray(option.eval_gpu_hours_per_month)[..., None]
        rate = np.asarray(_tuning_rate(option))[..., None]
        out["evaluation"] = context.within(hours * rate * np.ones(np.shape(gpus)[-1]))
    return out


def one_time_extras(option: Any, months: int, context: CostContext) -> dict[str, np.ndarray]:
    """Fine-tuning compute at the start of the window. [USD]"""
    if not nonzero(option.fine_tune_gpu_hours):
        return {}
    usd = np.asarray(option.fine_tune_gpu_hours) * np.asarray(_tuning_rate(option))
    return {"fine_tuning": one_time_at(usd, context.first_month(), months)}
