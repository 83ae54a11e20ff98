"""Test data builders of the dossiers app: sample dossiers and the statistics data set."""
