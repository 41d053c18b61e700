"""Neutral view shapes shared by every transport (api, web, realtime): each JSON shape is written once here."""
