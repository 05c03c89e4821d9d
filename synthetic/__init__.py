"""A synthetic county: realistic disclosures in the seed's layout, with injected defects."""
