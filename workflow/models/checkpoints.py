"""Signed checkpoints: every petition's history head and entry count, sealed.

A checkpoint's statement (the exact text signed) names the Merkle root of all
heads (workflow.proof.merkle); copies go out by e-mail and are public at
/audit/checkpoints/, so that a history rewritten later, even by the database's
owner, no longer matches what was published. Both tables are append-only like
the history (trigger in migration 0015).
"""

from django.db import models


class Checkpoint(models.Model):
    number = models.PositiveIntegerField(unique=True)
    taken_at = models.DateTimeField()
    petitions = models.PositiveIntegerField()
    entries = models.BigIntegerField()
    root = models.CharField(max_length=64)
    # The signed text itself (compact JSON), and its Ed25519 signature.
    statement = models.TextField()
    signature = models.CharField(max_length=128)
    public_key = models.CharField(max_length=64)
    # Each chunk's root in chunk order: chunk number (4 bytes) ‖ root (32 bytes).
    chunk_roots = models.BinaryField()

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"checkpoint #{self.number} ({self.petitions} petitions)"


class CheckpointChunk(models.Model):
    """The leaves of one chunk (CHUNK_SPAN petition ids), stored by the first
    checkpoint in which they read so: later checkpoints whose chunk root is
    unchanged use the same row (the newest row of the chunk at or before them)."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="chunks"
    )
    chunk = models.PositiveIntegerField()
    # 44-byte records (workflow.proof.merkle.RECORD) sorted by petition id.
    leaves = models.BinaryField()

    class Meta:
        constraints = [
            # proof_path and verify_audit look up a chunk's rows by chunk first.
            models.UniqueConstraint(
                fields=["chunk", "checkpoint"], name="one_row_per_chunk_and_checkpoint"
            ),
        ]

    def __str__(self):
        return f"chunk {self.chunk} of checkpoint {self.checkpoint_id}"
