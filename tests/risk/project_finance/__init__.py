"""Tests of lendcrm.risk.project_finance."""
