/// JSON Schemas of the API's request and response bodies, by component name, for the OpenAPI
/// document. Kept beside the route table so that a new body type is described where it is used.
enum OpenAPISchemas {
    typealias Schema = [String: Any]

    static func object(_ properties: [String: Schema], required: [String] = []) -> Schema {
        var schema: Schema = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    static var string: Schema { ["type": "string"] }
    static var nullableString: Schema { ["type": ["string", "null"]] }
    static var integer: Schema { ["type": "integer"] }
    static var boolean: Schema { ["type": "boolean"] }
    static var uuid: Schema { ["type": "string", "format": "uuid"] }
    static var dateTime: Schema { ["type": "string", "format": "date-time"] }
    static func ref(_ name: String) -> Schema { ["$ref": "#/components/schemas/\(name)"] }
    static func array(_ items: Schema) -> Schema { ["type": "array", "items": items] }

    static var cameraInputProperties: [String: Schema] {
        [
            "name": string, "host": string, "port": ["type": "integer", "minimum": 1, "maximum": 65535],
            "username": string, "password": ["type": "string", "writeOnly": true], "stream_path": string,
            "substream_path": nullableString, "transport": ["type": "string", "enum": ["tcp", "udp"]], "enabled": boolean,
            "recording_enabled": boolean, "audio_enabled": boolean, "group": nullableString, "sort_order": integer,
        ]
    }

    /// The day fields every timeline answer starts with.
    static var playbackDay: [String: Schema] {
        ["date": string, "tz": string, "day_start": dateTime, "day_end": dateTime, "hours": integer,
         "length_seconds": ["type": "number"], "bucket_seconds": integer]
    }

    /// One camera's ranges, gaps and detection markers in a day timeline.
    static var playbackCamera: [String: Schema] {
        let span = object(["start": dateTime, "end": dateTime])
        return ["camera_id": uuid,
                "ranges": array(object(["start": dateTime, "end": dateTime, "recordings": integer,
                                        "tiers": array(object(["start": dateTime, "end": dateTime,
                                                               "tier": ["type": "string", "enum": ["hot", "warm", "cold"]]]))])),
                "gaps": array(span), "recorded_seconds": ["type": "number"],
                "tier_seconds": ["type": "object", "additionalProperties": ["type": "number"],
                                 "description": "Seconds of footage per tier (hot, warm, cold), only tiers holding some"],
                "markers": array(object(["class": string, "start": dateTime, "end": dateTime, "count": integer])),
                "counts": ["type": "object", "additionalProperties": integer]]
    }

    static var all: [String: Schema] {
        var camera = cameraInputProperties
        camera["password"] = nil
        for wiring in ["host", "username", "stream_path", "substream_path", "transport"] {
            camera[wiring] = ["type": ["string", "null"], "description": "Admins only (null for viewers)"]
        }
        camera["port"] = ["type": ["integer", "null"], "description": "Admins only (null for viewers)"]
        camera["id"] = uuid
        camera["folder_name"] = ["type": ["string", "null"], "description": "Admins only (null for viewers)"]
        camera["has_password"] = ["type": ["boolean", "null"], "description": "Admins only (null for viewers)"]
        camera["has_substream"] = boolean
        camera["created_at"] = dateTime
        camera["updated_at"] = dateTime
        var exportEntry = cameraInputProperties
        exportEntry["password"] = nil
        exportEntry["password_encrypted"] = ["type": "string", "description": "Fernet token under the passphrase-derived key"]
        var testInput = cameraInputProperties
        testInput["camera_id"] = uuid
        let named = object(["name": string, "reason": string], required: ["name", "reason"])
        return [
            "Error": object(["error": string, "message": string], required: ["error", "message"]),
            "Health": object(["status": string, "version": string, "database": ["type": "string", "enum": ["sqlite", "postgresql"]]]),
            "LoginRequest": object(["username": string, "password": string], required: ["username", "password"]),
            "LoginResponse": object(["access_token": string, "token_type": ["type": "string", "enum": ["bearer"]], "expires_in": integer]),
            "PasswordChange": object(["current_password": string, "new_password": string], required: ["current_password", "new_password"]),
            "User": object(["id": uuid, "username": string, "role": ["type": "string", "enum": ["admin", "viewer"]],
                            "created_at": dateTime, "updated_at": dateTime]),
            "UserList": array(ref("User")),
            "CreateUser": object(["username": string, "password": string, "role": ["type": "string", "enum": ["admin", "viewer"]]],
                                 required: ["username", "password", "role"]),
            "UpdateUser": object(["password": string, "role": ["type": "string", "enum": ["admin", "viewer"]]]),
            "Camera": object(camera),
            "CameraList": array(ref("Camera")),
            "CameraInput": object(cameraInputProperties, required: ["name", "host"]),
            "CameraTest": object(testInput, required: ["host"]),
            "ProbeResult": object([
                "ok": boolean,
                "video": object(["codec": string, "width": integer, "height": integer, "fps": ["type": ["number", "null"]]]),
                "audio": ["type": ["object", "null"], "properties": ["codec": string, "sample_rate": integer, "channels": integer]],
                "elapsed_ms": integer,
            ]),
            "BulkUpdate": object(["updated": integer]),
            "Recording": object([
                "id": uuid, "camera_id": uuid, "start": dateTime, "end": dateTime, "duration_seconds": ["type": "number"],
                "size_bytes": integer, "video_codec": nullableString, "width": integer, "height": integer, "audio_codec": nullableString,
                "status": ["type": "string", "enum": ["complete", "missing", "deleting", "recording"]], "in_progress": boolean,
                "tier": ["type": "string", "enum": ["hot", "warm", "cold"]],
                "path": nullableString, "file_url": string,
            ]),
            "RecordingList": array(ref("Recording")),
            "Status": object([
                "api": object(["status": string, "version": string, "database": string]), "uptime_seconds": integer,
                "cameras": array(object(["id": uuid, "name": string, "enabled": boolean, "recording_enabled": boolean,
                                         "state": ["type": "string", "enum": ["starting", "recording", "live", "reconnecting", "error", "stopped"]],
                                         "since": dateTime, "last_error": ["type": ["string", "null"], "description": "Admins only"],
                                         "restarts": integer])),
                "cameras_by_state": ["type": "object", "additionalProperties": integer],
                "storage": object(["root": ["type": ["string", "null"], "description": "Admins only"], "recordings_bytes": integer, "recordings_count": integer,
                                   "total_bytes": integer, "free_bytes": integer]),
                "recording": ["type": "object", "additionalProperties": object(["segments": integer, "bytes": integer])],
                "recording_per_camera": array(object(["camera_id": uuid, "name": string,
                                                      "last_hour": object(["segments": integer, "bytes": integer]),
                                                      "last_day": object(["segments": integer, "bytes": integer])])),
            ]),
            "CameraExport": object([
                "format": ["type": "string", "enum": ["ronin-cameras"]], "version": integer, "exported_at": dateTime,
                "credentials": ["type": "string", "enum": ["none", "encrypted"]],
                "kdf": object(["name": string, "iterations": integer, "salt": string]),
                "cameras": array(object(exportEntry)),
            ], required: ["format", "version", "cameras"]),
            "PlaybackDays": object(["camera_id": uuid, "month": string, "tz": string, "days": array(string)]),
            "PlaybackDaysMulti": object(["month": string, "tz": string, "days": array(string),
                                         "cameras": array(object(["camera_id": uuid, "days": array(string)]))]),
            "PlaybackTimeline": object(playbackDay.merging(playbackCamera) { a, _ in a }),
            "PlaybackTimelineMulti": object(playbackDay.merging(["cameras": array(object(playbackCamera))]) { a, _ in a }),
            "ImportReport": object([
                "created": array(object(["name": string, "id": uuid])), "skipped": array(named), "refused": array(named),
            ]),
        ].merging(detection) { first, _ in first }.merging(events) { first, _ in first }.merging(storage) { first, _ in first }.merging(exports) { first, _ in first }
    }
}
