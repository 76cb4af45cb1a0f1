/// JSON Schemas of offline exports to removable media (docs/api.md, Offline export).
extension OpenAPISchemas {
    static var exports: [String: Schema] {
        let state: Schema = ["type": "string", "enum": ["queued", "running", "failed", "parked", "succeeded", "cancelled"]]
        let export = object([
            "id": uuid, "camera_ids": array(uuid), "start": dateTime, "end": dateTime,
            "time_zone": ["type": "string", "description": "IANA zone of the file names and the page"],
            "destination": ["type": "string", "description": "The folder asked for, under EXPORT_ROOTS"],
            "folder": ["type": "string", "description": "The export's own folder: destination/ronin-export-<local start>-<id8>"],
            "state": state, "job_id": ["type": ["string", "null"], "format": "uuid"], "progress": ["type": "number", "minimum": 0, "maximum": 1],
            "bytes": integer, "files": integer, "created_by": nullableString, "error": nullableString,
            "created_at": dateTime, "updated_at": dateTime, "finished_at": ["type": ["string", "null"], "format": "date-time"],
        ])
        return [
            "OfflineExportRequest": object([
                "camera_ids": array(uuid), "start": dateTime, "end": dateTime,
                "destination": ["type": "string", "description": "An absolute folder under one of EXPORT_ROOTS, reached without symbolic links"],
                "tz": ["type": "string", "description": "IANA time zone for file names (default: the server's)"],
            ], required: ["camera_ids", "start", "end", "destination"]),
            "OfflineExport": export,
            "OfflineExportPage": object(["exports": array(ref("OfflineExport")), "total": integer, "next_cursor": nullableString]),
        ]
    }
}
