"""Stages and events of the three lifecycle machines, as stable lowercase `StrEnum`s.

The values are safe to persist: they are what a history record stores and what the
documentation tables show. `FacilityStatus` (the status a `Facility` entity
carries) and `ProjectPhase` (the phase a `Project` carries) are the core enumerations,
imported from ``lendcrm``; the machines use them too, so the machines, the entities and
the frames share one set of values.
"""

from __future__ import annotations

from enum import StrEnum

from lendcrm._enums import FacilityStatus, ProjectPhase

__all__ = [
    "ClientEvent",
    "ClientStage",
    "FacilityEvent",
    "FacilityStatus",
    "ProjectEvent",
    "ProjectPhase",
]


class ClientStage(StrEnum):
    """Where a client relationship stands (the five stages of the source, plus exit).

    Examples:
        >>> ClientStage.GROWTH
        <ClientStage.GROWTH: 'growth'>
        >>> ClientStage("decline") is ClientStage.DECLINE
        True
    """

    ACQUISITION = "acquisition"
    ACTIVATION = "activation"
    GROWTH = "growth"
    MATURITY = "maturity"
    DECLINE = "decline"
    EXITED = "exited"


class ClientEvent(StrEnum):
    """What happens to a client relationship, in the bank's words.

    Examples:
        >>> str(ClientEvent.FIRST_DRAWDOWN)
        'first_drawdown'
    """

    #: The client draws on a facility for the first time.
    FIRST_DRAWDOWN = "first_drawdown"
    #: The relationship deepens: new products, higher limits, rising revenue.
    EXPAND = "expand"
    #: Growth levels off into a steady, established relationship.
    STABILISE = "stabilise"
    #: Business or credit quality deteriorates (early-warning signals fire).
    DETERIORATE = "deteriorate"
    #: A declining client recovers and grows again.
    RECOVER = "recover"
    #: The managed exit of a declining client, following its exit plan.
    EXIT = "exit"
    #: An explicit, reasoned exit from any live stage (needs a written reason).
    TERMINATE = "terminate"


class FacilityEvent(StrEnum):
    """What happens to a facility.

    Examples:
        >>> FacilityEvent("write_off")
        <FacilityEvent.WRITE_OFF: 'write_off'>
    """

    #: Credit committee approves the application.
    APPROVE = "approve"
    #: Credit committee rejects the application.
    REJECT = "reject"
    #: An approved facility is cancelled before any drawdown.
    CANCEL = "cancel"
    #: First funds are disbursed.
    DISBURSE = "disburse"
    #: Early-warning signals put the facility on the watchlist.
    FLAG = "flag"
    #: The watchlist concern is resolved.
    CLEAR = "clear"
    #: Default: 90 days past due or unlikely to pay.
    DEFAULT = "default"
    #: Terms are restructured (forbearance).
    RESTRUCTURE = "restructure"
    #: A restructured or non-performing facility performs again after probation.
    CURE = "cure"
    #: The facility is repaid in full.
    REPAY = "repay"
    #: The remaining exposure is written off (needs a written reason).
    WRITE_OFF = "write_off"


class ProjectEvent(StrEnum):
    """What happens to a financed project.

    Examples:
        >>> ProjectEvent.REACH_COD.value
        'reach_cod'
    """

    #: Finance documents signed and conditions precedent met.
    REACH_FINANCIAL_CLOSE = "reach_financial_close"
    #: First construction drawdown; works start.
    START_CONSTRUCTION = "start_construction"
    #: Mechanical completion; testing and commissioning start.
    COMPLETE_CONSTRUCTION = "complete_construction"
    #: Commercial operation date: the lenders' completion test is passed.
    REACH_COD = "reach_cod"
    #: The debt is refinanced (new terms; an operating project stays operating).
    REFINANCE = "refinance"
    #: Construction resumes after a default is resolved by a restructuring.
    RESUME_CONSTRUCTION = "resume_construction"
    #: An event of default is declared.
    DEFAULT = "default"
    #: The project debt is repaid in full.
    REPAY = "repay"
    #: The remaining exposure is written off (needs a written reason).
    WRITE_OFF = "write_off"
    #: The project is dropped before construction starts.
    ABANDON = "abandon"
