"""Broadcasting of validated arrays for the pricing and capital modules (#6)."""

from __future__ import annotations

import numpy as np

from lendcrm._arrays import FloatArray
from lendcrm.errors import InvalidValueError


def align(**arrays: FloatArray) -> list[FloatArray]:
    """Broadcast length-1 arrays to the common length; refuse any other mismatch.

    The common length is the longest; the error names the odd array and the first
    array of the common length.

    Raises:
        InvalidValueError: an array's length is neither 1 nor the common length.

    Examples:
        >>> import numpy as np
        >>> [a.tolist() for a in align(pd=np.array([0.1, 0.2]), lgd=np.array([0.4]))]
        [[0.1, 0.2], [0.4, 0.4]]
    """
    n = max(a.shape[0] for a in arrays.values())
    ref = next(k for k, a in arrays.items() if a.shape[0] == n)
    out: list[FloatArray] = []
    for key, arr in arrays.items():
        if arr.shape[0] not in (1, n):
            raise InvalidValueError(
                field=key,
                value=f"length {arr.shape[0]}",
                expected=f"length 1 or the same length as `{ref}` ({n})",
            )
        out.append(np.broadcast_to(arr, (n,)))
    return out
