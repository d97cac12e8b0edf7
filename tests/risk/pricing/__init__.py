"""Tests of lendcrm.risk.pricing."""
