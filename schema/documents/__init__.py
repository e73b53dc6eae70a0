"""Documents: contract PDFs, merchant uploads, evaluation requirements."""
