//! The OpenAPI 3.0 document, built from the code: the operations are listed here next to the
//! router, and every request and answer schema is generated (schemars) from the Rust types the
//! handlers read and write. `api/openapi.json` is this document, committed; a test fails when
//! the two differ (`cargo run -p tripsmith -- openapi > api/openapi.json` refreshes it). A server
//! serves the document of its own settings (deadlines); the committed one has the defaults.

use crate::config::ServerConfig;
use crate::routes::assignments::{AssignmentRequest, AssignmentResult};
use crate::routes::designs::DesignRequest;
use crate::routes::plans::{MAX_FOOD, MAX_VISITS};
use crate::routes::recommendations::{RecommendationRequest, TrainingRequest, TrainingResult};
use crate::routes::region::{
    MAX_POIS, MAX_RADIUS_M, MAX_ROUTE_COORDINATES, MAX_TABLE_COORDINATES, MAX_TRIP_COORDINATES,
};
use crate::routes::vrp::{VrpRequest, VrpResult};
use crate::store::JobStatus;
use schemars::generate::{Contract, SchemaSettings};
use serde_json::{json, Map, Value};
use tripsmith_model::Category;
use tripsmith_netdesign::search::DesignResult;
use tripsmith_planner::TripRequest;
use tripsmith_recommend::taste::RegionRecommendations;
use tripsmith_region::trip::PlanSummary;
use tripsmith_travelplanner::explain::Repair;
use tripsmith_travelplanner::rest::{PlanAnswer, QueryInput};

/// A latitude in degrees, −90..=90, as a pattern.
const LAT: &str = r"-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)";
/// A longitude in degrees, −180..=180, as a pattern.
const LON: &str = r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)";
fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn problem(description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": schema_ref("Problem")}}})
}

fn json_body(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// `response` with an OpenAPI link to `operation`, whose `id` is the response's `id`.
fn with_link(mut response: Value, operation: &str) -> Value {
    response["links"] = json!({operation: {"operationId": operation, "parameters": {"id": "$response.body#/id"}}});
    response
}

/// Adds the bounds of fixed-width integer formats (`uint32`...), which schemars states by
/// `format` alone, so that generated requests stay within what the server can read.
fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            let bounds = match obj.get("format").and_then(Value::as_str) {
                Some("uint8") => Some((0.0, f64::from(u8::MAX))),
                Some("uint16") => Some((0.0, f64::from(u16::MAX))),
                Some("uint32") => Some((0.0, f64::from(u32::MAX))),
                Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                obj.entry("minimum").or_insert(json!(min as i64));
                obj.entry("maximum").or_insert(json!(max as i64));
            }
            obj.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

/// The `Idempotency-Key` header on every endpoint that stores a plan or submits a job, with the
/// answers it adds.
fn with_idempotency_keys(mut paths: Value) -> Value {
    let header = json!({
        "name": "Idempotency-Key", "in": "header", "required": false,
        "description": "a key the client chooses (1 to 255 printable ASCII characters): a retry with the same key and the same request gets the first answer again (with Idempotent-Replayed: true) instead of a second plan or job; the key works across every instance sharing the database",
        "schema": {"type": "string", "minLength": 1, "maxLength": crate::idempotency::MAX_LENGTH}
    });
    for path in ["/v1/plans", "/v1/assignments", "/v1/designs", "/v1/vrp/solutions", "/v1/recommendations/training"] {
        let Some(post) = paths.get_mut(path).and_then(|p| p.get_mut("post")) else { continue };
        match post.get_mut("parameters").and_then(Value::as_array_mut) {
            Some(parameters) => parameters.push(header.clone()),
            None => post["parameters"] = json!([header.clone()]),
        }
        let responses = &mut post["responses"];
        responses["409"] = problem("the first request with this Idempotency-Key is still being answered (Retry-After)");
        if let Some(text) = responses["422"]["description"].as_str().map(str::to_string) {
            responses["422"]["description"] = json!(format!(
                "{text}; or an Idempotency-Key sent before with another request (idempotency-key-reused)"
            ));
        }
        if responses["400"].is_object() {
            responses["400"]["description"] = json!(format!(
                "{}; or an invalid Idempotency-Key",
                responses["400"]["description"].as_str().unwrap_or("a bad request")
            ));
        }
    }
    paths
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn path(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
}

/// Generated schemas of the request and answer types, under `#/components/schemas`.
fn generated_schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    let mut requests = SchemaSettings::openapi3().into_generator();
    let _ = requests.subschema_for::<TripRequest>();
    let _ = requests.subschema_for::<QueryInput>();
    let _ = requests.subschema_for::<AssignmentRequest>();
    let _ = requests.subschema_for::<DesignRequest>();
    let _ = requests.subschema_for::<VrpRequest>();
    let _ = requests.subschema_for::<RecommendationRequest>();
    let _ = requests.subschema_for::<TrainingRequest>();
    schemas.extend(requests.take_definitions(true));
    let mut answers = SchemaSettings::openapi3().with(|s| s.contract = Contract::Serialize).into_generator();
    let _ = answers.subschema_for::<PlanSummary>();
    let _ = answers.subschema_for::<JobStatus>();
    let _ = answers.subschema_for::<PlanAnswer>();
    let _ = answers.subschema_for::<Repair>();
    let _ = answers.subschema_for::<AssignmentResult>();
    let _ = answers.subschema_for::<DesignResult>();
    let _ = answers.subschema_for::<VrpResult>();
    let _ = answers.subschema_for::<RegionRecommendations>();
    let _ = answers.subschema_for::<TrainingResult>();
    schemas.extend(answers.take_definitions(true));
    schemas.values_mut().for_each(bound_integers);
    schemas
}

/// `base` plus the (all required) `properties`.
fn extends(description: &str, base: &str, properties: Value) -> Value {
    let required: Vec<String> = properties.as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    json!({
        "description": description,
        "allOf": [schema_ref(base), {"type": "object", "required": required, "properties": properties}]
    })
}

fn hand_written_schemas() -> Value {
    json!({
        "Problem": {
            "type": "object",
            "description": "RFC 7807 problem details; some kinds add members (field, parameter, code, core, repairs...).",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string", "description": "urn:tripsmith:problem:KIND"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "field": {"type": "string", "description": "the offending request field (invalid-field)"},
                "parameter": {"type": "string", "description": "the offending parameter (invalid-parameter)"},
                "code": {"type": "string", "description": "OSRM's error code (routing)"}
            }
        },
        "InfeasibleProblem": extends(
            "422 for an impossible trip: the minimal core, in words, and verified repairs.",
            "Problem",
            json!({
                "plan_id": {"type": "string"},
                "core": {"type": "array", "items": {"type": "string"}},
                "cores": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
                "explanation": {"type": "array", "items": schema_ref("ExplainedLabel")},
                "repairs": {"type": "array", "items": schema_ref("Repair")},
                "links": schema_ref("PlanLinks")
            }),
        ),
        "TravelPlannerInfeasible": extends(
            "422 for an impossible TravelPlanner query: every minimal core (sets of the query's constraints that cannot hold together), their union, and verified repairs.",
            "Problem",
            json!({
                "core": {"type": "array", "items": {"type": "string"}},
                "cores": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
                "repairs": {"type": "array", "items": schema_ref("Repair")}
            }),
        ),
        "PlanLinks": {
            "type": "object",
            "required": ["self", "report"],
            "properties": {"self": {"type": "string"}, "report": {"type": "string"}}
        },
        "Plan": extends(
            "A stored answer to a trip request.",
            "PlanSummary",
            json!({
                "id": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "region": {"type": "string"},
                "request": schema_ref("TripRequest"),
                "links": schema_ref("PlanLinks")
            }),
        ),
        "Job": {
            "type": "object",
            "required": ["id", "kind", "status", "progress", "message", "created_at", "updated_at", "links"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"type": "string", "description": "what the job does (plan, vrp, assignment, design, training)"},
                "status": schema_ref("JobStatus"),
                "progress": {"type": "number", "minimum": 0, "maximum": 1},
                "message": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
                "result": {"description": "the result document (for a plan job, the Plan; for an assignment job, an AssignmentResult; for a design job, a DesignResult; for a vrp job, a VrpResult; for a training job, a TrainingResult)", "nullable": true},
                "error": {"description": "the problem document of a failed job", "nullable": true},
                "attempts": {"type": "integer", "minimum": 0, "description": "how many times an instance has started it (a job whose instance stops answering is started again by another, up to the server's --job-attempts)"},
                "instance": {"type": "string", "nullable": true, "description": "the server instance running it, or that ran it last"},
                "links": {"type": "object", "properties": {"self": {"type": "string"}}}
            }
        },
        "Pois": {
            "type": "object",
            "required": ["total", "pois"],
            "properties": {
                "total": {"type": "integer", "description": "POIs found before the limit"},
                "pois": {"type": "array", "items": {
                    "type": "object",
                    "required": ["osm", "category", "location", "distance_m", "name_display"],
                    "properties": {
                        "osm": {"type": "string"},
                        "name": {"type": "string", "nullable": true},
                        "name_display": {"type": "string"},
                        "category": {"type": "string"},
                        "location": {"type": "object", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}},
                        "distance_m": {"type": "number"}
                    }
                }}
            }
        },
        "OsrmWaypoint": {
            "type": "object",
            "required": ["location", "distance"],
            "properties": {
                "location": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2, "description": "[lon, lat]"},
                "distance": {"type": "number", "description": "metres from the input to the road"}
            }
        },
        "OsrmRoute": {
            "type": "object",
            "required": ["code", "routes", "waypoints"],
            "properties": {
                "code": {"type": "string", "enum": ["Ok"]},
                "routes": {"type": "array", "items": {
                    "type": "object",
                    "required": ["duration", "distance", "weight", "weight_name"],
                    "properties": {
                        "duration": {"type": "number", "description": "seconds"},
                        "distance": {"type": "number", "description": "metres"},
                        "weight": {"type": "number"},
                        "weight_name": {"type": "string"},
                        "geometry": {"nullable": true, "description": "an encoded polyline (geometries=polyline, the default, or polyline6), a GeoJSON LineString (geometries=geojson), or null (overview=false)",
                                     "oneOf": [{"type": "string"}, {"type": "object"}]},
                        "legs": {"type": "array", "items": schema_ref("OsrmLeg")}
                    }
                }},
                "waypoints": {"type": "array", "items": schema_ref("OsrmWaypoint")}
            }
        },
        "OsrmLeg": {
            "type": "object",
            "required": ["duration", "distance", "weight", "summary", "steps"],
            "properties": {
                "duration": {"type": "number", "description": "seconds"},
                "distance": {"type": "number", "description": "metres"},
                "weight": {"type": "number"},
                "summary": {"type": "string", "description": "the names of the two longest named streets (steps=true), else empty"},
                "steps": {"type": "array", "items": schema_ref("OsrmStep"), "description": "empty unless steps=true"},
                "annotation": {"type": "object", "description": "one value per piece of the leg's geometry for each annotation asked for"}
            }
        },
        "OsrmStep": {
            "type": "object",
            "required": ["maneuver", "name", "mode", "driving_side", "geometry", "intersections", "duration", "distance", "weight"],
            "properties": {
                "maneuver": {"type": "object", "required": ["type", "location", "bearing_before", "bearing_after"], "properties": {
                    "type": {"type": "string", "enum": ["depart", "turn", "new name", "continue", "roundabout", "exit roundabout", "arrive"]},
                    "modifier": {"type": "string", "enum": ["straight", "slight right", "right", "sharp right", "uturn", "sharp left", "left", "slight left"]},
                    "location": {"type": "array", "items": {"type": "number"}, "description": "[lon, lat]"},
                    "bearing_before": {"type": "integer", "minimum": 0, "maximum": 359},
                    "bearing_after": {"type": "integer", "minimum": 0, "maximum": 359},
                    "exit": {"type": "integer", "minimum": 1, "description": "roundabouts: the exit to take"}
                }},
                "name": {"type": "string", "description": "the OSM way's name (empty when unnamed)"},
                "ref": {"type": "string", "description": "the OSM way's ref, when it has one"},
                "mode": {"type": "string", "enum": ["driving", "walking"]},
                "driving_side": {"type": "string", "enum": ["right"]},
                "geometry": {"oneOf": [{"type": "string"}, {"type": "object"}], "description": "the step's stretch, in the route's geometries format"},
                "intersections": {"type": "array", "items": {"type": "object"}, "description": "the roads at the maneuver: location, bearings, entry, in, out"},
                "duration": {"type": "number"},
                "distance": {"type": "number"},
                "weight": {"type": "number"}
            }
        },
        "OsrmTable": {
            "type": "object",
            "required": ["code", "sources", "destinations"],
            "properties": {
                "code": {"type": "string", "enum": ["Ok"]},
                "durations": {"type": "array", "items": {"type": "array", "items": {"type": "number", "nullable": true}}},
                "distances": {"type": "array", "items": {"type": "array", "items": {"type": "number", "nullable": true}}},
                "sources": {"type": "array", "items": schema_ref("OsrmWaypoint")},
                "destinations": {"type": "array", "items": schema_ref("OsrmWaypoint")}
            }
        }
    })
}

/// The answers of a job endpoint on the server's TNTP networks.
fn tntp_job_responses(job: &str) -> Value {
    json!({
        "202": with_link(json_body(job, schema_ref("Job")), "getJob"),
        "400": problem("malformed JSON"),
        "404": problem("no such network, or the server has no TNTP folder"),
        "413": problem("the body is too large"),
        "415": problem("the body is not JSON"),
        "422": problem("an invalid field"),
        "503": problem("all solver workers are busy (Retry-After says when to come back)")
    })
}

fn paths(config: &ServerConfig) -> Value {
    let default_deadline = config.default_deadline.as_secs_f64();
    let max_deadline = config.max_deadline.as_secs_f64();
    let bad = problem("a parameter is invalid");
    let busy = problem("all solver workers are busy (Retry-After says when to come back)");
    let missing = problem("no such resource");
    let id = path("id", "the id");
    let profile = json!({"name": "profile", "in": "path", "required": true, "description": "foot or car",
        "schema": {"type": "string", "enum": ["foot", "walking", "walk", "pedestrian", "car", "driving", "drive", "auto"]}});
    let coordinates_with = |repeat: &str| {
        json!({"name": "coordinates", "in": "path", "required": true,
            "description": "lon,lat;lon,lat;... (points farther than the snapping limit from every road are a 400 NoSegment)",
            "schema": {"type": "string", "pattern": format!("^{LON},{LAT}(;{LON},{LAT}){repeat}$")}})
    };
    let route_coordinates = coordinates_with("+");
    let coordinates = coordinates_with("*");
    let indices = json!({"type": "string", "pattern": "^(all|[0-9]+(;[0-9]+)*)$"});
    let radiuses = query("radiuses", "per coordinate, ;-separated: the farthest (metres) it may lie from a road, or unlimited; farther is a 400 NoSegment", json!({"type": "string"}));
    let bearings =
        query("bearings", "only empty values (no bearing filter)", json!({"type": "string", "pattern": "^;*$"}));
    let hints = query(
        "generate_hints",
        "accepted; no hints are returned",
        json!({"type": "string", "enum": ["true", "false"]}),
    );
    json!({
        "/v1/plans": {"get": {
            "operationId": "listPlans",
            "summary": "Stored plans",
            "description": "The stored plans, newest first, a page at a time; `next` is the link to the following page (null on the last).",
            "parameters": [
                query("status", "only plans of this status", json!({"type": "string", "enum": ["feasible", "infeasible", "timeout"]})),
                query("limit", &format!("plans per page (default {})", crate::routes::plans::LIST_LIMIT.0), json!({"type": "integer", "minimum": 1, "maximum": crate::routes::plans::LIST_LIMIT.1})),
                query("offset", "plans to skip", json!({"type": "integer", "minimum": 0, "maximum": 1_000_000_000}))
            ],
            "responses": {
                "200": json_body("a page of plans", json!({
                    "type": "object", "required": ["plans", "next"],
                    "properties": {
                        "plans": {"type": "array", "items": {"type": "object", "required": ["id", "created_at", "status", "region", "links"],
                            "properties": {"id": {"type": "string"}, "created_at": {"type": "string"},
                                           "status": {"type": "string", "enum": ["feasible", "infeasible", "timeout"]},
                                           "region": {"type": "string"},
                                           "links": {"type": "object", "properties": {"self": {"type": "string"}, "report": {"type": "string"}}}}}},
                        "next": {"type": "string", "nullable": true}
                    }
                })),
                "400": bad
            }
        }, "post": {
            "operationId": "createPlan",
            "summary": "Plan a trip",
            "description": "Solves the trip request on the loaded region. 201 with the stored answer: status feasible, or timeout with the best verified plan found before the deadline (plan null when none was found); 422 with the minimal core and verified repairs when no plan exists. With async=true, 202 and a job to poll. Every answer is stored under its plan id.",
            "parameters": [
                query("async", "run as a job: 202 + Location: /v1/jobs/{id}", json!({"type": "boolean"})),
                query("deadline", &format!("seconds the whole answer may take, queueing included (default {default_deadline})"), json!({"type": "number", "minimum": 1, "maximum": max_deadline})),
                query("backend", "search (default: the route search), milp or smt", json!({"type": "string", "enum": ["search", "milp", "smt"]})),
                query("max_visits", "sights given to the solver", json!({"type": "integer", "minimum": 1, "maximum": MAX_VISITS})),
                query("max_food", "places to eat given to the solver", json!({"type": "integer", "minimum": 0, "maximum": MAX_FOOD})),
                query("all_cores", "for an impossible trip, look for every minimal core (up to 10; the 422 answer's cores) instead of one", json!({"type": "boolean"}))
            ],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"allOf": [schema_ref("TripRequest"), {
                "type": "object",
                "properties": {"history": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": crate::routes::recommendations::MAX_HISTORY,
                    "description": "the traveller's check-in history: the venue category of each check-in, as Foursquare names it (as for POST /v1/recommendations); its taste fills the interests for every category the request does not weigh itself"}}
            }]}}}},
            "responses": {
                "201": with_link(json_body("the plan", schema_ref("Plan")), "getPlan"),
                "202": with_link(json_body("the job that plans the trip", schema_ref("Job")), "getJob"),
                "400": problem("malformed JSON or an invalid parameter"),
                "413": problem("the body is too large"),
                "415": problem("the body is not JSON"),
                "422": {"description": "an invalid field, an unknown place, or an impossible trip (InfeasibleProblem)",
                        "content": {"application/problem+json": {"schema": {"anyOf": [schema_ref("InfeasibleProblem"), schema_ref("Problem")]}}}},
                "503": busy
            }
        }},
        "/v1/plans/{id}": {"get": {
            "operationId": "getPlan",
            "summary": "A stored plan",
            "parameters": [id],
            "responses": {"200": json_body("the plan", schema_ref("Plan")), "400": bad, "404": missing}
        }},
        "/v1/plans/{id}/report": {"get": {
            "operationId": "getPlanReport",
            "summary": "The plan's report (HTML or Markdown) or its itinerary (GeoJSON, GPX or iCalendar), by Accept",
            "parameters": [id, query("format", "html, markdown, geojson, gpx or ics; overrides Accept", json!({"type": "string", "enum": ["html", "markdown", "md", "geojson", "gpx", "ics"]}))],
            "responses": {
                "200": {"description": "the report; or the itinerary as a GeoJSON FeatureCollection (stops as points, legs as lines along the roads, positions [lon, lat]), as GPX 1.1 (waypoints, a route and a road track per day) or as iCalendar (an event per stop and break)",
                        "content": {"text/html": {"schema": {"type": "string"}}, "text/markdown": {"schema": {"type": "string"}},
                                    "application/geo+json": {"schema": {"type": "object"}}, "application/gpx+xml": {"schema": {"type": "string"}},
                                    "text/calendar": {"schema": {"type": "string"}}}},
                "400": bad, "404": problem("no such plan, or an export of a plan without an itinerary (or a calendar of a trip without dates)"),
                "406": problem("none of the report and export media types is acceptable")
            }
        }},
        "/v1/jobs/{id}": {
            "get": {
                "operationId": "getJob",
                "summary": "A job's status, progress and result",
                "parameters": [id],
                "responses": {"200": json_body("the job", schema_ref("Job")), "400": bad, "404": missing}
            },
            "delete": {
                "operationId": "cancelJob",
                "summary": "Cancel a queued or running job",
                "parameters": [id],
                "responses": {"200": json_body("the cancelled job", schema_ref("Job")), "400": bad, "404": missing, "409": problem("the job has already ended")}
            }
        },
        "/v1/pois": {"get": {
            "operationId": "listPois",
            "summary": "POIs near a point, nearest first",
            "parameters": [
                {"name": "near", "in": "query", "required": true, "description": "lat,lon", "schema": {"type": "string", "pattern": format!("^{LAT},{LON}$")}},
                query("radius", "metres (default 500)", json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": MAX_RADIUS_M})),
                query("category", "only this category", json!({"type": "string", "enum": Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()})),
                query("limit", "at most this many (default 50)", json!({"type": "integer", "minimum": 0, "maximum": MAX_POIS}))
            ],
            "responses": {"200": json_body("the POIs", schema_ref("Pois")), "400": bad}
        }},
        "/v1/route/{profile}/{coordinates}": {"get": {
            "operationId": "route",
            "summary": "OSRM-style fastest route through the coordinates",
            "description": format!("At most {MAX_ROUTE_COORDINATES} coordinates. Errors carry OSRM's code (InvalidQuery, NoSegment, NoRoute...)."),
            "parameters": [profile.clone(), route_coordinates,
                query("geometries", "polyline (default), polyline6 or geojson", json!({"type": "string", "enum": ["polyline", "polyline6", "geojson"]})),
                query("overview", "full (default), simplified (answered as full) or false", json!({"type": "string", "enum": ["full", "simplified", "false"]})),
                query("alternatives", "accepted; one route is returned", json!({"type": "string"})),
                query("steps", "true or false (default): turn-by-turn steps per leg (legs[].steps: maneuver type, modifier, bearings and exit; the street's name and ref from OSM; mode; intersections) and legs[].summary", json!({"type": "string", "enum": ["true", "false"]})),
                query("annotations", "false (default), true, or a comma-separated list of duration, distance, speed, weight: one value per piece of each leg's geometry (legs[].annotation); nodes and datasources are not available", json!({"type": "string", "pattern": "^(true|false|(duration|distance|speed|weight)(,(duration|distance|speed|weight))*)$"})),
                query("continue_straight", "default or false (routes between waypoints are independent); true is refused", json!({"type": "string", "enum": ["default", "false"]})),
                radiuses.clone(), bearings.clone(), hints.clone()],
            "responses": {"200": json_body("the route", schema_ref("OsrmRoute")), "400": bad.clone(), "503": busy.clone()}
        }},
        "/v1/table/{profile}/{coordinates}": {"get": {
            "operationId": "table",
            "summary": "OSRM-style travel-time and distance table",
            "description": format!("At most {MAX_TABLE_COORDINATES} coordinates; row-major, null where unreachable."),
            "parameters": [profile, coordinates,
                query("sources", "indices separated by ; or all", indices.clone()),
                query("destinations", "indices separated by ; or all", indices),
                query("annotations", "duration (default), distance or duration,distance", json!({"type": "string", "enum": ["duration", "distance", "duration,distance", "distance,duration"]})),
                query("fallback_speed", "metres per second: a pair no road joins gets the straight line's length at this speed instead of null", json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})),
                query("fallback_coordinate", "input (default) or snapped: the points the straight line of a fallback joins", json!({"type": "string", "enum": ["input", "snapped"]})),
                query("scale_factor", "durations are multiplied by it (default 1)", json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})),
                radiuses.clone(), bearings.clone(), hints.clone()],
            "responses": {"200": json_body("the table", schema_ref("OsrmTable")), "400": bad.clone(), "503": busy}
        }},
        "/v1/nearest/{profile}/{coordinates}": {"get": {
            "operationId": "nearest",
            "summary": "OSRM-style nearest point on a road",
            "description": "One coordinate (lon,lat); the answer is OSRM's nearest waypoint: location, distance in metres, name (empty) and nodes, the OSM ids of the road segment's ends.",
            "parameters": [json!({"name": "profile", "in": "path", "required": true, "description": "foot or car", "schema": {"type": "string"}}),
                json!({"name": "coordinates", "in": "path", "required": true, "description": "lon,lat", "schema": {"type": "string"}}),
                query("number", "1 only (the nearest point)", json!({"type": "string", "enum": ["1"]})), radiuses, bearings, hints],
            "responses": {"200": json_body("the nearest road point", json!({"type": "object"})), "400": bad.clone()}
        }},
        "/v1/trip/{profile}/{coordinates}": {"get": {
            "operationId": "trip",
            "summary": "OSRM-style trip through the coordinates",
            "description": format!("At most {MAX_TRIP_COORDINATES} coordinates. A round trip from the first coordinate through all the others in the fastest order the routing search finds (re-checked), or with roundtrip=false (and source=first, destination=last, as OSRM asks; otherwise NotImplemented) a trip from the first to the last coordinate through all the others; OSRM's trips and waypoints (waypoint_index: the position in the trip)."),
            "parameters": [json!({"name": "profile", "in": "path", "required": true, "description": "foot or car", "schema": {"type": "string"}}),
                json!({"name": "coordinates", "in": "path", "required": true, "description": "lon,lat;lon,lat;...", "schema": {"type": "string"}}),
                query("roundtrip", "true (default): back to the first coordinate; false: end at the last", json!({"type": "string", "enum": ["true", "false"]})),
                query("source", "any or first", json!({"type": "string", "enum": ["any", "first"]})),
                query("destination", "any or last", json!({"type": "string", "enum": ["any", "last"]})),
                query("geometries", "polyline (default), polyline6 or geojson", json!({"type": "string", "enum": ["polyline", "polyline6", "geojson"]})),
                query("overview", "full (default), simplified (answered as full) or false", json!({"type": "string", "enum": ["full", "simplified", "false"]})),
                query("steps", "true or false (default): turn-by-turn steps per leg (legs[].steps: maneuver type, modifier, bearings and exit; the street's name and ref from OSM; mode; intersections) and legs[].summary", json!({"type": "string", "enum": ["true", "false"]})),
                query("annotations", "as for routes", json!({"type": "string"})),
                radiuses.clone(), bearings.clone(), hints.clone()],
            "responses": {"200": json_body("the trip", json!({"type": "object"})), "400": bad.clone(), "503": busy.clone()}
        }},
        "/v1/travelplanner/plans": {"post": {
            "operationId": "planTravelPlannerQuery",
            "summary": "Plan a TravelPlanner benchmark query",
            "description": "Plans the query with z3 over the TravelPlanner database (the server must run with --travelplanner DIR) and checks the plan with the independent evaluator. 200 with the plan in the benchmark's submission format; 422 with the minimal cores and verified repairs when no plan exists, or when the query does not fit the data (unknown city, dates that do not match the days).",
            "parameters": [
                query("deadline", &format!("seconds the whole answer may take, queueing included (default {default_deadline})"), json!({"type": "number", "minimum": 1, "maximum": max_deadline}))
            ],
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("TravelPlannerQuery")}}},
            "responses": {
                "200": json_body("the plan", schema_ref("TravelPlannerPlan")),
                "400": problem("malformed JSON or an invalid parameter"),
                "404": problem("the server has no TravelPlanner data"),
                "413": problem("the body is too large"),
                "415": problem("the body is not JSON"),
                "422": {"description": "an invalid field, a query that does not fit the data, or an impossible query (TravelPlannerInfeasible)",
                        "content": {"application/problem+json": {"schema": {"anyOf": [schema_ref("TravelPlannerInfeasible"), schema_ref("Problem")]}}}},
                "503": problem("all solver workers are busy, or the deadline passed before an answer")
            }
        }},
        "/v1/assignments": {"post": {
            "operationId": "createAssignment",
            "summary": "Traffic assignment (user equilibrium) as a job",
            "description": "Runs a user-equilibrium assignment on a TNTP network of the server's --tntp folder as a job: 202 and the job to poll; its progress follows the relative gap, its result is an AssignmentResult. DELETE on the job stops it after the current iteration.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("AssignmentRequest")}}},
            "responses": tntp_job_responses("the job that runs the assignment")
        }},
        "/v1/designs": {"post": {
            "operationId": "createDesign",
            "summary": "Network design (lane additions under a budget) as a job",
            "description": "Chooses lanes to add on the candidate links of a TNTP network of the server's --tntp folder, within the budget, minimising the total travel time at user equilibrium (exact fitness; GA, or every choice with exhaustive). 202 and the job to poll; its result is a DesignResult. DELETE on the job stops it.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("DesignRequest")}}},
            "responses": tntp_job_responses("the job that runs the search")
        }},
        "/v1/vrp/solutions": {"post": {
            "operationId": "createVrpSolution",
            "summary": "Vehicle routing (CVRP, VRPTW, TSP) as a job",
            "description": "Solves the instance given as the text of a VRPLIB, TSPLIB or Solomon file: ruin-and-recreate search, and with exact the MILP proof for capacity-only instances; every answer is re-checked by the independent checker. 202 and the job to poll; its result is a VrpResult. DELETE on the job stops the search.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("VrpRequest")}}},
            "responses": {
                "202": with_link(json_body("the job that runs the solve", schema_ref("Job")), "getJob"),
                "400": problem("malformed JSON"),
                "413": problem("the body is too large"),
                "415": problem("the body is not JSON"),
                "422": problem("an invalid field, or an instance that cannot be read (the problem names the line)"),
                "503": problem("all solver workers are busy (Retry-After says when to come back)")
            }
        }},
        "/v1/recommendations": {"post": {
            "operationId": "recommend",
            "summary": "The loaded region's places for a check-in history",
            "description": "Maps each check-in's venue category (Foursquare names) to a tripsmith category through the category bridge, weighs the categories a traveller visits by their smoothed share, and ranks the region's places so that categories share the list by weight (the k-th place of a category scores its weight / k; named places first, then nearest). 200 with the taste, the same taste as trip-request interests, and the places, each with the history behind it.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("RecommendationRequest")}}},
            "responses": {
                "200": json_body("the ranked places", schema_ref("RegionRecommendations")),
                "400": problem("malformed JSON"),
                "413": problem("the body is too large"),
                "415": problem("the body is not JSON"),
                "422": problem("an invalid field, or a history with no check-in at a place a traveller visits (no-taste)")
            }
        }},
        "/v1/recommendations/training": {"post": {
            "operationId": "trainRecommender",
            "summary": "Train the intention-aware recommender as a job",
            "description": "Trains the intention-aware model on every check-in of a data set of the server's --checkins folder: 202 and the job to poll; its progress follows the epochs, its result is a TrainingResult listing each learned intention with its most characteristic places. DELETE on the job stops it before the next step.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("TrainingRequest")}}},
            "responses": {
                "202": with_link(json_body("the job that trains the model", schema_ref("Job")), "getJob"),
                "400": problem("malformed JSON"),
                "404": problem("no such data set, or the server has no --checkins folder"),
                "413": problem("the body is too large"),
                "415": problem("the body is not JSON"),
                "422": problem("an invalid field"),
                "503": problem("all solver workers are busy (Retry-After says when to come back)")
            }
        }},
        "/v1/region": {"get": {
            "operationId": "region",
            "summary": "What the loaded region holds",
            "responses": {"200": json_body("the region's ingest summary", json!({"type": "object"}))}
        }},
        "/healthz": {"get": {
            "operationId": "healthz", "summary": "Liveness",
            "responses": {"200": json_body("alive", json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}))}
        }},
        "/readyz": {"get": {
            "operationId": "readyz", "summary": "Readiness: the database answers and no shutdown has begun",
            "description": "200 with the region, this instance's name, the store (sqlite or postgres) and the solver pool's load; 503 when the database does not answer within a few seconds or a shutdown has begun, so a load balancer stops sending requests here.",
            "responses": {"200": json_body("ready", json!({"type": "object"})), "503": problem("not ready (the database does not answer) or shutting down")}
        }},
        "/metrics": {"get": {
            "operationId": "metrics", "summary": "Prometheus metrics",
            "description": "Requests by route and status, latency histograms, plans by verdict, the solver pool's load, this instance's name (tripsmith_instance_info), whether the store answered (tripsmith_store_up), the jobs waiting in the shared queue (tripsmith_jobs_queued) and the jobs running on each instance (tripsmith_jobs_running{instance}).",
            "responses": {"200": {"description": "Prometheus text", "content": {"text/plain": {"schema": {"type": "string"}}}}}
        }},
        "/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document",
            "responses": {"200": json_body("the OpenAPI document", json!({"type": "object"}))}
        }},
        "/docs": {"get": {
            "operationId": "docs", "summary": "Browsable API docs (works offline)",
            "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}
        }}
    })
}

/// The OSRM services also at OSRM's own URL scheme (`/route/v1/...` beside `/v1/route/...`), so
/// that OSRM clients work unchanged: the same operations under their OSRM paths.
fn with_osrm_scheme(mut paths: Value) -> Value {
    for service in ["route", "table", "nearest", "trip"] {
        let Some(mut item) = paths.get(format!("/v1/{service}/{{profile}}/{{coordinates}}")).cloned() else { continue };
        item["get"]["operationId"] = format!("{service}Osrm").into();
        item["get"]["summary"] = format!("OSRM's URL for /v1/{service}/...: the same answer").into();
        paths[format!("/{service}/v1/{{profile}}/{{coordinates}}")] = item;
    }
    paths
}

/// The OpenAPI document of a server run with `config` (its deadlines appear in the document).
pub fn document(config: &ServerConfig) -> Value {
    let mut schemas = generated_schemas();
    if let Value::Object(hand) = hand_written_schemas() {
        schemas.extend(hand);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "tripsmith",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Trip planning on OpenStreetMap data: itineraries that meet every hard constraint, or the minimal set of constraints that conflict and verified changes that fix them. Errors are application/problem+json. Every response carries x-request-id."
        },
        "paths": with_osrm_scheme(with_idempotency_keys(paths(config))),
        "components": {"schemas": schemas}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_document_matches_the_code() {
        let committed: Value = serde_json::from_str(include_str!("../openapi.json")).expect("api/openapi.json is JSON");
        assert!(
            committed == document(&ServerConfig::default()),
            "api/openapi.json differs from the code; refresh it: cargo run -p tripsmith -- openapi > api/openapi.json"
        );
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document(&ServerConfig::default());
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap_or_default();
            assert!(schemas.contains_key(name), "unresolved $ref to {name}");
        }
        assert!(schemas.contains_key("TripRequest") && schemas.contains_key("PlanSummary"));
    }
}
