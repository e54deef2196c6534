"""The pricing catalog: CSV schemas, loading and validation, look-ups, staleness, importers.

Modules, each one idea, listed from the bottom up (each imports only those above it):

* :mod:`tco.pricing.csvtext` -- CSV reading that keeps physical line numbers;
* :mod:`tco.pricing.problems` -- :class:`PricingProblem`, :class:`PricingError` and the
  look-up errors and stale-price warning;
* :mod:`tco.pricing.cells` -- the cell parsers and column types (number, date, plan, ...);
* :mod:`tco.pricing.schema` -- one row model per file, and the table specs;
* :mod:`tco.pricing.fastrows` -- the row models' checks a column of many rows at a time;
* :mod:`tco.pricing.rows` -- the checks of one file's rows (fast path, else the row model);
* :mod:`tco.pricing.parse` -- the per-file validator (header, then the rows);
* :mod:`tco.pricing.staleness` -- rows older than a threshold, and their warning;
* :mod:`tco.pricing.catalog` -- :class:`PricingCatalog`: tables and look-ups;
* :mod:`tco.pricing.load` -- :func:`load_pricing`: finding, reading and merging files, and
  :func:`~tco.pricing.load.check_pricing`, the same checks without keeping the rows;
* :mod:`tco.pricing.merge` -- merging imported rows into ``api_models.csv``, line by line;
* :mod:`tco.pricing.litellm_json` -- reading LiteLLM's price map and converting its entries;
* :mod:`tco.pricing.litellm` -- :func:`~tco.pricing.litellm.import_litellm`, the importer.
"""

from tco.pricing.catalog import PricingCatalog
from tco.pricing.cells import PLANS
from tco.pricing.load import bundled_pricing_dir, load_pricing
from tco.pricing.problems import (
    AmbiguousPriceError,
    PricingError,
    PricingProblem,
    StalePriceWarning,
    UnknownPriceError,
)
from tco.pricing.schema import (
    FILES,
    ApiPrice,
    GpuHardware,
    GpuOffer,
    ThroughputMeasurement,
)
from tco.pricing.staleness import STALE_AFTER_DAYS

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
