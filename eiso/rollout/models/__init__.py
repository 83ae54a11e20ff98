"""The rollout app's models, one module per part: the rollout plan with its phases, procedure
registry and gap survey (``plan``); the editions and the conformity announcement live in their own
modules beside it."""

from eiso.rollout.models.announcement import Announcement
from eiso.rollout.models.edition import EditionTransition, TransitionTask
from eiso.rollout.models.plan import GapAssessment, GapSurvey, RegistryItem, Rollout, RolloutPhase

__all__ = ["Announcement", "EditionTransition", "GapAssessment", "GapSurvey", "RegistryItem", "Rollout",
           "RolloutPhase", "TransitionTask"]
