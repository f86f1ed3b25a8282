"""Proof that does not rest on trusting the database: signed checkpoints of every
petition's history head (checkpoints), their key (keys), the tree (merkle), the
check of today's history against them (verification) and a petition's path to a
checkpoint (checkpoints.proof_path). docs/audit.md states the formats exactly.
"""
