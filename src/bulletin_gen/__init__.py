"""bulletin-gen: an e-bulletin from a folder of Markdown files."""

__version__ = "0.1.0"
