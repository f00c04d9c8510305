"""Stage 6, confidence: the calibrated models (``model.py``), fitting them (``fit.py``) and deciding a
tier from a ranking's evidence (``tiers.py``)."""
