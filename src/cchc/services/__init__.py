"""Use cases shared by the command line and the UI: plain values in, plain values out."""
