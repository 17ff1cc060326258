-- The itinerary in the export formats (`GET /v1/plans/{id}/report?format=geojson|gpx|ics`); null
-- for plans without an itinerary, for a calendar of an undated trip, and for plans stored before
-- these columns existed.
ALTER TABLE plans ADD COLUMN report_geojson TEXT;
ALTER TABLE plans ADD COLUMN report_gpx TEXT;
ALTER TABLE plans ADD COLUMN report_ics TEXT;
