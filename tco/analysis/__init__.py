"""Questions asked of options: simulate, break-even, sensitivity, Monte Carlo, optimisation,
routing and recommendation. Every answer is added up by :mod:`tco.core.ledger`.

Comparisons of two options (:class:`~tco.Question`) report three metrics:

* ``"months"`` -- break-even time ``t*`` [months]; ``inf`` when the candidate never
  breaks even within the horizon (never NaN, so it sorts and compares correctly);
* ``"savings_usd"`` -- baseline minus candidate cumulative cost at the horizon [USD];
* ``"npv_savings_usd"`` -- baseline NPV minus candidate NPV at the discount rate [USD].

Sensitivity functions vary inputs addressed by parameter paths
(:mod:`tco.analysis.paths`): :func:`~tco.tornado` one at a time over ranges,
:func:`~tco.sweep` on a 1-D or 2-D grid, :func:`~tco.monte_carlo` random draws correlated
through a Gaussian copula, :func:`~tco.sobol` variance-based global indices. Each batch of
scenarios is one vectorised call of the cost engine (:mod:`tco.analysis.batch`).
"""
