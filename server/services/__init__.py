"""Service layer: one function per use case; each commits its state and hands its one event to the listeners."""
