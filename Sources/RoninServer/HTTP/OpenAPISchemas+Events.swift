/// JSON Schemas of events and the detection configuration (docs/api.md, Events and Detection
/// configuration).
extension OpenAPISchemas {
    static var detectionSettings: Schema {
        object(["live_enabled": ["type": ["boolean", "null"]], "cooldown_seconds": ["type": ["number", "null"]],
                "pipeline": ["type": ["object", "null"], "description": "ML_PIPELINE_CONFIG overrides"]])
    }

    static var events: [String: Schema] {
        [
            "Event": object([
                "id": uuid, "camera_id": uuid, "camera_name": string,
                "kind": ["type": "string", "enum": ["arrival", "departure", "state_change"]], "class": string, "track_id": integer,
                "source": ["type": "string", "enum": ["live", "historical"]], "start": dateTime, "end": nullableDateTime, "duration": number,
                "ongoing": boolean, "peak_confidence": number, "from_state": nullableString, "to_state": nullableString,
                "boxes": array(object(["time": dateTime, "x": number, "y": number, "width": number, "height": number, "confidence": number])),
                "recording_id": nullableUUID, "reviewed": boolean, "locked": boolean,
                "artifacts": ["type": "string", "enum": ["pending", "ready", "failed"]], "snapshot_url": string, "clean_url": string,
                "mosaic_url": string, "clip_url": string, "created_at": dateTime, "updated_at": dateTime,
            ]),
            "EventPage": object(["events": array(ref("Event")), "total": integer, "next_cursor": nullableString]),
            "EventChange": object(["reviewed": boolean, "locked": boolean]),
            "DetectionSettings": detectionSettings,
            "DetectionConfig": object([
                "global": detectionSettings,
                "cameras": array(object([
                    "camera_id": uuid, "name": string, "config": detectionSettings,
                    "effective": object(["live_enabled": boolean, "cooldown_seconds": number, "fps": number, "confidence": number,
                                         "classes": ["type": "object", "additionalProperties": number],
                                         "class_filter": ["type": ["array", "null"], "items": string], "motion_min_changed_fraction": number]),
                ])),
            ]),
        ]
    }
}
