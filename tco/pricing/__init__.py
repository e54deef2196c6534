"""The pricing catalog: CSV schemas, loading and validation, look-ups, staleness, importers.

Modules, each one idea, listed from the bottom up (each imports only those above it):

* :mod:`tco.pricing.csvtext` -- CSV reading that keeps physical line numbers;
* :mod:`tco.pricing.problems` -- :class:`PricingProblem`, :class:`PricingError` and the
  look-up errors and stale-price warning;
* :mod:`tco.pricing.cells` -- the cell parsers and column types (number, date, plan, ...);
* :mod:`tco.pricing.rowbase`, :mod:`tco.pricing.api_row`, :mod:`tco.pricing.reference_rows`
  -- the row models' base, the API row, the price-history and exchange-rate rows;
* :mod:`tco.pricing.serving` -- the throughput (regimes) and model-spec row models;
* :mod:`tco.pricing.serverless_row` -- the serverless GPU offer row model;
* :mod:`tco.pricing.schema` -- one row model per file, and the table specs;
* :mod:`tco.pricing.fastrows` -- the row models' checks a column of many rows at a time;
* :mod:`tco.pricing.rows` -- the checks of one file's rows (fast path, else the row model);
* :mod:`tco.pricing.parse` -- the per-file validator (header, then the rows);
* :mod:`tco.pricing.staleness` -- rows older than a threshold, and their warning;
* :mod:`tco.pricing.lifecycle`, :mod:`tco.pricing.history_rules` -- rules between rows
  (successors; the price history against the catalog), retirement status and warning;
* :mod:`tco.pricing.history` -- the observed price decline fitted from the history;
* :mod:`tco.pricing.catalog_reference` -- the catalog's lifecycle, history, trend and
  exchange-rate look-ups;
* :mod:`tco.pricing.lookup` -- finding rows by filters, and the look-up messages;
* :mod:`tco.pricing.catalog_serverless` -- the catalog's serverless GPU offer look-up;
* :mod:`tco.pricing.frames` -- the tables as typed DataFrames;
* :mod:`tco.pricing.vendor` -- a catalog row as a :class:`tco.VendorAPI`;
* :mod:`tco.pricing.catalog` -- :class:`PricingCatalog`: tables and look-ups;
* :mod:`tco.pricing.load` -- :func:`load_pricing`: finding, reading and merging files, and
  :func:`~tco.pricing.check.check_pricing`, the same checks without keeping the rows;
* :mod:`tco.pricing.merge` -- merging imported rows into ``api_models.csv``, line by line;
* :mod:`tco.pricing.litellm_json` -- reading LiteLLM's price map and converting its entries;
* :mod:`tco.pricing.importing` -- writing an import into a folder's ``api_models.csv``;
* :mod:`tco.pricing.litellm_alias` -- LiteLLM routes (Vertex AI, Bedrock, ...) to vendors;
* :mod:`tco.pricing.litellm` -- :func:`~tco.pricing.litellm.import_litellm`, the importer;
* :mod:`tco.pricing.genai_prices` -- :func:`~tco.pricing.genai_prices.import_genai_prices`;
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
    RetiredModelWarning,
    StalePriceWarning,
    UnknownPriceError,
)
from tco.pricing.schema import (
    FILES,
    REGIMES,
    ApiPrice,
    FxRate,
    GpuHardware,
    GpuOffer,
    ModelSpec,
    PriceHistoryRow,
    ServerlessOffer,
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
    "FxRate",
    "GpuHardware",
    "GpuOffer",
    "ModelSpec",
    "PriceHistoryRow",
    "PricingCatalog",
    "PricingError",
    "PricingProblem",
    "RetiredModelWarning",
    "ServerlessOffer",
    "StalePriceWarning",
    "ThroughputMeasurement",
    "UnknownPriceError",
    "bundled_pricing_dir",
    "load_pricing",
]
