/// JSON Schemas of the detection and job queue answers (docs/api.md, Detection and background jobs).
extension OpenAPISchemas {
    static var nullableUUID: Schema { ["type": ["string", "null"], "format": "uuid"] }
    static var nullableDateTime: Schema { ["type": ["string", "null"], "format": "date-time"] }
    static var number: Schema { ["type": "number"] }

    static var detection: [String: Schema] {
        [
            "Detection": object([
                "id": uuid, "camera_id": uuid, "recording_id": nullableUUID, "time": dateTime, "class": string,
                "confidence": number, "box": object(["x": number, "y": number, "width": number, "height": number]),
                "track_id": ["type": ["integer", "null"]], "source": ["type": "string", "enum": ["historical", "live"]],
            ]),
            "DetectionPage": object(["detections": array(ref("Detection")), "total": integer, "next_cursor": nullableString]),
            "Job": object([
                "id": uuid, "kind": string,
                "state": ["type": "string", "enum": ["queued", "running", "failed", "parked", "succeeded", "cancelled"]],
                "priority": integer, "attempt": integer, "max_attempts": integer, "run_at": dateTime, "lease_owner": nullableString,
                "lease_expires_at": nullableDateTime, "progress": number, "payload": ["type": "object"],
                "result": ["type": ["object", "null"]], "last_error": nullableString, "camera_id": nullableUUID,
                "recording_id": nullableUUID, "created_at": dateTime, "updated_at": dateTime, "started_at": nullableDateTime,
                "finished_at": nullableDateTime,
            ]),
            "JobPage": object(["jobs": array(ref("Job")), "total": integer, "next_cursor": nullableString]),
            "AnalysisRequest": object(["camera_ids": array(uuid), "start": dateTime, "end": dateTime, "force": boolean],
                                      required: ["camera_ids", "start", "end"]),
            "AnalysisResult": object(["recordings": integer, "queued": integer, "already_analysed": integer, "already_queued": integer]),
            "MLStatus": object([
                "detection": object(["enabled": boolean, "available": boolean, "reason": nullableString, "model": nullableString,
                                     "provider": ["type": "string", "enum": ["cpu", "cuda"]], "historical_fps": number]),
                "queues": array(object(["kind": string, "queued": integer, "running": integer, "failed": integer, "parked": integer,
                                        "backlog_seconds": number, "backlog_hours": number])),
                "workers": array(object([
                    "id": string, "host": string, "kinds": array(string), "started_at": dateTime, "heartbeat_at": dateTime,
                    "alive": boolean, "jobs": array(object(["id": uuid, "camera_id": nullableUUID, "recording_id": nullableUUID, "progress": number])),
                    "frames_per_second": ["type": ["number", "null"]], "inference_ms": ["type": ["number", "null"]],
                    "detection_available": boolean, "reason": nullableString,
                ])),
                "live": array(object([
                    "camera_id": uuid, "state": ["type": "string", "enum": ["starting", "watching", "waiting", "elsewhere", "off", "unavailable"]],
                    "since": dateTime, "last_frame_at": nullableDateTime, "frames": integer, "analysed": integer,
                    "frames_per_second": ["type": ["number", "null"]], "inference_ms": ["type": ["number", "null"]],
                    "objects": ["type": "object", "additionalProperties": integer], "error": nullableString,
                ])),
                "notifications": object(["webhooks": array(string), "signed": boolean, "sent": integer, "cooling_down": integer,
                                         "hourly_cap": integer, "failed_deliveries": integer]),
            ]),
        ]
    }
}
