"""Domain code for the South Caucasus events dashboard: schema, loading and
validation, filtering, region membership, map and timeline building.

Nothing in this package imports Streamlit; it is tested on its own.
"""
