"""Stage 9, developer tools: ``article-bot bench`` (``bench.py``), the burst scenario it runs on
SimCord (``burst.py``) and the loopback page server the bench and the tests share (``pages.py``).
Only the console's ``bench`` command imports from here."""
