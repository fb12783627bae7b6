"""Data files of the obligation package (the SCE 2.0 migration schedule)."""
