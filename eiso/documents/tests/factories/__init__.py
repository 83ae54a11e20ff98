"""Test data builders of the documents app: external documents and records, revisions and files."""
