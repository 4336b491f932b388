"""The imperative shell: the CLI, Prefect flows, input files, crawling and the WARC archive."""
