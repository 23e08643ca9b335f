"""reviewbot: a code-review bot that teaches.

Importing this package has no side effects and imports nothing heavy; the
command line keeps `reviewbot --help` fast by importing subsystems lazily.
"""

__version__ = "0.1.0"
