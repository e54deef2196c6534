"""The numeric core: usage, parameters, cost parts and the ledger. Imports nothing else
from tco."""
