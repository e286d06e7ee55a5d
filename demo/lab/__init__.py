"""The Context lab tab: inputs checked (inputs), probes run (probes), drawn (views, figures), events and API."""
