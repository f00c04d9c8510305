"""Stage 1, the corpus: what the project reads. The article model (``article.py``), text helpers
(``text.py``), parsing a file or a string into sentences (``parse.py``), the words the index keeps
(``terms.py``), the URLs and addresses a fetch may go to (``urls.py``), fetching pages safely
(``fetch.py``), extracting an article from HTML (``extract.py``), and question files (``questions.py``)."""
