"""Qt front end of the Qali Warma CAE application."""

from .lifetime import keep_singletons_alive

keep_singletons_alive()  # before any Qt call: see ui/lifetime.py (the «none_dealloc» at exit)
