"""Hypothesis profiles.

- `dev` (the default): 30 examples, a new random seed each run, so local runs keep
  exploring; a case they find is fixed and pinned by an exact test.
- `ci` (what `make test` loads): 100 examples drawn from a fixed seed
  (`derandomize`), so a clean clone gives the same verdict every time; exploring is
  the job of `dev` runs and of `make fuzz-explore`.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
