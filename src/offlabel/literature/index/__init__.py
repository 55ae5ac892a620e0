"""The literature index: PubMed baseline/update files scanned into Parquet, searched with DuckDB.

Public API::

    scan(baseline_dir, out_dir, workers=None, scheduler=None, progress=True) -> ScanSummary
    search(index_dir, therapy, condition, species=None, synonyms=None, limit=100) -> list[Hit]
"""
