"""Pure analysis: an `Article` in, an `Analysis` (mentions with evidence, and facts) out.

One Kiwi per process (`nlp.kiwi_runtime`, loaded on first use), fed in batches by `analyse_batch`.
Each article is read once into a `Doc`; the recognisers (`nlp.analyse.RECOGNISERS`, one signature:
`recognise(doc, gazetteer) -> list[Span]`) find spans with the rule that fired, and
`nlp.analyse.resolve` links them. The words the rules read are data (nlp/data/cues.tsv); nlp/RULES.md
says how to change one safely.
"""
from nlp.analyse import RECOGNISERS, analyse_batch, resolve
from nlp.doc import Doc, build_doc, doc_of
from nlp.model import ANALYSER_VERSION, Analysis, Mention, ProgramFact, Span

__all__ = ["ANALYSER_VERSION", "RECOGNISERS", "Analysis", "Doc", "Mention", "ProgramFact", "Span", "analyse_batch",
           "build_doc", "doc_of", "resolve"]
