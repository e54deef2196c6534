"""The pricing catalog: CSV schemas, loading and validation, look-ups, staleness, importers.

* :mod:`tco.pricing.catalog` -- :func:`load_pricing` and :class:`PricingCatalog`;
* :mod:`tco.pricing.schema` -- one row model per file and the per-file validator;
* :mod:`tco.pricing.csvtext` -- CSV reading that keeps physical line numbers;
* :mod:`tco.pricing.litellm` -- the LiteLLM price-map importer.
"""

from tco.pricing.catalog import (
    FILES,
    PLANS,
    STALE_AFTER_DAYS,
    AmbiguousPriceError,
    ApiPrice,
    GpuHardware,
    GpuOffer,
    PricingCatalog,
    PricingError,
    PricingProblem,
    StalePriceWarning,
    ThroughputMeasurement,
    UnknownPriceError,
    bundled_pricing_dir,
    load_pricing,
)

__all__ = [
    "FILES",
    "PLANS",
    "STALE_AFTER_DAYS",
    "AmbiguousPriceError",
    "ApiPrice",
    "GpuHardware",
    "GpuOffer",
    "PricingCatalog",
    "PricingError",
    "PricingProblem",
    "StalePriceWarning",
    "ThroughputMeasurement",
    "UnknownPriceError",
    "bundled_pricing_dir",
    "load_pricing",
]
