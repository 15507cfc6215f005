"""Figure builders: pure functions from frames to ``plotly.graph_objects.Figure`` (no SQL, no Dash)."""
