"""Research studies: ``gradkit report exNN`` runs one and writes its figures and report."""
