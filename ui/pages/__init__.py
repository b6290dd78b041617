"""Page scripts registered by app.py with ``st.navigation`` (each also importable)."""
