"""Tests of lendcrm.risk.portfolio."""
