"""Residents' data rights (AVG): download, delete, inactive accounts, the privacy
statement and the beheerder's deactivation of staff accounts."""
