"""The committed gazetteer source extract; installed as package ``geoevents_gazetteer_data``."""
