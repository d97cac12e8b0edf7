"""Tests of lendcrm.risk.scoring."""
