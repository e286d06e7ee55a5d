"""The Translate tab: its components and events (tab), handlers, side-by-side view (compare) and figures."""
