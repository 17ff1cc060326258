-- The itinerary as GeoJSON for maps (`GET /v1/plans/{id}/report?format=geojson`); null for plans
-- without an itinerary and for plans stored before this column existed.
ALTER TABLE plans ADD COLUMN report_geojson TEXT;
