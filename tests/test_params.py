"""Declared parameters: paths, labels, varied copies and checks come from one declaration."""

from __future__ import annotations

from typing import Annotated, ClassVar

import numpy as np
import pytest

import tco
from tco.core.arrays import UsageArrays
from tco.core.option import component_label
from tco.core.params import ParamError, declared, rejection, vary
from tco.core.parts import CostContext, CostParts
from tco.core.units import NonNegative


def api() -> tco.VendorAPI:
    return tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)


def fleet(**kw: object) -> tco.SelfHosted:
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=10_000,
        decode_tokens_per_s=1_000,
        procurement=kw.pop("procurement", tco.Rent(2.0)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_paths_labels_units_and_drivers_come_from_the_fields() -> None:
    d = declared(fleet())
    rent = d["procurement.usd_per_gpu_hour"]
    assert (rent.param.label, rent.param.unit, rent.param.driver) == (
        "GPU rental price",
        "USD per GPU-hour",
        "gpu_price",
    )
    assert rent.axis_label == "GPU rental price [USD per GPU-hour]"
    assert d["gpus_per_replica"].integer and not d["target_utilization"].integer
    assert "fixed_replicas" not in d and "procurement.always_on" not in d  # not variable
    bought = declared(fleet(procurement=tco.Buy(30_000.0)))
    assert bought["procurement.powered_hours_per_month"].value is None  # optional, unset


def test_strategies_and_usage_name_their_parts() -> None:
    overflow = tco.Overflow(fleet(), api())
    assert "fleet.procurement.usd_per_gpu_hour" in declared(overflow)
    assert "api.output_usd_per_mtok" in declared(overflow)
    nested = tco.Switch(
        tco.Switch(api(), fleet(), month=2), api().model_copy(update={"name": "b"}), month=4
    )
    assert "first.then.setup_usd" in declared(nested)
    usage = tco.Usage.compound(start=1e9, monthly_growth=0.05, months=6, output_share=0.2)
    assert {"start", "monthly_growth", "output_share"} <= set(declared(usage))


def test_vary_sets_arrays_without_validation_and_refuses_unknown_paths() -> None:
    rates = np.array([1.0, 3.0])
    varied = vary(fleet(), {"procurement.usd_per_gpu_hour": rates})
    assert varied.procurement.usd_per_gpu_hour is rates
    assert fleet().procurement.usd_per_gpu_hour == 2.0  # the original is untouched
    with pytest.raises(ParamError, match=r"unknown parameter\(s\) \['procurement\.nope'\]"):
        vary(fleet(), {"procurement.nope": 1.0})


def test_the_cache_price_follows_the_input_price_unless_it_has_its_own() -> None:
    follows = vary(api(), {"input_usd_per_mtok": np.array([1.0, 4.0])})
    assert follows.cache_read_usd_per_mtok.tolist() == [1.0, 4.0]
    own = tco.VendorAPI(
        "own", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0, cache_read_usd_per_mtok=0.2
    )
    assert vary(own, {"input_usd_per_mtok": 5.0}).cache_read_usd_per_mtok == 0.2


def test_rejection_uses_the_models_own_validation() -> None:
    d = declared(fleet())
    assert "greater than 0" in str(rejection(d["procurement.usd_per_gpu_hour"], -1.0))
    assert rejection(d["procurement.usd_per_gpu_hour"], 3.0) is None
    usage = tco.Usage.compound(start=1e9, monthly_growth=0.05, months=1200, output_share=0.2)
    growth = declared(usage)["monthly_growth"]
    assert rejection(growth, 5.0) is None  # the curve alone accepts it ...
    assert "non-finite" in str(rejection(growth, 5.0, root=usage))  # ... the usage does not


class EgressAPI(tco.VendorAPI):
    """A vendor API that also bills egress per request: one field, one component."""

    COMPONENTS: ClassVar[dict[str, str]] = {"egress": "Egress"}
    egress_usd_per_request: Annotated[
        NonNegative, tco.Param("egress per request", "USD/request")
    ] = 0.0

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        parts = super().costs(usage, context)
        assert usage.requests is not None
        fee = np.asarray(self.egress_usd_per_request)[..., None]
        parts.recurring["egress"] = context.within(usage.requests * fee)
        return parts


def test_a_new_cost_component_needs_its_option_its_declaration_and_a_label() -> None:
    usage = tco.Usage.from_requests(1_000_000, 700, 300, months=12)  # 1e6 requests a month
    egress = EgressAPI(
        "egress", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0, egress_usd_per_request=1e-4
    )
    # 1e6 requests x $0.0001 = $100 a month on top of the same tokens
    sim = tco.simulate([api(), egress], usage)
    assert sim.by_component("egress")["egress"].tolist() == pytest.approx([100.0] * 12)
    assert component_label("egress") == "Egress"
    # and every analysis can vary it, with no list kept anywhere else
    paths = tco.parameter_paths(api(), egress, usage)
    assert "candidate.egress_usd_per_request" in paths
    t = tco.tornado(
        api(),
        egress,
        usage,
        {"candidate.egress_usd_per_request": (0.0, 2e-4)},
        metric="savings_usd",
    )
    frame = t.to_frame()
    assert frame.loc["candidate.egress_usd_per_request", "metric_high"] == pytest.approx(
        -2e-4 * 1e6 * 12
    )
