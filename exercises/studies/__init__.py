"""What the research studies share: their data, their training runs, their figures. Like the
studies themselves, it uses the library only through its public API (``core.*``), so it runs on
whichever implementation is selected."""
