"""Plotly figure factories, one module per subject: tidy data in, `go.Figure` out; no Streamlit, no
database. `figures` holds the shared palette and the general charts."""
