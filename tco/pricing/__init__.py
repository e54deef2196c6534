"""The pricing catalog: CSV schemas, loading and validation, look-ups, staleness, importers.

Modules, each one idea, listed from the bottom up (each imports only those above it):

* :mod:`tco.pricing.csvtext` -- CSV reading that keeps physical line numbers;
* :mod:`tco.pricing.problems` -- :class:`PricingProblem`, :class:`PricingError` and the
  look-up errors and stale-price warning;
* :mod:`tco.pricing.cells` -- the cell parsers and column types (number, date, plan, ...);
* :mod:`tco.pricing.rows` -- the row models' base and the columns every file shares;
* :mod:`tco.pricing.serving` -- the throughput (regimes) and model-spec row models;
* :mod:`tco.pricing.schema` -- one row model per file, and the table specs;
* :mod:`tco.pricing.parse` -- the per-file validator (header, then row by row);
* :mod:`tco.pricing.staleness` -- rows older than a threshold, and their warning;
* :mod:`tco.pricing.lookup` -- finding rows by filters, and the look-up messages;
* :mod:`tco.pricing.frames` -- the tables as typed DataFrames;
* :mod:`tco.pricing.catalog` -- :class:`PricingCatalog`: tables and look-ups;
* :mod:`tco.pricing.load` -- :func:`load_pricing`: finding, reading and merging files;
* :mod:`tco.pricing.merge` -- merging imported rows into ``api_models.csv``, line by line;
* :mod:`tco.pricing.litellm_json` -- reading LiteLLM's price map and converting its entries;
* :mod:`tco.pricing.litellm` -- :func:`~tco.pricing.litellm.import_litellm`, the importer;
* :mod:`tco.pricing.derive` -- prefill and decode rates from one throughput measurement;
* :mod:`tco.pricing.throughput_file` -- merging imported rows into a ``throughput.csv``;
* :mod:`tco.pricing.mlperf_rules` -- MLPerf benchmarks, latency limits, rounds, GPU names;
* :mod:`tco.pricing.mlperf_read` -- reading and sorting the rows of a ``summary.csv``;
* :mod:`tco.pricing.mlperf` -- :func:`~tco.pricing.mlperf.import_mlperf`;
* :mod:`tco.pricing.bench_formats` -- reading serving-benchmark result files;
* :mod:`tco.pricing.benchmarks` -- :func:`~tco.pricing.benchmarks.import_bench`.
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
    REGIMES,
    ApiPrice,
    GpuHardware,
    GpuOffer,
    ModelSpec,
    ThroughputMeasurement,
)
from tco.pricing.staleness import STALE_AFTER_DAYS

__all__ = [
    "FILES",
    "PLANS",
    "REGIMES",
    "STALE_AFTER_DAYS",
    "AmbiguousPriceError",
    "ApiPrice",
    "GpuHardware",
    "GpuOffer",
    "ModelSpec",
    "PricingCatalog",
    "PricingError",
    "PricingProblem",
    "StalePriceWarning",
    "ThroughputMeasurement",
    "UnknownPriceError",
    "bundled_pricing_dir",
    "load_pricing",
]
