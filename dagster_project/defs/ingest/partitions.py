import dagster as dg

# One partition per disclosure: its path under raw/ (a file, or a folder of files).
disclosure_partitions = dg.DynamicPartitionsDefinition(name="disclosures")
