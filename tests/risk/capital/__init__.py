"""Tests of lendcrm.risk.capital."""
