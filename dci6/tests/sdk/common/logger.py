"""Stub of DCImanager 6's `common.logger` (test-only, never shipped): the published name only."""

import logging


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
