"""Pure analysis: an `Article` in, an `Analysis` (mentions with evidence, and facts) out.

One Kiwi per process (`nlp.kiwi_runtime`, loaded on first use), fed in batches by `analyse_batch`.
"""
from nlp.analyse import analyse_batch
from nlp.model import ANALYSER_VERSION, Analysis, Mention, ProgramFact

__all__ = ["ANALYSER_VERSION", "Analysis", "Mention", "ProgramFact", "analyse_batch"]
