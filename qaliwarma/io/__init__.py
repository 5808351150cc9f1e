"""Readers and writers of files. Every reader validates everything before anything is written."""
