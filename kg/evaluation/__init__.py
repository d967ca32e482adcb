"""Evaluations of GENRE against real ground truth and the baselines users would pick.

- :mod:`kg.evaluation.routing`: routing logs (RouterBench, open7b): one model per test prompt,
  scored by the log's outcomes and costs, beside random, best-single, cheapest, oracle, kNN and
  MLP routers (:mod:`kg.evaluation.routing_baselines`, metrics in :mod:`kg.evaluation.routing_metrics`).
"""
