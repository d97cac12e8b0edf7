"""The one-year rating migration of a synthetic book, calibrated to a published matrix.

`annual_matrix` maps Moody's average one-year corporate transition rates
(``_tables.MOODYS_ONE_YEAR``, cited there) onto the 10-grade master scale; the rating
reviews of ``_draws_history`` are drawn *backwards* from today's grades with the
kernels of `backward_kernels`, so that the book's measured one-year migration
(grade in force a year ago against today's, a client in default counted in the
default column) is the matrix. Numpy only; the *Synthetic books* page ("Rating
paths") gives the construction with its formulas.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from lendcrm._arrays import FloatArray, IntArray
from lendcrm.synthetic import _tables as tables

#: Rounds of the Richardson-Lucy deconvolution that finds the grades a year ago.
_ROUNDS: Final = 200


def annual_matrix() -> FloatArray:
    """The (10, 11) one-year matrix of the master scale: to grades 1..10, then default.

    Row ``g``: default ``PD_g`` (the grade's master-scale PD); the survivors keep
    their grade in the share the cited matrix keeps its letter ``L(g)``
    (withdrawals removed, conditional on not defaulting); the others move up or down
    in the letter's split (the bottom letter Caa-C, which has no letter below it,
    lends the split of B to the grades above the last), ``k`` grades with weight
    ``MIGRATION_DISTANCE_DECAY ** (k - 1)``. A move off the scale (up from grade 1,
    down from grade 10) keeps the grade.
    """
    table = np.array(tables.MOODYS_ONE_YEAR) / 100.0
    letters = len(tables.MOODYS_LETTERS)
    rated = np.delete(table, letters, axis=1) / (1.0 - table[:, letters])[:, None]
    survive = 1.0 - rated[:, letters]
    stay = np.diag(rated[:, :letters]) / survive
    index = np.arange(letters)
    up = np.where(index[None, :] < index[:, None], rated[:, :letters], 0.0).sum(1)
    down = np.where(index[None, :] > index[:, None], rated[:, :letters], 0.0).sum(1)
    up_share = up / (up + down)
    pd_ = np.array(tables.MASTER_SCALE_PD)
    grades = pd_.size
    letter = np.array(tables.GRADE_LETTER)
    share = up_share[letter]
    bottom = (letter == letters - 1) & (np.arange(grades) < grades - 1)
    share[bottom] = up_share[letters - 2]
    moving = (1.0 - pd_) * (1.0 - stay[letter])
    step = np.arange(grades)[None, :] - np.arange(grades)[:, None]  # + = downgrade
    decay = tables.MIGRATION_DISTANCE_DECAY
    w_down = np.where(step > 0, decay ** (np.abs(step) - 1.0), 0.0)
    w_up = np.where(step < 0, decay ** (np.abs(step) - 1.0), 0.0)
    out = np.zeros((grades, grades + 1))
    out[:, :grades] = moving[:, None] * (
        share[:, None] * rows_to_one(w_up)
        + (1.0 - share)[:, None] * rows_to_one(w_down)
    )
    out[:, grades] = pd_
    out[np.arange(grades), np.arange(grades)] = 1.0 - out.sum(axis=1)
    return out


def rows_to_one(w: FloatArray) -> FloatArray:
    """Each row over its sum (rows of zeros stay zeros)."""
    total = w.sum(axis=1, keepdims=True)
    out: FloatArray = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    return out


def stage_matrix(annual: FloatArray, upgrade: float, downgrade: float) -> FloatArray:
    """``annual`` with its upgrade and downgrade rates scaled; the diagonal absorbs it."""
    grades = annual.shape[0]
    step = np.arange(grades)[None, :] - np.arange(grades)[:, None]
    out = annual.copy()
    out[:, :grades] *= np.where(step < 0, upgrade, np.where(step > 0, downgrade, 0.0))
    out[np.arange(grades), np.arange(grades)] = 1.0 - out.sum(axis=1)
    return out


def prior(kernel: FloatArray, counts: FloatArray) -> FloatArray:
    """Grades a year ago whose survivors, moved by ``kernel``, best give ``counts``.

    Richardson-Lucy (the maximum-likelihood deconvolution of a count vector through
    a known kernel): ``pi <- pi * (K (p / (pi K))) / K 1`` over the surviving
    columns of ``kernel``; it keeps ``pi`` non-negative.
    """
    grades = kernel.shape[0]
    survive = kernel[:, :grades]
    pi = np.full(grades, 1.0 / grades)
    if not counts.any():  # nobody to match (a stage rated only this year)
        return pi
    p = counts / counts.sum()
    for _ in range(_ROUNDS):  # a 10 x 10 fixed point, not a loop over rows
        implied = pi @ survive
        ratio = np.divide(p, implied, out=np.zeros(grades), where=implied > 0)
        pi = pi * (survive @ ratio) / survive.sum(axis=1)
    out: FloatArray = pi / pi.sum()
    return out


def backward(kernel: FloatArray, pi: FloatArray) -> FloatArray:
    """(10, 10) cumulative P(grade a year ago = i | grade now = j), row ``j``."""
    grades = kernel.shape[0]
    joint = (pi[:, None] * kernel[:, :grades]).T  # [j, i]
    total = joint.sum(axis=1, keepdims=True)
    rows = np.divide(joint, total, out=np.eye(grades), where=total > 0)
    out: FloatArray = np.cumsum(rows, axis=1)
    return out


def draw_from(cdf: FloatArray, row: IntArray, u: FloatArray) -> IntArray:
    """Column code of each draw: the first where the row's CDF exceeds ``u``."""
    codes = (u[:, None] >= cdf[row]).sum(axis=1)
    out: IntArray = np.minimum(codes, cdf.shape[1] - 1).astype(np.int64)
    return out
